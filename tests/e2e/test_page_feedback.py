"""'Is this page useful?' in the browser, with JavaScript off and on, checked with axe."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from playwright.sync_api import expect

from guides.models import Stage
from portal.feedback.models import Answer, PageFeedback
from tests.e2e.helpers import assert_accessible, open_as_without_javascript

pytestmark = pytest.mark.e2e

STAGE_URL = reverse("guides:stage-detail", kwargs={"slug": "explore-the-idea"})


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


def feedback(page):
    return page.locator(".app-page-feedback")


def test_yes_without_javascript_thanks_the_visitor(live_server, site_content, page, page_errors):
    open_as_without_javascript(page, live_server.url + STAGE_URL)
    assert_accessible(page)

    feedback(page).get_by_role("button", name="Yes this page is useful").click()

    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    assert_accessible(page)
    saved = PageFeedback.objects.get()
    assert (saved.answer, saved.path) == (Answer.YES, STAGE_URL)
    assert saved.item == Stage.objects.get(slug="explore-the-idea")
    page.get_by_role("link", name="Go back to the page you were on").click()
    expect(page).to_have_url(live_server.url + STAGE_URL)
    assert page_errors == []


def test_no_without_javascript_opens_the_form_on_its_own_page(
    live_server, site_content, page, page_errors
):
    open_as_without_javascript(page, live_server.url + STAGE_URL)
    expect(page.locator("#page-feedback-form")).to_be_hidden()

    feedback(page).get_by_role("button", name="No this page is not useful").click()

    expect(page.locator("h1")).to_have_text("Tell us why this page was not useful")
    assert_accessible(page)
    page.get_by_label("What were you doing? (optional)").fill("Looking for help with pensions")
    page.get_by_label("What went wrong? (optional)").fill("Email me at ann@example.com")
    page.get_by_role("button", name="Send").click()

    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    saved = PageFeedback.objects.get()
    assert (saved.answer, saved.doing, saved.went_wrong) == (
        Answer.NO,
        "Looking for help with pensions",
        "Email me at [removed]",
    )
    assert page_errors == []


def test_an_empty_problem_report_without_javascript_shows_the_error_and_keeps_the_text(
    live_server, site_content, page, page_errors
):
    open_as_without_javascript(page, live_server.url + "/privacy/")

    feedback(page).get_by_role("link", name="Report a problem with this page").click()
    expect(page.locator("h1")).to_have_text("Report a problem with this page")
    page.get_by_label("What were you doing?").fill("Reading about cookies")
    page.get_by_role("button", name="Send").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter what went wrong")
    expect(page).to_have_title(
        "Error: Report a problem with this page – Mutuals Information Service"
    )
    expect(page.get_by_label("What were you doing?")).to_have_value("Reading about cookies")
    assert_accessible(page)
    summary.get_by_role("link", name="Enter what went wrong").click()
    expect(page.locator("#id_went_wrong")).to_be_focused()
    assert not PageFeedback.objects.exists()
    assert page_errors == []


def test_no_with_javascript_opens_the_form_in_place(live_server, site_content, page, page_errors):
    page.goto(live_server.url + STAGE_URL)
    no = feedback(page).get_by_role("button", name="No this page is not useful")
    expect(no).to_have_attribute("aria-expanded", "false")

    no.click()

    form = page.locator("#page-feedback-form")
    expect(form).to_be_visible()
    expect(page).to_have_url(live_server.url + STAGE_URL)
    heading = form.get_by_role("heading", name="Tell us why this page was not useful")
    expect(heading).to_be_focused()
    expect(no).to_be_hidden()
    assert_accessible(page)
    form.get_by_label("What went wrong? (optional)").fill("Call 07700 900123, it is unclear")
    form.get_by_role("button", name="Send").click()

    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    assert_accessible(page)
    saved = PageFeedback.objects.get()
    assert (saved.answer, saved.went_wrong, saved.path) == (
        Answer.NO,
        "Call [removed], it is unclear",
        STAGE_URL,
    )
    assert page_errors == []


def test_report_a_problem_with_javascript_opens_in_place_and_cancel_closes_it(
    live_server, site_content, page, page_errors
):
    page.goto(live_server.url + STAGE_URL)
    report = feedback(page).get_by_role("link", name="Report a problem with this page")

    report.click()
    form = page.locator("#page-feedback-form")
    expect(form.get_by_role("heading", name="Report a problem with this page")).to_be_focused()
    expect(form.get_by_role("textbox", name="What went wrong?", exact=True)).to_be_visible()
    assert_accessible(page)

    form.get_by_role("button", name="Cancel").click()
    expect(form).to_be_hidden()
    expect(report).to_be_focused()
    expect(report).to_have_attribute("aria-expanded", "false")

    report.click()
    form.get_by_role("textbox", name="What went wrong?", exact=True).fill(
        "The link to the toolkit is broken"
    )
    form.get_by_role("button", name="Send").click()

    expect(page.locator("h1")).to_have_text("Thank you for your feedback")
    saved = PageFeedback.objects.get()
    assert (saved.answer, saved.went_wrong) == (Answer.PROBLEM, "The link to the toolkit is broken")
    assert page_errors == []
