"""A NUL character in the address or a cookie never reaches a query."""


def test_a_nul_in_the_address_is_not_found(client, db):
    response = client.get("/resources/%00/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_a_nul_in_the_session_cookie_gets_the_400_page(client, db):
    # PostgreSQL refuses the session key when the session is looked up.
    client.cookies["sessionid"] = "\x00" * 32

    response = client.get("/how-to-set-up-a-mutual/")

    assert response.status_code == 400
    assert "Sorry, we could not accept what you sent" in response.content.decode()
    assert 'class="govuk-footer"' in response.content.decode()


def test_a_nul_in_a_search_is_left_to_the_page(client, db):
    # The finder drops it from the words searched for (tests/guides/test_finder.py).
    response = client.get("/resources/?q=pen%00sions")

    assert response.status_code == 200
