"""The resource library's finder in a real browser: keyboard only, with and without JavaScript."""

import datetime
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guides.models import Publisher, Resource, Topic
from portal.core.publishing import Status
from tests.e2e.helpers import (
    VIEWPORTS,
    assert_accessible,
    assert_no_sideways_scrolling,
    open_as_without_javascript,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

LIST_URL = reverse("guides:resource-list")
FAIR_DEAL = "The Fair Deal for pensions: an overview"


@pytest.fixture
def library(live_server):
    """25 published resources (two pages), one of them the Fair Deal overview."""
    pensions = Topic.objects.create(
        name="Pensions", slug="pensions", description="Keeping staff pensions after a spin-out."
    )
    tupe = Topic.objects.create(name="TUPE", slug="tupe")
    treasury = Publisher.objects.create(name="HM Treasury", slug="hm-treasury")
    cabinet = Publisher.objects.create(name="Cabinet Office", slug="cabinet-office")

    def make(title, slug, topics, **fields):
        resource = Resource.objects.create(
            title=title,
            slug=slug,
            summary=fields.pop("summary", f"What {title.lower()} covers."),
            status=Status.PUBLISHED,
            last_reviewed=datetime.date(2026, 11, 23),
            **fields,
        )
        resource.topics.set(topics)
        return resource

    make(
        FAIR_DEAL,
        "fair-deal",
        [pensions],
        summary="How staff keep their public sector pensions when they move to a mutual.",
        publisher=treasury,
        published_on=datetime.date(2013, 10, 1),
        published_precision=Resource.DatePrecision.MONTH,
    )
    for n in range(1, 25):
        make(
            f"Staff transfer note {n:02}",
            f"transfer-note-{n:02}",
            [tupe],
            publisher=cabinet,
            resource_type=Resource.Type.TEMPLATE if n % 2 else Resource.Type.GUIDE,
            published_on=datetime.date(2020, 1, n),
        )


def tab_to(page, locator, limit=150):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def result_links(page):
    return page.locator(".app-finder-result__title a")


def search_by_keyboard(page, text):
    box = page.get_by_label("Search the library")
    tab_to(page, box)
    page.keyboard.type(text)
    page.keyboard.press("Enter")


def tick_by_keyboard(page, label):
    checkbox = page.get_by_role("checkbox", name=re.compile(rf"^{re.escape(label)} \("))
    tab_to(page, checkbox)
    page.keyboard.press("Space")
    expect(checkbox).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Apply filters"))
    page.keyboard.press("Enter")


def test_a_new_visitor_finds_the_fair_deal_by_searching(live_server, library, page, page_errors):
    page.goto(live_server.url + LIST_URL)

    search_by_keyboard(page, "pensions")

    expect(page).to_have_url(re.compile(r"[?&]q=pensions"))
    expect(page.locator(".app-finder__count-heading")).to_have_text("1 resource")
    expect(result_links(page)).to_have_text([FAIR_DEAL])
    expect(page.locator(".app-finder-result__summary mark").first).to_have_text(
        re.compile("pensions", re.IGNORECASE)
    )
    assert_accessible(page)

    tab_to(page, result_links(page).first)
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(FAIR_DEAL)
    assert page_errors == []


def test_a_new_visitor_finds_the_fair_deal_by_ticking_pensions(
    live_server, library, page, page_errors
):
    page.goto(live_server.url + LIST_URL)
    expect(page.locator(".app-finder__count-heading")).to_have_text("25 resources")
    # The count's hidden word gives it context when read out.
    pensions = page.get_by_role("checkbox", name=re.compile(r"^Pensions \(1 result\s*\)$"))
    expect(pensions).to_be_visible()

    tick_by_keyboard(page, "Pensions")

    expect(page).to_have_url(re.compile(r"[?&]topic=pensions"))
    expect(result_links(page)).to_have_text([FAIR_DEAL])
    expect(page.get_by_role("link", name="Remove filter Topic: Pensions")).to_be_visible()
    assert_accessible(page)

    # Removing the filter by its tag brings everything back.
    tab_to(page, page.get_by_role("link", name="Remove filter Topic: Pensions"))
    page.keyboard.press("Enter")
    expect(page.locator(".app-finder__count-heading")).to_have_text("25 resources")
    assert page_errors == []


def test_sort_and_page_by_keyboard(live_server, library, page, page_errors):
    page.goto(live_server.url + LIST_URL)
    sort = page.get_by_label("Sort by")
    tab_to(page, sort)
    page.keyboard.press("ArrowDown")  # Most recent -> Title A to Z
    expect(sort).to_have_value("title")
    tab_to(page, page.get_by_role("button", name="Sort", exact=True))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]sort=title"))
    expect(result_links(page).first).to_have_text("Staff transfer note 01")
    expect(result_links(page)).to_have_count(20)

    tab_to(page, page.get_by_role("link", name="Next page"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"sort=title.*page=2|page=2.*sort=title"))
    expect(result_links(page)).to_have_count(5)
    expect(result_links(page).last).to_have_text(FAIR_DEAL)
    expect(page.get_by_label("Sort by")).to_have_value("title")
    expect(page).to_have_title(re.compile(r"\(page 2 of 2\)"))
    assert_accessible(page)
    assert page_errors == []


