import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guides.content import STAGES_FILE
from portal.core.content import read_toml
from tests.e2e.helpers import (
    VIEWPORTS,
    assert_accessible,
    assert_no_sideways_scrolling,
    open_as_without_javascript,
    save_screenshot,
)

pytestmark = pytest.mark.e2e

STAGE_URL = reverse("guides:stage-detail", kwargs={"slug": "explore-the-idea"})
FIRST_STAGE_TASKS = len(read_toml(STAGES_FILE)["stage"][0]["task"])


def step_button(page, title):
    return page.locator(".app-step-nav__button", has_text=title)


@pytest.mark.parametrize(
    "url",
    [reverse("guides:overview"), STAGE_URL, reverse("guides:print")],
    ids=["overview", "stage", "print"],
)
def test_guide_page_loads_cleanly_and_passes_axe(live_server, site_content, page, page_errors, url):
    page.goto(live_server.url + url)

    expect(page.locator("h1")).to_have_count(1)
    expect(page).to_have_title(
        re.compile(r"How to set up a mutual.* – Mutuals Information Service$")
    )
    assert_accessible(page)
    assert page_errors == []


def test_steps_show_and_hide_with_the_keyboard(live_server, site_content, page, page_errors):
    page.goto(live_server.url + reverse("guides:overview"))

    first = step_button(page, "Explore the idea")
    panel = page.locator("#step-panel-explore-the-idea")
    expect(first).to_have_attribute("aria-expanded", "false")
    expect(first).to_have_attribute("aria-controls", "step-panel-explore-the-idea")
    expect(panel).to_be_hidden()

    first.focus()
    page.keyboard.press("Enter")
    expect(first).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()
    expect(panel.get_by_role("link", name="Form a core team")).to_be_visible()
    assert_accessible(page)

    page.keyboard.press("Space")
    expect(first).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()

    show_all = page.get_by_role("button", name="Show all steps")
    show_all.focus()
    page.keyboard.press("Enter")
    hide_all = page.get_by_role("button", name="Hide all steps")
    expect(hide_all).to_have_attribute("aria-expanded", "true")
    expect(page.locator(".app-step-nav__button[aria-expanded='true']")).to_have_count(5)
    expect(page.locator(".app-step-nav__panel:visible")).to_have_count(5)

    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="Show all steps")).to_have_attribute(
        "aria-expanded", "false"
    )
    expect(page.locator(".app-step-nav__panel:visible")).to_have_count(0)
    assert page_errors == []


def test_open_steps_are_remembered_for_the_visit(live_server, site_content, page):
    page.goto(live_server.url + reverse("guides:overview"))
    step_button(page, "Build the business case").click()
    # The script has saved the open step only once it has opened it.
    expect(step_button(page, "Build the business case")).to_have_attribute("aria-expanded", "true")

    page.reload()
    expect(step_button(page, "Build the business case")).to_have_attribute("aria-expanded", "true")
    expect(step_button(page, "Explore the idea")).to_have_attribute("aria-expanded", "false")

    page.goto(live_server.url + STAGE_URL)
    page.go_back()
    expect(step_button(page, "Build the business case")).to_have_attribute("aria-expanded", "true")


def test_stage_sidebar_opens_the_current_stage(live_server, site_content, page):
    page.goto(live_server.url + STAGE_URL)

    sidebar = page.get_by_role("navigation", name="Part of How to set up a mutual")
    expect(sidebar.locator(".app-step-nav__step--current")).to_contain_text("Explore the idea")
    expect(step_button(sidebar, "Explore the idea")).to_have_attribute("aria-expanded", "true")
    expect(step_button(sidebar, "Appraise the options")).to_have_attribute("aria-expanded", "false")


def test_without_javascript_every_step_is_open(live_server, site_content, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + reverse("guides:overview"))

    expect(page.locator(".app-step-nav__panel")).to_have_count(5)
    expect(page.locator(".app-step-nav__panel:visible")).to_have_count(5)
    expect(page.locator(".app-step-nav__button")).to_have_count(0)
    expect(page.get_by_role("button", name="Show all steps")).to_have_count(0)
    expect(page.get_by_role("link", name="Form a core team")).to_be_visible()
    context.close()


@pytest.mark.parametrize("path", [reverse("guides:overview"), STAGE_URL], ids=["overview", "stage"])
def test_the_guide_without_javascript_passes_axe(live_server, site_content, page, path):
    open_as_without_javascript(page, live_server.url + path)

    expect(page.locator("body.js-enabled")).to_have_count(0)
    expect(page.locator(".app-step-nav__button")).to_have_count(0)
    assert_accessible(page)


