"""An editor finds overdue content in the admin and marks it as reviewed."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from portal.core.publishing import Status
from portal.core.reviewing import MARKED_AS_REVIEWED, add_months
from portal.models import Page
from tests.e2e.helpers import assert_accessible

pytestmark = pytest.mark.e2e

PASSWORD = "a long and unguessable password"
TODAY = timezone.localdate()
UPDATED = datetime.datetime(2025, 1, 10, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def editor(live_server, make_staff):
    user = make_staff("Content editors", username="editor")
    user.set_password(PASSWORD)
    user.save()
    return user


def sign_in(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("heading", name="Manage the site's content and enquiries")
    ).to_be_visible()


def test_an_editor_finds_an_overdue_page_and_marks_it_reviewed(
    live_server, editor, page, page_errors
):
    overdue = Page.objects.create(
        title="Cookies",
        slug="cookies",
        status=Status.PUBLISHED,
        last_reviewed=datetime.date(2025, 1, 10),
        public_updated_at=UPDATED,
        review_by=TODAY - datetime.timedelta(days=3),
    )
    Page.objects.create(title="Privacy notice", slug="privacy", status=Status.PUBLISHED)
    sign_in(page, live_server, editor)

    page.goto(live_server.url + reverse("admin:portal_page_changelist"))
    filters = page.locator("#changelist-filter")
    filters.get_by_role("link", name="Overdue").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
    expect(page.locator("#result_list")).to_contain_text("Cookies")
    expect(page.locator("#result_list")).not_to_contain_text("Privacy notice")
    assert_accessible(page)

    page.locator("#result_list").get_by_role("link", name="Cookies", exact=True).click()
    expect(page.get_by_role("heading", name="Review")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Mark as reviewed").click()

    expect(page.locator(".messagelist")).to_contain_text("Marked as reviewed. Next review by")
    assert_accessible(page)
    overdue.refresh_from_db()
    assert overdue.last_reviewed == TODAY
    assert overdue.review_by == add_months(TODAY, 12)
    assert overdue.public_updated_at == UPDATED
    assert [note.note for note in overdue.change_notes.all()] == ["First published"]
    assert overdue.history.first().history_change_reason == MARKED_AS_REVIEWED

    page.goto(live_server.url + reverse("admin:portal_page_changelist") + "?review=overdue")
    expect(page.locator("#changelist")).to_contain_text("0 pages")
    assert page_errors == []
