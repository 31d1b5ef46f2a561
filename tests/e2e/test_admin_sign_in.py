import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.helpers import assert_accessible, save_screenshot

pytestmark = pytest.mark.e2e


def test_too_many_wrong_passwords_lock_sign_in_with_an_accessible_page(
    live_server, site_content, make_staff, page, page_errors, settings
):
    make_staff("Content editors", username="editor")
    page.goto(live_server.url + reverse("admin:login"))

    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("editor")
        page.get_by_label("Password").fill(f"wrong password {attempt}")
        # Every attempt shows the same error, so only the server's answer tells them apart:
        # wait for it, or the next attempt can start on the page the last one is leaving.
        with page.expect_response(lambda r: r.request.resource_type == "document"):
            page.get_by_role("button", name="Log in").click()
        expect(page.locator(".errornote")).to_contain_text("correct username and password")

    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("one wrong password too many")
    with page.expect_response(lambda r: r.request.resource_type == "document") as answer:
        page.get_by_role("button", name="Log in").click()

    assert answer.value.status == 429
    expect(page.locator("h1")).to_have_text("You have tried to sign in too many times")
    expect(page.get_by_text("You can try again after")).to_be_visible()
    expect(page).to_have_title(
        "You have tried to sign in too many times – Mutuals Information Service"
    )
    assert_accessible(page)
    save_screenshot(page, "admin-sign-in-locked-out")
    # The browser reports the 429 document in its console; nothing else failed.
    assert page_errors == [
        "console: Failed to load resource: the server responded with a status of 429 "
        "(Too Many Requests)"
    ]
