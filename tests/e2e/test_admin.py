import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guides.models import Stage
from portal.core.publishing import Status
from portal.models import Page
from tests.e2e.helpers import assert_accessible, sign_in

pytestmark = pytest.mark.e2e


def test_editor_changes_a_task_in_the_admin_and_sees_it_live(
    live_server, editor, page, page_errors
):
    stage = Stage.objects.get(slug="explore-the-idea")
    sign_in(page, live_server, editor)

    page.goto(live_server.url + reverse("admin:guides_stage_changelist"))
    assert_accessible(page)
    page.goto(live_server.url + reverse("admin:guides_stage_change", args=[stage.pk]))
    assert_accessible(page)
    title = page.locator("input[name$='-title'][value='Form a core team']")
    title.fill("Form a small core team")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    page.goto(live_server.url + stage.get_absolute_url())
    expect(page.get_by_role("heading", name="Form a small core team")).to_be_visible()
    assert page_errors == []


def test_editor_previews_a_draft_page_before_publishing(live_server, editor, page, page_errors):
    draft = Page.objects.create(title="Mentoring for new mutuals", slug="mentoring",
                                body="## Who mentors\n\nText.", status=Status.DRAFT)  # fmt: skip
    sign_in(page, live_server, editor)

    page.goto(live_server.url + reverse("admin:portal_page_changelist"))
    assert_accessible(page)
    page.get_by_role("link", name="Preview Mentoring for new mutuals").click()

    expect(page.locator("h1")).to_have_text("Mentoring for new mutuals")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Draft")
    assert_accessible(page)
    assert page_errors == []
    assert page.request.get(live_server.url + draft.get_absolute_url()).status == 404