def test_marking_a_task_done_without_javascript(live_server, site_content, browser):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + STAGE_URL)

    page.get_by_role("button", name="Mark as done (Form a core team)").click()

    expect(page).to_have_url(re.compile(r"#task-form-a-core-team$"))
    expect(page.locator("#progress")).to_contain_text("1 of")
    context.close()


def test_marking_a_task_done_updates_the_count(live_server, site_content, page, page_errors):
    page.goto(live_server.url + reverse("guides:overview"))
    total = int(re.search(r"0 of (\d+) tasks done", page.locator("#progress").inner_text())[1])

    page.get_by_role("button", name="Show all steps").click()
    page.get_by_role("link", name="Talk to staff about the idea").click()
    expect(page).to_have_url(re.compile(r"explore-the-idea/#task-talk-to-staff-about-the-idea$"))

    page.get_by_role("button", name="Mark as done (Talk to staff about the idea)").click()
    task = page.locator("#task-talk-to-staff-about-the-idea")
    # The URL already ended in the task's anchor before the form was sent: wait for the
    # answer (the "Done" tag) before checking where it landed.
    expect(task).to_contain_text("Done")
    expect(page).to_have_url(re.compile(r"explore-the-idea/#task-talk-to-staff-about-the-idea$"))
    expect(
        task.get_by_role("button", name="Mark as not done (Talk to staff about the idea)")
    ).to_be_visible()
    expect(page.locator("#progress")).to_contain_text(f"1 of {total} tasks done")
    expect(page.locator("#progress")).to_contain_text(f"1 of {FIRST_STAGE_TASKS} in this stage")
    assert_accessible(page)

    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="How to set up a mutual"
    ).click()
    # The stage page shows the same count, so only the URL says the overview has loaded.
    expect(page).to_have_url(live_server.url + reverse("guides:overview"))
    expect(page.locator("#progress")).to_contain_text(f"1 of {total} tasks done")

    page.get_by_role("button", name="Reset your progress").click()
    expect(page.locator("#progress")).to_contain_text(f"0 of {total} tasks done")
    expect(page.get_by_text("Your progress has been reset.")).to_be_visible()
    page.wait_for_load_state("load")  # so a failing asset on this last page is always seen
    assert page_errors == []


def test_reading_the_guide_from_start_to_finish(live_server, site_content, page):
    page.goto(live_server.url + reverse("guides:overview"))
    page.get_by_role("button", name="Show all steps").click()
    page.get_by_role("link", name="Read stage 1 in full").click()

    titles = [
        "Explore the idea",
        "Appraise the options",
        "Build the business case",
        "Set up and spin out",
        "Trade and grow",
    ]
    next_link = page.get_by_role("navigation", name="Stages in the guide").locator("[rel=next]")
    for title in titles[:-1]:
        # Wait for each stage to arrive: reading h1 or counting links straight after a
        # click can see the page before it has been parsed.
        expect(page.locator("h1")).to_have_text(title)
        next_link.click()
    expect(page.locator("h1")).to_have_text(titles[-1])
    page.wait_for_load_state("load")
    expect(next_link).to_have_count(0)


def test_print_page_hides_navigation_on_paper(live_server, site_content, page):
    page.goto(live_server.url + reverse("guides:print"))
    page.emulate_media(media="print")

    expect(page.locator(".govuk-generic-header")).to_be_hidden()
    expect(page.locator(".govuk-breadcrumbs")).to_be_hidden()
    expect(page.locator(".app-print-stage")).to_have_count(5)
    second = page.locator(".app-print-stage").nth(1)
    assert second.evaluate("el => getComputedStyle(el).breakBefore") == "page"
    link = page.locator(".app-prose a[href='/contact/']").first
    after = link.evaluate("el => getComputedStyle(el, '::after').content")
    assert "/contact/" in after


@pytest.mark.parametrize("viewport", VIEWPORTS)
@pytest.mark.parametrize(
    ("name", "url"), [("guide-overview", reverse("guides:overview")), ("guide-stage", STAGE_URL)]
)
def test_guide_screenshots(live_server, site_content, page, viewport, name, url):
    page.set_viewport_size(VIEWPORTS[viewport])
    page.goto(live_server.url + url)
    if name == "guide-overview":
        step_button(page, "Explore the idea").click()
        expect(step_button(page, "Explore the idea")).to_have_attribute("aria-expanded", "true")

    heading = "How to set up a mutual" if name == "guide-overview" else "Explore the idea"
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("h1")).to_be_visible()
    assert_no_sideways_scrolling(page)
    save_screenshot(page, f"{name}-{viewport}")