def test_back_restores_the_previous_results(live_server, library, page, page_errors):
    page.goto(live_server.url + LIST_URL)
    tick_by_keyboard(page, "Pensions")
    expect(result_links(page)).to_have_text([FAIR_DEAL])
    search_by_keyboard(page, "overview")
    expect(page).to_have_url(re.compile(r"q=overview"))

    page.go_back()
    expect(page).to_have_url(re.compile(r"topic=pensions"))
    expect(page.get_by_label("Search the library")).to_have_value("")
    expect(result_links(page)).to_have_text([FAIR_DEAL])

    page.go_back()
    expect(page.locator(".app-finder__count-heading")).to_have_text("25 resources")
    expect(page.get_by_role("checkbox", name=re.compile(r"^Pensions"))).not_to_be_checked()
    assert page_errors == []


def test_everything_works_without_javascript(live_server, library, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + LIST_URL)

    tick_by_keyboard(page, "TUPE")
    expect(page.locator(".app-finder__count-heading")).to_have_text("24 resources")

    search_by_keyboard(page, "note 2")
    # The filtered page's URL already had topic=tupe: wait for the search's own answer.
    expect(page).to_have_url(re.compile(r"[?&]q=note\+2"))
    expect(page).to_have_url(re.compile(r"topic=tupe"))
    expect(page.locator(".app-finder__count-heading")).to_have_text(re.compile(r"^\d+ resources?$"))

    page.goto(live_server.url + LIST_URL + "?topic=tupe")
    sort = page.get_by_label("Sort by")
    tab_to(page, sort)
    page.keyboard.press("ArrowDown")
    tab_to(page, page.get_by_role("button", name="Sort", exact=True))
    page.keyboard.press("Enter")
    expect(result_links(page).first).to_have_text("Staff transfer note 01")

    tab_to(page, page.get_by_role("link", name="Next page"))
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(result_links(page)).to_have_count(4)
    expect(page.get_by_role("checkbox", name=re.compile(r"^TUPE"))).to_be_checked()

    page.go_back()
    expect(result_links(page)).to_have_count(20)
    context.close()


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("", "results"),
        ("?q=submarine", "no-results"),
        ("?topic=nope&page=abc&q=" + "x" * 300, "notices"),
    ],
)
def test_finder_states_pass_axe_with_and_without_javascript(
    live_server, library, page, page_errors, query, name
):
    url = live_server.url + LIST_URL + query
    page.goto(url)
    expect(page.locator("h1")).to_have_text("Resource library")
    assert_accessible(page)

    open_as_without_javascript(page, url)
    expect(page.locator("body.govuk-frontend-supported")).to_have_count(0)
    assert_accessible(page)
    assert page_errors == []


def test_messages_say_what_was_ignored(live_server, library, page):
    page.goto(live_server.url + LIST_URL + "?topic=nope&topic=pensions&page=99")

    banner = page.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("We ignored a topic filter we did not recognise.")
    expect(banner).to_contain_text("only 1 page of results")
    expect(result_links(page)).to_have_text([FAIR_DEAL])


def test_topic_page_passes_axe_and_filters_within_the_topic(
    live_server, library, page, page_errors
):
    page.goto(live_server.url + reverse("guides:topic-detail", kwargs={"slug": "tupe"}))

    expect(page.locator("h1")).to_have_text("TUPE")
    expect(page.locator(".app-finder__count-heading")).to_have_text("24 resources")
    assert_accessible(page)

    tick_by_keyboard(page, "Guide")
    expect(page.locator(".app-finder__count-heading")).to_have_text("12 resources")
    expect(page).to_have_url(re.compile(r"/resources/topics/tupe/\?.*type=guide"))
    assert page_errors == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_screenshots(live_server, library, page, page_errors, viewport):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + LIST_URL + "?q=pensions&sort=relevance")
    expect(result_links(page)).to_have_text([FAIR_DEAL])
    expect(result_links(page).first).to_be_visible()
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"finder-search-{viewport}")

    page.goto(live_server.url + LIST_URL + "?topic=tupe&type=guide")
    expect(page.locator(".app-finder__count-heading")).to_have_text("12 resources")
    expect(result_links(page)).to_have_count(12)
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"finder-filtered-{viewport}")
    assert_accessible(page)
    assert page_errors == []
