import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from enquiries.models import Enquiry
from tests.e2e.helpers import (
    VIEWPORTS,
    assert_accessible,
    assert_no_sideways_scrolling,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

STAGE_URL = reverse("guides:stage-detail", kwargs={"slug": "explore-the-idea"})
CONTACT_URL = reverse("enquiries:contact")


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def tab_to(page, selector, limit=200):
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return target
    raise AssertionError(f"Tab never reached {selector}")


def test_from_a_stage_to_the_confirmation_by_keyboard_alone(live_server, site_content, page,
                                                           page_errors, fresh_cache):  # fmt: skip
    page.goto(live_server.url + STAGE_URL)
    expect(page.get_by_role("heading", name="Who can help at this stage")).to_be_visible()

    tab_to(page, 'a[href="/contact/?stage=explore-the-idea"]')
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Contact the Mutuals Team")
    expect(page.locator("#id_stage")).to_be_checked()  # the stage came with the link
    assert_accessible(page)

    tab_to(page, "#id_name")
    page.keyboard.type("Ann Lee")
    page.keyboard.press("Tab")
    page.keyboard.type("ann@example.com")
    page.keyboard.press("Tab")  # phone, optional
    page.keyboard.press("Tab")  # contact by: email is the first option
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("Anytown Community Health")
    page.keyboard.press("Tab")  # organisation type
    page.keyboard.press("ArrowDown")  # NHS body
    page.keyboard.press("Tab")  # role
    page.keyboard.press("ArrowDown")  # Manager
    page.keyboard.press("Tab")  # service
    page.keyboard.press("ArrowDown")
    tab_to(page, "#id_message")
    page.keyboard.type("We would like to convert our service into a co-operative.")
    tab_to(page, "#id_privacy")  # past the link to the privacy notice
    page.keyboard.press("Space")
    tab_to(page, "button:has-text('Continue')")
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Check your answers before sending your enquiry")
    expect(page.locator(".govuk-summary-list")).to_contain_text("NHS body")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Stage 1: Explore the idea")
    assert_accessible(page)
    tab_to(page, "button:has-text('Send enquiry')")
    page.keyboard.press("Enter")

    expect(page.locator(".govuk-panel__title")).to_have_text("Enquiry sent")
    enquiry = Enquiry.objects.get()
    expect(page.locator(".govuk-panel__body")).to_contain_text(enquiry.reference)
    expect(page.locator("main")).to_contain_text("passed your enquiry to Co-operatives UK")
    assert enquiry.destination.slug == "co-operatives-uk"
    assert enquiry.role == "manager" and enquiry.organisation_type == "nhs"
    assert_accessible(page)
    assert page_errors == []


def test_an_error_journey_keeps_answers_and_leads_to_each_field(live_server, site_content, page,
                                                               page_errors):  # fmt: skip
    page.goto(live_server.url + CONTACT_URL)
    page.get_by_label("Full name").fill("Ann Lee")
    page.get_by_label("Email address").fill("not an email")
    page.get_by_role("button", name="Continue").click()

    expect(page).to_have_title(re.compile(r"^Error: Contact the Mutuals Team"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter an email address in the correct format")
    expect(page.get_by_label("Full name")).to_have_value("Ann Lee")
    assert_accessible(page)

    summary.get_by_role("link", name="Select your role").click()
    expect(page.locator("#id_role")).to_be_focused()
    summary.get_by_role("link", name=re.compile("Enter an email address")).click()
    expect(page.get_by_label("Email address")).to_be_focused()
    assert page_errors == []


def test_the_429_page_is_accessible(live_server, site_content, page, page_errors, settings,
                                    fresh_cache):  # fmt: skip
    settings.ENQUIRY_RATE_LIMIT = "0/h"
    page.goto(live_server.url + CONTACT_URL + "?stage=explore-the-idea")
    fill_form(page)
    page.get_by_role("button", name="Continue").click()
    response_status = []
    page.on("response", lambda r: response_status.append(r.status))
    page.get_by_role("button", name="Send enquiry").click()

    expect(page.locator("h1")).to_have_text("Sorry, you have sent too many enquiries")
    assert 429 in response_status
    assert not Enquiry.objects.exists()
    assert_accessible(page)


def fill_form(page):
    page.get_by_label("Full name").fill("Ann Lee")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_role("radio", name="Email").check()
    page.get_by_label("Organisation", exact=True).fill("Anytown Council")
    page.get_by_role("radio", name="Local authority").check()
    page.get_by_role("radio", name="Manager").check()
    page.get_by_label("Which service do you work in?").select_option("housing")
    page.get_by_label("Your enquiry").fill("How do we start?")
    page.get_by_role("checkbox", name="I have read the privacy notice").check()


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_screenshots_of_each_step(live_server, site_content, page, viewport, fresh_cache):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + CONTACT_URL + "?stage=explore-the-idea")
    expect(page.locator("h1")).to_have_text("Contact the Mutuals Team")
    expect(page.get_by_role("button", name="Continue")).to_be_visible()
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"enquiry-form-{viewport}")
    fill_form(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers before sending your enquiry")
    expect(page.get_by_role("button", name="Send enquiry")).to_be_visible()
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"enquiry-check-{viewport}")
    page.get_by_role("button", name="Send enquiry").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Enquiry sent")
    expect(page.locator(".govuk-panel__title")).to_be_visible()
    expect(page.locator(".govuk-panel__body")).to_contain_text(Enquiry.objects.get().reference)
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"enquiry-confirmation-{viewport}")
    assert_accessible(page)
