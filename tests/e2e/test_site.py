import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import (
    VIEWPORTS,
    assert_accessible,
    assert_no_sideways_scrolling,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

SITE_PAGES = [
    ("portal:home", {}),
    ("portal:page-detail", {"slug": "what-is-a-mutual"}),
    ("portal:page-detail", {"slug": "accessibility"}),
    ("portal:page-detail", {"slug": "privacy"}),
    ("portal:page-detail", {"slug": "cookies"}),
    ("portal:contact", {}),
    ("enquiries:support", {}),
    ("guides:resource-list", {}),
    ("casestudies:case-study-list", {}),
]


@pytest.mark.parametrize(("url_name", "kwargs"), SITE_PAGES)
def test_page_loads_cleanly_and_passes_axe(
    live_server, site_content, page, page_errors, url_name, kwargs
):
    page.goto(live_server.url + reverse(url_name, kwargs=kwargs))

    expect(page.locator("h1")).to_have_count(1)
    expect(page).to_have_title(re.compile(r".+ – Mutuals Information Service$"))
    # The GOV.UK JavaScript module ran: it marks the body and initialises components.
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(1)
    assert_accessible(page)
    assert page_errors == []


def test_not_found_page_keeps_the_layout_and_passes_axe(
    live_server, site_content, page, page_errors
):
    response = page.goto(live_server.url + "/no-such-page/")

    assert response.status == 404
    expect(page.locator("h1")).to_have_text("Page not found")
    expect(page.locator(".govuk-footer")).to_be_visible()
    assert_accessible(page)
    # The browser logs the document's own 404; anything else would be a broken asset.
    assert [e for e in page_errors if "status of 404" not in e] == []


def test_skip_link_moves_focus_to_main_content(live_server, site_content, page):
    page.goto(live_server.url + reverse("portal:home"))

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_visible()
    page.keyboard.press("Enter")

    expect(page).to_have_url(live_server.url + "/#main-content")
    expect(page.locator("#main-content")).to_be_focused()


def test_navigation_by_keyboard_reaches_every_section(live_server, site_content, page):
    page.goto(live_server.url + reverse("portal:home"))

    nav = page.get_by_role("navigation", name="Menu")
    nav.get_by_role("link", name="Case studies").focus()
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("Case studies")
    expect(nav.get_by_role("link", name="Case studies")).to_have_attribute("aria-current", "page")


@pytest.mark.parametrize("viewport", VIEWPORTS)
def test_home_page_screenshot(live_server, site_content, page, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + reverse("portal:home"))

    save_screenshot(page, f"home-{viewport}")

    expect(page.locator("h1")).to_have_text("Mutuals Information Service")
    start = page.get_by_role("button", name="Start the guide")
    expect(start).to_be_visible()
    expect(start).to_have_attribute("href", reverse("guides:overview"))
    expect(page.get_by_role("heading", name="Popular with visitors")).to_be_visible()
    assert_no_sideways_scrolling(page)
