import datetime
import re
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import expect

from guides.models import Publisher, Resource, Stage, Task, Topic
from portal.core.publishing import Status
from tests.e2e.helpers import (
    VIEWPORTS,
    assert_accessible,
    assert_no_sideways_scrolling,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def make_resource(topics=(), stages=(), **fields):
    resource = Resource.objects.create(
        status=Status.PUBLISHED, summary=f"What {fields['title'].lower()} is for.", **fields
    )
    resource.topics.set(topics)
    resource.stages.set(stages)
    return resource


@pytest.fixture
def library(live_server, settings, tmp_path):
    """A stage with resources on two topics and one without, and one resource with a file."""
    settings.MEDIA_ROOT = tmp_path
    stage = Stage.objects.create(
        number=3,
        title="Build the business case",
        slug="build-the-business-case",
        summary="Show that the mutual can pay its way and plan how staff will move across.",
        status=Status.PUBLISHED,
    )
    Task.objects.create(stage=stage, title="Write a business plan", slug="write-a-business-plan")
    planning = Topic.objects.create(name="Business planning", slug="business-planning")
    tupe = Topic.objects.create(name="TUPE", slug="tupe")
    template = make_resource(
        title="Business plan template",
        slug="business-plan-template",
        body="## How to use it\n\nFill in each section with your core team.",
        resource_type=Resource.Type.TEMPLATE,
        publisher=Publisher.objects.create(name="Cabinet Office", slug="cabinet-office"),
        published_on=datetime.date(2012, 1, 1),
        published_precision=Resource.DatePrecision.YEAR,
        external_url="https://www.example.org/business-plan-template",
        not_legal_advice=True,
        topics=[planning, tupe],
        stages=[stage],
    )
    template.file.save("business-plan-template.pdf", ContentFile(TINY_PDF), save=False)
    template.file_type, template.file_size = "PDF", len(TINY_PDF)
    template.save()
    make_resource(
        title="Staff transfers in brief",
        slug="staff-transfers-in-brief",
        topics=[tupe],
        stages=[stage],
    )
    make_resource(
        title="A note with no topic",
        slug="a-note-with-no-topic",
        resource_type=Resource.Type.LETTER,
        stages=[stage],
    )
    return {"stage": stage, "resource": template}


def test_resource_page_loads_cleanly_and_passes_axe(live_server, library, page, page_errors):
    page.goto(live_server.url + library["resource"].get_absolute_url())

    expect(page.locator("h1")).to_have_text("Business plan template")
    expect(page).to_have_title(re.compile(r"^Business plan template – .+ – Mutuals Information"))
    expect(page.locator(".govuk-warning-text")).to_contain_text("not legal advice")
    expect(page.get_by_role("heading", name="Related resources")).to_be_visible()
    assert_accessible(page)
    assert page_errors == []


def test_stage_page_with_resources_passes_axe(live_server, library, page, page_errors):
    page.goto(live_server.url + library["stage"].get_absolute_url())

    section = page.locator(".app-stage-resources")
    expect(section.get_by_role("heading", level=3)).to_have_text(
        ["Business planning", "TUPE", "Other"]
    )
    section.get_by_role("link", name="Staff transfers in brief").click()
    expect(page.locator("h1")).to_have_text("Staff transfers in brief")
    page.go_back()
    expect(
        section.get_by_role("link", name=re.compile("Find resources for this stage"))
    ).to_have_attribute("href", "/resources/?stage=build-the-business-case")
    assert_accessible(page)
    assert page_errors == []


def focused_text(page):
    return page.evaluate("document.activeElement && document.activeElement.textContent.trim()")


def test_tab_reaches_the_download_then_the_topic_links(live_server, library, page, page_errors):
    page.goto(live_server.url + library["resource"].get_absolute_url())

    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        seen.append(focused_text(page))
        if seen[-1] == "TUPE":
            break
    download = f"Download the business plan template ({library['resource'].file_description})"
    assert download in seen, seen
    assert seen.index(download) < seen.index("Business planning") < seen.index("TUPE")

    assert page_errors == []

    # The focused download link is followed with Enter, and the file comes back.
    page.get_by_role("link", name=download).focus()
    # The aborted navigation is reported separately from the download; wait for both.
    with page.expect_event("requestfailed"), page.expect_download() as download_info:
        page.keyboard.press("Enter")
    saved = download_info.value
    assert saved.suggested_filename.startswith("business-plan-template")
    assert Path(saved.path()).read_bytes() == TINY_PDF
    # Chromium reports a navigation that became a download as aborted; nothing else may fail.
    download_url = live_server.url + library["resource"].get_download_url()
    assert page_errors == [f"failed: {download_url} net::ERR_ABORTED"]


def test_external_address_is_written_out_on_paper(live_server, library, page):
    page.goto(live_server.url + library["resource"].get_absolute_url())
    page.emulate_media(media="print")

    link = page.locator(".app-resource-access__external")
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert "https://www.example.org/business-plan-template" in after
    expect(page.locator(".app-print-only")).to_contain_text(library["resource"].get_absolute_url())
    expect(page.locator(".govuk-generic-header")).to_be_hidden()


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize("name", ["resource", "stage"])
def test_resource_screenshots(live_server, library, page, viewport, name):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + library[name].get_absolute_url())

    expect(page.locator("h1")).to_have_text(library[name].title)
    expect(page.locator("h1")).to_be_visible()
    link = page.locator("main").get_by_role("link", name="Business plan template").first
    if name == "resource":
        link = page.locator(".app-resource-access__download")
    expect(link).to_be_visible()
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"library-{name}-{viewport}")
