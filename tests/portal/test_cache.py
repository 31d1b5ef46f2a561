"""The page cache: what is kept, for whom, and how an editor's change reaches every visitor."""

import gzip
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from guides.models import Stage
from portal.cache import (
    VERSION_KEY,
    KeptForContentVersion,
    PageCacheMiddleware,
    bump_content_version,
    forget_kept_values,
)
from portal.models import Page


@pytest.fixture
def stage(shipped):
    return Stage.objects.published().in_order().first()


@pytest.fixture
def home(shipped):
    return Page.objects.get(slug=Page.HOME_SLUG)


def test_a_second_visit_is_served_without_touching_the_database(
    client, page_cache, home, django_assert_num_queries
):
    first = client.get(reverse("portal:home"))

    with django_assert_num_queries(0):
        second = client.get(reverse("portal:home"))

    assert second.status_code == 200
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"
    # The security headers and the policy are stored with the page.
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert "nonce" not in second["Content-Security-Policy"]
    assert second["X-Frame-Options"] == "DENY"
    assert not second.cookies


def test_saving_a_page_in_the_admin_changes_it_on_the_next_request(
    client, editor_client, page_cache, shipped
):
    url = reverse("portal:page-detail", args=["what-is-a-mutual"])
    assert "A brand new heading" not in Client().get(url).content.decode()
    page = Page.objects.get(slug="what-is-a-mutual")

    page.title = "A brand new heading"
    page.save()

    assert "A brand new heading" in Client().get(url).content.decode()


def test_another_app_server_saving_content_makes_this_ones_pages_stale(page_cache, home):
    url = reverse("portal:home")
    Client().get(url)
    Page.objects.filter(pk=home.pk).update(title="Changed where no signal is sent")

    # Still the kept page: nothing told this process.
    assert "Changed where no signal" not in Client().get(url).content.decode()
    # Another server saved something: it replaced the version in the shared cache.
    cache.set(VERSION_KEY, "set-by-another-server", None)

    response = Client().get(url)
    assert "Changed where no signal" in response.content.decode()


def test_an_unchanged_page_answers_304_to_a_revalidation(client, page_cache, home):
    etag = client.get(reverse("portal:home"))["ETag"]

    response = client.get(reverse("portal:home"), HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_processes_that_make_a_page_at_once_answer_with_the_first_copy_kept(
    page_cache, home, monkeypatch
):
    """Each compressed copy has its own random padding, so its own ETag: a process that made
    the page while another kept it first answers with that one's copy, and a browser that
    revalidates gets a 304 from either."""
    url = reverse("portal:home")
    kept_first = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    # Another process: nothing kept in its memory, and it looked in the shared cache just
    # before the page above was stored there.
    PageCacheMiddleware._local.clear()
    monkeypatch.setattr(PageCacheMiddleware, "read_shared", lambda self, key: None)

    made_again = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    revalidated = Client().get(
        url, HTTP_ACCEPT_ENCODING="gzip", HTTP_IF_NONE_MATCH=kept_first["ETag"]
    )

    assert made_again["ETag"] == kept_first["ETag"]
    assert made_again.content == kept_first.content
    assert revalidated.status_code == 304


def test_compressed_and_plain_copies_are_kept_apart(page_cache, home):
    url = reverse("portal:home")
    plain = Client().get(url)
    compressed = Client().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    compressed_again = Client().get(url, HTTP_ACCEPT_ENCODING="gzip")
    plain_again = Client().get(url)

    assert compressed["Content-Encoding"] == "gzip"
    assert gzip.decompress(compressed.content).decode().startswith("<!DOCTYPE html>")
    assert compressed_again["Content-Encoding"] == "gzip"
    assert not plain_again.has_header("Content-Encoding")
    assert plain_again.content == plain.content


def test_a_form_page_is_never_shared_and_is_private(page_cache, shipped):
    url = reverse("portal:contact")
    first = Client().get(url)
    second = Client().get(url)

    assert first["Cache-Control"] == "private, no-store"
    assert "csrftoken" in first.cookies
    token = first.cookies["csrftoken"].value
    assert token not in second.content.decode()
    assert not second.has_header("ETag")


def test_a_visitor_with_a_session_never_gets_the_shared_copy_and_theirs_is_not_kept(
    page_cache, stage
):
    task = stage.tasks.first()
    url = stage.get_absolute_url()
    visitor = Client()
    stranger = Client()
    stranger.get(url)  # the anonymous copy is now kept

    visitor.post(reverse("guides:progress"), {"task": task.pk, "done": "yes"})
    own = visitor.get(url)
    after = stranger.get(url)

    assert "1 of" in own.content.decode()
    assert own["Cache-Control"] == "private, no-store"
    assert "1 of" not in after.content.decode().split("tasks done")[0][-10:]
    assert after["Cache-Control"] == "public, max-age=0, must-revalidate"


def test_messages_reach_only_their_visitor(page_cache, shipped):
    url = reverse("guides:overview")
    visitor = Client()
    Client().get(url)

    visitor.post(reverse("guides:progress-reset"))
    own = visitor.get(url)
    other = Client().get(url)

    assert "Your progress has been reset" in own.content.decode()
    assert "Your progress has been reset" not in other.content.decode()


def test_addresses_with_a_query_string_are_not_kept(page_cache, shipped):
    url = reverse("guides:resource-list") + "?q=pension"
    Client().get(url)

    response = Client().get(url)

    assert not response.has_header("ETag")


def test_admin_answers_are_never_kept(editor_client, page_cache, shipped):
    response = editor_client.get(reverse("admin:index"))

    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert not response.has_header("ETag")


def test_an_error_page_is_not_kept(page_cache, shipped):
    Client().get("/no-such-page/")

    response = Client().get("/no-such-page/")

    assert response.status_code == 404
    assert not response.has_header("ETag")


def test_a_stage_page_is_shared_because_its_progress_forms_carry_no_token(page_cache, stage):
    first = Client().get(stage.get_absolute_url())

    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert "csrfmiddlewaretoken" not in first.content.decode()
    assert not first.cookies


@pytest.mark.parametrize(
    ("headers", "allowed"),
    [
        ({"HTTP_SEC_FETCH_SITE": "same-origin"}, True),
        ({"HTTP_SEC_FETCH_SITE": "cross-site"}, False),
        ({"HTTP_SEC_FETCH_SITE": "same-site"}, False),
        ({"HTTP_ORIGIN": "http://testserver"}, True),
        ({"HTTP_ORIGIN": "https://evil.example"}, False),
    ],
)
def test_progress_is_only_changed_from_this_sites_own_pages(stage, headers, allowed):
    task = stage.tasks.first()
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("guides:progress"), {"task": task.pk, "done": "yes"}, **headers)

    assert (response.status_code == 302) is allowed
    assert (response.status_code == 403) is not allowed


def test_clear_page_cache_makes_every_server_render_afresh(page_cache, home):
    before = cache.get(VERSION_KEY)
    out = StringIO()
    call_command("clear_page_cache", stdout=out)
    assert cache.get(VERSION_KEY) not in (None, before)
    assert "Cached pages dropped" in out.getvalue()


def test_a_value_kept_for_the_content_version_is_worked_out_once_per_version(page_cache):
    made = []
    kept = KeptForContentVersion(lambda: made.append(1) or len(made))
    assert (kept(), kept()) == (1, 1)
    bump_content_version()
    assert (kept(), kept()) == (2, 2)
    forget_kept_values()
    assert kept() == 3
