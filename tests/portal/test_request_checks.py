"""A NUL character in the address, the query string or a cookie never reaches a query."""

import pytest


@pytest.mark.parametrize(
    "url",
    [
        "/resources/?q=%00",
        "/resources/?topic=legal%00",
        "/resources/feed/?q=%00",
        "/case-studies/?service_area=%00",
        "/mutuals/?q=a%00b",
        "/mutuals/export.csv?region=%00",
        "/contact/?%00=1",
        "/?x=%00",
    ],
)
def test_a_nul_in_the_query_string_gets_the_400_page(client, db, url):
    response = client.get(url)

    assert response.status_code == 400
    assert "Sorry, we could not accept what you sent" in response.content.decode()
    assert 'class="govuk-footer"' in response.content.decode()


def test_a_nul_in_the_address_is_not_found(client, db):
    response = client.get("/resources/%00/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_nul_in_the_session_cookie_gets_the_400_page(client, db):
    # PostgreSQL refuses the session key when the session is looked up.
    client.cookies["sessionid"] = "\x00" * 32

    response = client.get("/how-to-set-up-a-mutual/")

    assert response.status_code == 400


def test_the_text_percent_zero_zero_is_an_ordinary_search(client, db):
    response = client.get("/resources/?q=%2500")

    assert response.status_code == 200
