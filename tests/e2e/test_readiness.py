"""The readiness check in a browser: answered by keyboard with JavaScript off, to the stage 3
result and a filled-in contact form; and axe on every page at phone and desktop widths."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guides.readiness.models import Question
from tests.e2e.helpers import (
    VIEWPORTS,
    assert_accessible,
    assert_no_sideways_scrolling,
    sign_in,
)
from tests.guides.test_readiness import AT_STAGE_3, STAGE_3_NEXT_TASKS, STAGE_3_PARTNERS

pytestmark = pytest.mark.e2e

START = reverse("guides:readiness-start")


def answer_by_keyboard(page, labels):
    for label in labels:
        page.get_by_label(label, exact=True).focus()
        page.keyboard.press("Space")
    page.get_by_role("button", name="Continue").focus()
    page.keyboard.press("Enter")


def test_a_reader_without_javascript_reaches_stage_3_and_asks_us(
    live_server, site_content, browser
):
    context = browser.new_context(java_script_enabled=False, viewport=VIEWPORTS["desktop"])
    page = context.new_page()
    page.goto(live_server.url + reverse("portal:home"))
    page.get_by_role(
        "link", name="Answer a few questions to find out which stage you are at"
    ).click()
    expect(page.locator("h1")).to_have_text("Are you ready to spin out?")
    page.get_by_role("button", name="Start now").focus()
    page.keyboard.press("Enter")

    # Nothing chosen: the error, then the answer.
    expect(page.locator("h1")).to_have_text(
        "Have you talked to staff about running the service as a mutual?"
    )
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select whether you have talked to staff about the idea"
    )
    for labels in AT_STAGE_3.values():
        answer_by_keyboard(page, labels)

    expect(page.locator("h1")).to_have_text("Check your answers")
    page.get_by_role("button", name="See your result").focus()
    page.keyboard.press("Enter")

    expect(page.locator("h1")).to_have_text("You are at stage 3, Build the business case")
    tasks = page.get_by_role("list").filter(
        has=page.get_by_role("link", name=STAGE_3_NEXT_TASKS[0])
    )
    expect(tasks.get_by_role("link")).to_have_text(STAGE_3_NEXT_TASKS)
    partners = page.locator('[aria-labelledby="partners-heading"]').get_by_role("link")
    expect(partners).to_have_text(STAGE_3_PARTNERS)

    page.get_by_role("button", name="Ask us about this").click()
    expect(page.locator("h1")).to_have_text("Contact the Mutuals Team")
    expect(page.get_by_label("Stage 3: Build the business case")).to_be_checked()
    for topic in ("Business planning", "Legal", "Pensions", "Procurement", "TUPE"):
        expect(page.get_by_label(topic, exact=True)).to_be_checked()
    expect(page.get_by_label("Assets", exact=True)).not_to_be_checked()
    expect(page.get_by_label("Your enquiry")).to_have_value(
        re.compile(
            r"^I used the readiness check\. It placed me at stage 3, Build the business case\."
        )
    )
    context.close()


@pytest.mark.parametrize("width", ["mobile", "desktop"])
def test_every_page_passes_axe(live_server, site_content, page, page_errors, width):
    page.set_viewport_size(VIEWPORTS[width])
    page.goto(live_server.url + START)
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_accessible(page)
    for labels in AT_STAGE_3.values():
        for label in labels:
            page.get_by_label(label, exact=True).check()
        if labels == AT_STAGE_3["advice"]:
            assert_accessible(page)  # a question with checkboxes
        page.get_by_role("button", name="Continue").click()
    expect(page.locator("h1")).to_have_text("Check your answers")
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    page.get_by_role("button", name="See your result").click()
    expect(page.locator("h1")).to_have_text("You are at stage 3, Build the business case")
    assert_accessible(page)
    assert_no_sideways_scrolling(page)
    assert page_errors == []


def test_an_editor_tries_answers_in_the_admin(live_server, editor, page, page_errors):
    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("admin:guides_question_changelist"))
    assert_accessible(page)
    page.get_by_role("link", name="Try it").click()
    expect(page.locator("h1")).to_have_text("Try the readiness check")
    for slug, labels in AT_STAGE_3.items():
        group = page.locator("fieldset", has=page.locator(f"input[name='q_{slug}']")).last
        for label in labels:
            group.get_by_label(label, exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Try these answers").click()
    expect(page.locator("#result ~ p strong")).to_have_text("Stage 3, Build the business case")
    assert_accessible(page)
    page.goto(
        live_server.url
        + reverse("admin:guides_question_change", args=[Question.objects.get(slug="advice").pk])
    )
    assert_accessible(page)
    assert page_errors == []
