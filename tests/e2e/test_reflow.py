"""Reflow (WCAG 2.2, 1.4.10): every kind of public page fits 320 CSS pixels without sideways
scrolling, with JavaScript and without it, as the accessibility statement says.

320 pixels is a 1280-pixel-wide window zoomed to 400%. Each page is loaded at that width
rather than narrowed after loading, as a reader who zooms first and then browses sees it. Of
each kind, the page with the longest title is taken: long words wrap worst.
"""

import re
from datetime import date
from importlib import import_module
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db.models.functions import Length
from django.urls import reverse
from playwright.sync_api import expect

from casestudies.models import CaseStudy, Mutual
from enquiries.links import link_for
from enquiries.models import Enquiry, Partner
from enquiries.views import SENT_KEY
from guides.models import Resource, Stage, Topic
from portal.models import Page
from tests.e2e.helpers import REFLOW_WIDTH, assert_accessible

pytestmark = pytest.mark.e2e

NARROW = {"width": REFLOW_WIDTH, "height": 640}


def longest(queryset, field="title"):
    return queryset.order_by(Length(field).desc(), "pk").first()


def page_addresses():
    """One address for each kind of public page, found in the shipped content."""
    site_page = longest(Page.objects.published().exclude(slug="home"))
    return {
        "home": reverse("portal:home"),
        "site page": site_page.get_absolute_url(),
        "guide overview": reverse("guides:overview"),
        "stage": longest(Stage.objects.published()).get_absolute_url(),
        "whole guide to print": reverse("guides:print"),
        "library finder with results": reverse("guides:resource-list") + "?q=pension",
        "site search results": reverse("portal:search") + "?q=pension",
        "are you ready to spin out": reverse("guides:readiness-start"),
        "resource": longest(Resource.objects.published()).get_absolute_url(),
        "topic": longest(Topic.objects.all(), "name").get_absolute_url(),
        "case studies": reverse("casestudies:case-study-list"),
        "case study": longest(CaseStudy.objects.published()).get_absolute_url(),
        "mutuals directory": reverse("casestudies:mutual-list"),
        "mutual": longest(Mutual.objects.published(), "name").get_absolute_url(),
        "contact form": reverse("enquiries:contact"),
        "support": reverse("enquiries:support"),
        "page feedback form": reverse("feedback:send") + "?answer=problem&path=/",
        "latest changes": reverse("portal:latest-changes"),
        "page not found": "/no-such-page/",
    }


KINDS = [
    "home",
    "site page",
    "guide overview",
    "stage",
    "whole guide to print",
    "library finder with results",
    "site search results",
    "are you ready to spin out",
    "resource",
    "topic",
    "case studies",
    "case study",
    "mutuals directory",
    "mutual",
    "contact form",
    "support",
    "page feedback form",
    "latest changes",
    "page not found",
]


@pytest.fixture
def narrow_page(page):
    page.set_viewport_size(NARROW)
    return page


@pytest.fixture
def without_javascript(browser, browser_context_args):
    """A page in a browser with JavaScript turned off, at the same width."""
    context = browser.new_context(
        **{**browser_context_args, "java_script_enabled": False, "viewport": NARROW}
    )
    yield context.new_page()
    context.close()


def assert_fits(page):
    """The page is laid out and nothing makes it wider than the window."""
    page.wait_for_load_state("load")
    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= REFLOW_WIDTH, f"{page.url} is {width} pixels wide at {REFLOW_WIDTH}"


def sent_enquiry_session(context, base_url):
    """A browser whose session has just sent an enquiry, so the thank-you page shows.

    The partner with the longest name is named on the page, the widest it can be.
    """
    store = import_module(settings.SESSION_ENGINE).SessionStore()
    partner = longest(Partner.objects.active(), "name")
    store[SENT_KEY] = {
        "token": "reflow",
        "reference": "MIS-2026-00042",
        "destination": partner.name,
        "is_fallback": partner.is_fallback,
        "due_on": date(2026, 12, 7).isoformat(),
    }
    store.create()
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": base_url}]
    )


def assert_sections_listed_without_javascript(page):
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')") is False
    # The sections are listed, not folded behind a Menu button that needs a script.
    menu = page.get_by_role("navigation", name="Menu")
    expect(menu.get_by_role("link", name="Case studies")).to_be_visible()
    expect(menu.get_by_role("button", name="Menu")).to_be_hidden()


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_page_fits_320_pixels_with_and_without_javascript(
    live_server, site_content, narrow_page, without_javascript, page_errors, kind
):
    address = live_server.url + page_addresses()[kind]
    status = 404 if kind == "page not found" else 200

    response = narrow_page.goto(address)

    assert response.status == status
    assert_fits(narrow_page)
    assert_accessible(narrow_page)
    assert [e for e in page_errors if "status of 404" not in e] == []

    assert without_javascript.goto(address).status == status
    assert_fits(without_javascript)
    assert_sections_listed_without_javascript(without_javascript)


def test_the_contact_form_with_errors_fits_320_pixels(
    live_server, site_content, narrow_page, without_javascript
):
    for page in (narrow_page, without_javascript):
        page.goto(live_server.url + reverse("enquiries:contact"))

        page.get_by_role("button", name="Continue").click()  # nothing answered: every error

        expect(page).to_have_title(re.compile(r"^Error: "))
        expect(page.locator(".govuk-error-summary")).to_be_visible()
        assert_fits(page)
    assert_accessible(narrow_page)


def test_an_enquirers_conversation_page_fits_320_pixels(
    live_server, site_content, make_enquiry, narrow_page, without_javascript
):
    enquiry = make_enquiry(longest(Partner.objects.active(), "name"))
    address = live_server.url + urlsplit(link_for(enquiry)).path

    for page in (narrow_page, without_javascript):
        assert page.goto(address).status == 200
        expect(page.locator("h1")).to_contain_text(enquiry.reference)
        assert_fits(page)
    assert_accessible(narrow_page)


def test_the_thank_you_page_fits_320_pixels(
    live_server, site_content, narrow_page, without_javascript
):
    for page in (narrow_page, without_javascript):
        sent_enquiry_session(page.context, live_server.url)

        page.goto(live_server.url + reverse("enquiries:confirmation"))

        expect(page.locator(".govuk-panel__body")).to_contain_text("MIS-2026-00042")
        assert_fits(page)
    assert_accessible(narrow_page)


def test_an_enquiry_sent_without_javascript_fits_320_pixels_at_each_step(
    live_server, site_content, without_javascript
):
    page = without_javascript
    page.goto(live_server.url + reverse("enquiries:contact") + "?stage=explore-the-idea")
    page.get_by_label("Full name").fill("Ann Lee")
    page.get_by_label("Email address").fill("ann@example.com")
    page.get_by_role("radio", name="Email").check()
    page.get_by_label("Organisation", exact=True).fill("Anytown Council")
    page.get_by_role("radio", name="Local authority").check()
    page.get_by_role("radio", name="Manager").check()
    page.get_by_label("Which service do you work in?").select_option("housing")
    page.get_by_label("Your enquiry").fill("How do we start?")
    page.get_by_role("checkbox", name="I have read the privacy notice").check()
    assert_fits(page)

    page.get_by_role("button", name="Continue").click()

    expect(page.locator(".govuk-error-summary")).to_have_count(0)
    expect(page.locator("h1")).to_have_text("Check your answers before sending your enquiry")
    assert_fits(page)

    page.get_by_role("button", name="Send enquiry").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Enquiry sent")
    reference = Enquiry.objects.get().reference
    expect(page.locator(".govuk-panel__body")).to_contain_text(reference)
    assert_fits(page)
