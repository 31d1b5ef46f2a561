"""The header in a real browser: the generic one by default, GOV.UK's font only on GOV.UK."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import REFLOW_WIDTH, VIEWPORTS, assert_accessible, save_screenshot

pytestmark = pytest.mark.e2e

SIZES = {"320": {"width": REFLOW_WIDTH, "height": 800}, "desktop": VIEWPORTS["desktop"]}

LOADED_FONTS = """async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter((face) => face.status === "loaded")
    .map((face) => `${face.family} ${face.weight}`);
}"""


@pytest.mark.parametrize("size", SIZES)
def test_the_generic_header_names_the_service_and_passes_axe(
    live_server, site_content, page, page_errors, size
):
    page.set_viewport_size(SIZES[size])
    page.goto(live_server.url + reverse("guides:overview"))

    header = page.locator(".govuk-generic-header")
    expect(header).to_be_visible()
    home = header.get_by_role("link", name="Mutuals Information Service")
    expect(home).to_have_attribute("href", reverse("portal:home"))
    expect(page.locator(".govuk-header")).to_have_count(0)
    expect(page.locator(".govuk-footer__crown")).to_have_count(0)
    expect(page.get_by_role("img", name="GOV.UK")).to_have_count(0)
    assert (
        page.locator("h1").evaluate("h1 => getComputedStyle(h1).fontFamily") == "arial, sans-serif"
    )
    assert page.evaluate(LOADED_FONTS) == []  # no web font
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    assert_accessible(page)
    save_screenshot(page, f"header-generic-{size}")

    home.click()
    expect(page.locator("h1")).to_have_text("Mutuals Information Service")
    assert page_errors == []


def test_on_govuk_gds_transport_comes_from_this_site_under_the_csp(
    live_server, site_content, page, page_errors, settings
):
    settings.GOVUK_BRANDING = True
    fonts = []
    page.on("response", lambda r: fonts.append(r) if r.request.resource_type == "font" else None)

    page.goto(live_server.url + reverse("portal:home"))

    expect(page.get_by_role("img", name="GOV.UK")).to_be_visible()
    family = page.locator("h1").evaluate("h1 => getComputedStyle(h1).fontFamily")
    assert family == '"GDS Transport", arial, sans-serif'
    assert "GDS Transport normal" in page.evaluate(LOADED_FONTS)
    assert fonts
    assert all(r.url.startswith(live_server.url + "/static/") and r.ok for r in fonts)
    assert_accessible(page)
    save_screenshot(page, "header-govuk-desktop")
    # A font the CSP refused would show here as a console error.
    assert page_errors == []
