"""Case studies and the directory of mutuals in a real browser: keyboard, axe and downloads."""

import csv
import io
import re
from pathlib import Path

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

ESSEX = "A primary care trust's community services become a community interest company"
ESSEX_SLUG = "north-east-essex-community-interest-company"


def tab_to(page, locator, limit=200):
    """Press Tab until `locator` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def urls():
    return {
        "list": reverse("casestudies:case-study-list"),
        "detail": reverse("casestudies:case-study-detail", kwargs={"slug": ESSEX_SLUG}),
        "directory": reverse("casestudies:mutual-list"),
        "stage": reverse("guides:stage-detail", kwargs={"slug": "set-up-and-spin-out"}),
    }


def test_from_a_guide_stage_to_a_case_study_to_a_csv_of_the_directory(
    live_server, site_content, page, page_errors
):
    page.goto(live_server.url + urls()["stage"])
    studies = page.locator(".app-stage-case-studies")
    expect(studies.get_by_role("heading", name="Case studies for this stage")).to_be_visible()

    link = studies.get_by_role("link", name=ESSEX)
    tab_to(page, link)
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text(ESSEX)
    expect(
        page.get_by_role("link", name=re.compile("Stage 4: Set up and spin out"))
    ).to_be_visible()
    facts = page.locator(".govuk-summary-list")
    expect(facts).to_contain_text("North East Essex Primary Care Trust")
    expect(facts).to_contain_text("Developing, in 2010")
    expect(facts).to_contain_text("Not known")
    expect(page.get_by_role("heading", name="What happened next")).to_be_visible()
    expect(page.locator(".app-outcomes")).to_have_text(
        "2011: Became Anglian Community Enterprise CIC"
    )

    page.get_by_role("link", name="Browse the directory of mutuals").click()
    expect(page.locator("h1")).to_have_text("Directory of public service mutuals")
    page.get_by_role("checkbox", name="East of England").check()
    page.get_by_role("checkbox", name="Health", exact=True).check()
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator(".app-cs-count")).to_have_text("1 mutual")

    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("as a spreadsheet")).click()
    download = download_info.value
    assert download.suggested_filename == "mutuals-directory.csv"
    raw = Path(download.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["North East Essex community health CIC"]
    assert rows[0]["region"] == "East of England"
    assert rows[0]["case_study_url"].endswith(urls()["detail"])
    assert rows[0]["licence"] == "Open Government Licence v3.0"
    assert rows[0]["status"] == "Developing"
    assert rows[0]["status_year"] == "2010"
    assert rows[0]["outcomes"] == "2011: Became Anglian Community Enterprise CIC"
    assert page_errors == []


def test_filter_and_sort_the_directory_by_keyboard(live_server, site_content, page, page_errors):
    page.goto(live_server.url + urls()["directory"])
    # The 12 first Mutual Pathfinders and 12 other mutuals.
    expect(page.locator(".app-cs-count")).to_have_text("24 mutuals")

    london = page.get_by_role("checkbox", name="London")
    tab_to(page, london)
    page.keyboard.press("Space")
    expect(london).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Apply filters"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"[?&]region=london"))
    expect(page.locator(".app-cs-count")).to_have_text("7 mutuals")
    # all_inner_texts() does not wait: let the rest of the page (the chart) arrive first.
    page.wait_for_load_state("load")
    chart_total = sum(
        int(text) for text in page.locator("#chart-status .app-chart__value").all_inner_texts()
    )
    assert chart_total == 7
    assert_accessible(page)

    sort_by_name = page.locator("th", has=page.get_by_role("link", name=re.compile("^Name")))
    expect(sort_by_name).to_have_attribute("aria-sort", "ascending")
    tab_to(page, sort_by_name.get_by_role("link"))
    page.keyboard.press("Enter")

    expect(page).to_have_url(re.compile(r"region=london&sort=-name"))
    # As above: a half-parsed table would hold a sorted prefix and prove nothing.
    expect(page.locator(".app-directory tbody th")).to_have_count(7)
    names = page.locator(".app-directory tbody th").all_inner_texts()
    assert names == sorted(names, key=str.lower, reverse=True)
    expect(page.get_by_role("checkbox", name="London")).to_be_checked()
    assert_accessible(page)
    assert page_errors == []


def test_filters_work_without_javascript(live_server, site_content, page, page_errors):
    open_as_without_javascript(page, live_server.url + urls()["list"])

    page.get_by_role("checkbox", name="Health").check()
    page.get_by_role("button", name="Apply filters").click()

    expect(page).to_have_url(re.compile(r"[?&]service_area=health"))
    expect(page.locator(".app-cs-count")).to_have_text("3 case studies")
    assert page_errors == []


@pytest.mark.parametrize("name", ["list", "detail", "directory"])
def test_pages_pass_axe(live_server, site_content, page, page_errors, name):
    page.goto(live_server.url + urls()[name])

    expect(page.locator("h1")).to_have_count(1)
    assert_accessible(page)
    assert page_errors == []


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
@pytest.mark.parametrize("name", ["list", "detail", "directory"])
def test_screenshots(live_server, site_content, page, page_errors, viewport, name):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + urls()[name])
    headings = {
        "list": "Case studies",
        "detail": ESSEX,
        "directory": "Directory of public service mutuals",
    }
    expect(page.locator("h1")).to_have_text(headings[name])
    expect(page.locator("h1")).to_be_visible()
    # Nothing but the directory table may scroll sideways, and that in its own box.
    assert_no_sideways_scrolling(page)
    assert_accessible(page)
    save_screenshot(page, f"casestudies-{name}-{viewport}")
    assert page_errors == []
