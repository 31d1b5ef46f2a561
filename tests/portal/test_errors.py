from unittest import mock

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.test import Client, override_settings
from django.urls import include, path

from portal.views import server_error


def boom(request):
    raise RuntimeError("broken on purpose")


def forbidden(request):
    raise PermissionDenied


def uses_session(request):
    request.session["seen"] = True
    return None


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
    path("uses-session/", uses_session),
    path("", include("portal.urls")),
]
handler500 = server_error


@pytest.fixture
def error_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_server_error_page_keeps_the_layout(db, error_urls):
    client = Client(raise_request_exception=False)

    response = client.get("/boom/")
    html = response.content.decode()

    assert response.status_code == 500
    assert "Sorry, there is a problem with the service" in html
    assert 'class="govuk-footer"' in html
    assert "nonce" not in html


def test_permission_denied_page_keeps_the_layout(client, db, error_urls):
    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert "You do not have permission to view this page" in response.content.decode()
    assert 'class="govuk-generic-header"' in response.content.decode()


@override_settings(CSRF_FAILURE_VIEW="portal.views.csrf_failure")
def test_csrf_failure_page_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/contact/", {"message": "hello"})

    assert response.status_code == 403
    assert "Sorry, your form could not be sent" in response.content.decode()
    assert 'class="govuk-footer"' in response.content.decode()


@pytest.fixture
def session_store_down():
    """A visitor with a session cookie while the session table cannot be read."""
    down = DatabaseError("could not connect to server")
    with mock.patch.object(SessionStore, "load", side_effect=down) as load:
        yield load


@pytest.mark.parametrize("url", ["/boom/", "/uses-session/"])
def test_server_error_page_renders_when_the_session_cannot_be_loaded(
    db, error_urls, session_store_down, url, settings
):
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "a" * 32

    response = client.get(url)
    html = response.content.decode()

    assert response.status_code == 500
    assert '<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>' in html
    assert 'class="govuk-footer"' in html
    assert "How to set up a mutual" in html  # the header navigation
    # Rendered without the context processors that read the session.
    assert "messages" not in response.context
    assert "user" not in response.context
    assert "nonce" not in html
    if url == "/boom/":
        session_store_down.assert_not_called()


def test_bad_request_page_keeps_the_layout(client, db):
    response = client.get("/", HTTP_HOST="not allowed")
    html = response.content.decode()

    assert response.status_code == 400
    assert "Sorry, we could not accept what you sent" in html
    assert 'class="govuk-generic-header"' in html


def test_the_page_nginx_shows_for_too_many_requests_says_what_to_do(client, db):
    response = client.get("/too-many-requests/")
    html = response.content.decode()

    assert response.status_code == 200  # nginx answers with 429 and this page
    assert html.count("<h1") == 1
    assert "Sorry, there have been too many searches from your connection" in html
    assert "Wait a few seconds, then try again." in html
    assert '<meta name="robots" content="noindex">' in html
