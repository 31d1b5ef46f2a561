import datetime
from io import StringIO
from unittest import mock

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.utils import OperationalError
from django.http import HttpRequest, JsonResponse
from django.urls import include, path, reverse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

PASSWORD = "correct horse battery staple"  # make_staff's password


@csrf_exempt
def upload_size(request):
    upload = request.FILES["file"]
    return JsonResponse({"size": upload.size, "note": request.POST["note"]})


urlpatterns = [
    path("upload/", upload_size),
    path("", include("portal.urls")),
]


def sign_in(client, username, password, **extra):
    data = {"username": username, "password": password, "next": reverse("admin:index")}
    return client.post(reverse("admin:login"), data, **extra)


def signed_in(client):
    return "_auth_user_id" in client.session


# Sign-in throttling


@pytest.fixture
def editor(make_staff):
    return make_staff("Content editors", username="editor")


def test_five_wrong_passwords_lock_the_account_with_the_govuk_page(client, editor, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(4):
        response = sign_in(client, "editor", "not the password")
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.content.decode()

    locked = sign_in(client, "editor", "not the password")

    assert locked.status_code == 429
    html = locked.content.decode()
    assert '<h1 class="govuk-heading-l">You have tried to sign in too many times</h1>' in html
    assert "for 1\xa0hour" in html
    assert "You can try again after" in html
    assert "Ask an administrator" in html
    assert 'class="govuk-footer"' in html
    assert '<meta name="description"' in html


def test_the_right_password_is_refused_once_locked(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "not the password")

    response = sign_in(client, "editor", PASSWORD)

    assert response.status_code == 429
    assert "You have tried to sign in too many times" in response.content.decode()
    assert not signed_in(client)


def test_a_lockout_is_for_that_username_from_that_address_only(client, editor, make_staff):
    make_staff("Content editors", username="colleague")
    for _ in range(5):
        sign_in(client, "editor", "not the password", REMOTE_ADDR="203.0.113.9")

    elsewhere = sign_in(client, "editor", PASSWORD, REMOTE_ADDR="198.51.100.4")
    client.logout()
    colleague = sign_in(client, "colleague", PASSWORD, REMOTE_ADDR="203.0.113.9")

    assert elsewhere.status_code == 302
    assert colleague.status_code == 302


def test_signing_in_resets_the_count_of_failures(client, editor):
    for _ in range(4):
        sign_in(client, "editor", "not the password")

    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    client.logout()
    for _ in range(4):
        sign_in(client, "editor", "not the password")
    assert sign_in(client, "editor", PASSWORD).status_code == 302


def test_an_administrator_unlocks_an_account_with_the_reset_command(client, editor):
    for _ in range(5):
        sign_in(client, "editor", "not the password")
    assert sign_in(client, "editor", PASSWORD).status_code == 429

    call_command("axes_reset_username", "editor", stdout=StringIO())

    assert sign_in(client, "editor", PASSWORD).status_code == 302
    assert signed_in(client)


def test_administrators_see_and_can_delete_access_attempts_in_the_admin(admin_client, editor):
    AccessAttempt.objects.create(
        username="editor", ip_address="203.0.113.9", user_agent="", failures_since_start=5,
        get_data="", post_data="", http_accept="", path_info="/admin/login/",
    )  # fmt: skip

    response = admin_client.get(reverse("admin:axes_accessattempt_changelist"))

    assert response.status_code == 200
    assert "203.0.113.9" in response.content.decode()


def test_the_test_client_signs_in_when_given_a_request(client, editor):
    # django-axes needs the request to know who is signing in; Client.login() passes only
    # the credentials it is given, so tests pass a request or use force_login().
    assert client.login(request=HttpRequest(), username="editor", password=PASSWORD)
    assert signed_in(client)


# Admin preview


@pytest.fixture
def handler_client(client, make_staff):
    client.force_login(make_staff("Enquiry handlers", username="handler"))
    return client


def test_preview_without_page_rights_is_403_whether_or_not_the_page_exists(
    handler_client, make_page
):
    page = make_page()

    existing = handler_client.get(reverse("admin:portal_page_preview", args=[page.pk]))
    missing = handler_client.get(reverse("admin:portal_page_preview", args=[page.pk + 1000]))

    assert existing.status_code == 403
    assert missing.status_code == 403
    for response in (existing, missing):
        assert "You do not have permission to view this page" in response.content.decode()


# Sign-in redirect


@pytest.mark.parametrize("next_url", ["https://elsewhere.example/", "//elsewhere.example/", ""])
def test_signing_in_with_an_unusable_next_lands_on_the_admin_index(client, editor, next_url):
    data = {"username": "editor", "password": PASSWORD, "next": next_url}

    response = client.post(reverse("admin:login"), data)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_pages_that_need_sign_in_send_people_to_the_admin_sign_in(settings):
    assert reverse(settings.LOGIN_URL) == reverse("admin:login")


# Health checks


@pytest.fixture
def production_hosts(settings):
    settings.ALLOWED_HOSTS = ["mutuals.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^healthz$"]


def test_healthz_answers_a_load_balancer_that_probes_by_ip_address(client, db, production_hosts):
    response = client.get("/healthz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "default-src 'self'" in response["Content-Security-Policy"]


def test_healthz_by_ip_address_is_503_when_the_database_is_down(client, db, production_hosts):
    with mock.patch.object(connection, "cursor", side_effect=OperationalError("refused")):
        response = client.get("/healthz", HTTP_HOST="10.0.0.7")

    assert response.status_code == 503


def test_other_addresses_still_check_the_host(client, db, production_hosts):
    assert client.get("/healthz/", HTTP_HOST="10.0.0.7").status_code == 400
    assert client.get("/", HTTP_HOST="10.0.0.7", secure=True).status_code == 400


# Request size limits


def test_a_too_large_form_post_gets_the_govuk_400_page(client, db):
    body = "task=" + "x" * (3 * 1024 * 1024)

    response = client.post(
        reverse("guides:progress"), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert "Sorry, we could not accept what you sent" in html
    assert 'class="govuk-footer"' in html


def test_an_uploaded_file_larger_than_the_form_limit_is_still_accepted(client, settings):
    # Files are streamed to disk and do not count towards DATA_UPLOAD_MAX_MEMORY_SIZE, so the
    # resource admin can take files up to RESOURCE_UPLOAD_MAX_BYTES.
    settings.ROOT_URLCONF = __name__
    size = 3 * 1024 * 1024
    assert size > settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    assert size > settings.FILE_UPLOAD_MAX_MEMORY_SIZE
    upload = SimpleUploadedFile("report.pdf", b"%PDF" + b"0" * (size - 4))

    response = client.post("/upload/", {"file": upload, "note": "A note"})

    assert response.status_code == 200
    assert response.json() == {"size": size, "note": "A note"}


# Expired sessions


def test_clearsessions_removes_expired_sessions_only(db):
    now = timezone.now()
    Session.objects.create(
        session_key="expired" + "0" * 25, session_data="", expire_date=now - datetime.timedelta(1)
    )
    Session.objects.create(
        session_key="current" + "0" * 25, session_data="", expire_date=now + datetime.timedelta(1)
    )

    call_command("clearsessions")

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current" + "0" * 25]
