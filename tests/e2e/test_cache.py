"""The page cache in real browsers: two visitors side by side never see each other's things."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guides.models import Stage
from portal.models import Page

pytestmark = pytest.mark.e2e


@pytest.fixture
def two_visitors(browser):
    first, second = browser.new_context(), browser.new_context()
    yield first.new_page(), second.new_page()
    first.close()
    second.close()


def test_one_visitors_progress_and_messages_never_reach_another(
    live_server, site_content, page_cache, two_visitors
):
    alice, bob = two_visitors
    stage = Stage.objects.published().in_order().first()
    task = stage.tasks.first()
    url = live_server.url + stage.get_absolute_url()
    # Bob's visit puts the anonymous copy of the stage in the cache.
    response = bob.goto(url)
    assert response.headers["cache-control"] == "public, max-age=0, must-revalidate"
    expect(bob.locator("#progress")).to_contain_text("0 of")

    alice.goto(url)
    alice.get_by_role("button", name=f"Mark as done ({task.title})").click()
    expect(alice.locator(f"#{task.anchor}")).to_contain_text("Done")
    expect(alice.locator("#progress")).to_contain_text("1 of")

    response = bob.goto(url)
    expect(bob.locator("#progress")).to_contain_text("0 of")
    expect(bob.locator(f"#{task.anchor}")).not_to_contain_text("Done")
    assert not bob.context.cookies()

    alice.goto(live_server.url + reverse("guides:overview"))
    alice.get_by_role("button", name="Reset your progress").click()
    expect(alice.locator(".govuk-notification-banner")).to_contain_text("progress has been reset")
    bob.goto(live_server.url + reverse("guides:overview"))
    expect(bob.locator(".govuk-notification-banner")).to_have_count(0)


def test_each_visitor_gets_their_own_csrf_token_and_form_answers(
    live_server, site_content, page_cache, two_visitors
):
    alice, bob = two_visitors
    url = live_server.url + reverse("portal:contact")

    alice_response = alice.goto(url)
    bob_response = bob.goto(url)

    assert alice_response.headers["cache-control"] == "private, no-store"
    tokens = [
        visitor.locator("input[name=csrfmiddlewaretoken]").first.get_attribute("value")
        for visitor in (alice, bob)
    ]
    assert tokens[0] != tokens[1]
    assert bob_response.headers["cache-control"] == "private, no-store"


def test_an_edit_in_the_admin_shows_on_the_next_request(
    live_server, site_content, page_cache, two_visitors, make_staff
):
    editor, visitor = two_visitors
    make_staff("Content editors", username="editor")
    url = live_server.url + reverse("portal:page-detail", args=["what-is-a-mutual"])
    visitor.goto(url)
    visitor.goto(url)  # now from the cache
    page = Page.objects.get(slug="what-is-a-mutual")

    editor.goto(live_server.url + reverse("admin:login"))
    editor.get_by_label("Username").fill("editor")
    editor.get_by_label("Password").fill("correct horse battery staple")
    editor.get_by_role("button", name="Log in").click()
    expect(editor.locator("#content h1")).to_be_visible()
    editor.goto(live_server.url + reverse("admin:portal_page_change", args=[page.pk]))
    editor.locator("input[name=title]").fill("What a mutual is, freshly edited")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    visitor.goto(url)
    expect(visitor.locator("h1")).to_have_text("What a mutual is, freshly edited")
