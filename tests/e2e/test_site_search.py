"""The site search in a real browser: from the header box on any page to labelled results."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import (
    VIEWPORTS,
    assert_accessible,
    assert_no_sideways_scrolling,
    open_as_without_javascript,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

SEARCH_URL = reverse("portal:search")


def result_types(page):
    return page.locator(".app-site-search__type")


def type_labels(page):
    """Each result's type as it reads, without the hidden 'Type: ' before it."""
    return {text.strip().removeprefix("Type: ") for text in result_types(page).all_text_contents()}


def search_from_header(page, words):
    box = page.get_by_role("search", name="Site").get_by_label("Search this site")
    box.fill(words)
    box.press("Enter")
    page.wait_for_url(f"**{SEARCH_URL}?q={words}")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_pension_from_the_header_finds_every_type_labelled(
    live_server, site_content, page, page_errors, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + reverse("guides:overview"))
    search_from_header(page, "pension")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(result_types(page).first).to_be_visible()
    assert {"Guide", "Resource", "Case study"} <= type_labels(page)
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"site-search-{viewport}")
    assert page_errors == []


def test_works_without_javascript(live_server, site_content, page, page_errors):
    open_as_without_javascript(page, live_server.url + "/")
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(0)
    search_from_header(page, "pension")
    expect(result_types(page).first).to_be_visible()
    # The type filter is a plain form too: tick one type and apply.
    page.get_by_label("Resources").check()
    page.get_by_role("button", name="Apply filters").click()
    # The sort select's default submits an empty value, as the finder's does; the words
    # already searched come last, so filtering them is not counted as another search.
    expect(page).to_have_url(
        re.compile(rf"{SEARCH_URL}\?q=pension&type=resource(&sort=)?&searched=pension$")
    )
    assert type_labels(page) == {"Resource"}
    assert_accessible(page)
    assert page_errors == []


def test_the_header_box_fits_a_phone(live_server, site_content, page, page_errors):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(live_server.url + "/")
    box = page.get_by_role("search", name="Site")
    expect(box).to_be_visible()
    assert box.bounding_box()["width"] <= 320
    assert_no_sideways_scrolling(page)
    page.goto(live_server.url + SEARCH_URL + "?q=zebra")
    expect(page.get_by_text("Nothing on the site matched your search.")).to_be_visible()
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    assert page_errors == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_a_misspelling_finds_nothing_and_suggests_the_word_without_javascript(
    live_server, site_content, page, page_errors, viewport
):
    page.set_viewport_size(VIEWPORTS[viewport])
    open_as_without_javascript(page, live_server.url + "/")
    search_from_header(page, "pensoin")
    expect(page.get_by_text("Nothing on the site matched your search.")).to_be_visible()
    suggestion = page.locator("#search-suggestion")
    expect(suggestion).to_have_text("Did you mean pension?")
    ask = page.get_by_role("link", name="ask the Mutuals Team")
    expect(ask).to_have_attribute("href", "/contact/?search=pensoin")
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"site-search-suggestion-{viewport}")
    # The suggestion is a link to the corrected search, which finds the Fair Deal resource.
    suggestion.get_by_role("link", name="pension").click()
    page.wait_for_url(f"**{SEARCH_URL}?q=pension")
    expect(page.get_by_role("link", name="The Fair Deal for pensions: an overview")).to_be_visible()
    # What to try next: a question to the Mutuals Team that starts with the search.
    page.go_back()
    ask.click()
    expect(page.locator("textarea[name=message]")).to_have_value(
        "I searched the site for ‘pensoin’. My question is: "
    )
    assert page_errors == []
