import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import include, path

from portal.views import server_error


def boom(request):
    raise RuntimeError("broken on purpose")


def forbidden(request):
    raise PermissionDenied


urlpatterns = [
    path("boom/", boom),
    path("forbidden/", forbidden),
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
    assert "nonce=" in html


def test_permission_denied_page_keeps_the_layout(client, db, error_urls):
    response = client.get("/forbidden/")

    assert response.status_code == 403
    assert "You do not have permission to view this page" in response.content.decode()
    assert 'class="govuk-header"' in response.content.decode()


@override_settings(CSRF_FAILURE_VIEW="portal.views.csrf_failure")
def test_csrf_failure_page_explains_what_to_do(db):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/contact/", {"message": "hello"})

    assert response.status_code == 403
    assert "Sorry, your form could not be sent" in response.content.decode()
    assert 'class="govuk-footer"' in response.content.decode()
