"""The page_errors fixture forgives only requests cancelled by leaving the page."""

import socket

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.e2e


def serve(page, url, body):
    """Answer `url` with a bare HTML page; no CSP, so the page can load what it likes."""
    html = f"<!doctype html><html lang='en'><title>Probe</title><body>{body}</body></html>"
    page.route(url, lambda route: route.fulfill(content_type="text/html", body=html))


def test_a_missing_asset_is_reported(live_server, page, page_errors):
    url = live_server.url + "/probe/"
    serve(page, url, "<img src='/static/no-such-image.png' alt=''>")

    with page.expect_response("**/no-such-image.png"):
        page.goto(url)

    assert f"404: {live_server.url}/static/no-such-image.png" in page_errors


@pytest.mark.parametrize(
    ("error", "failure"),
    [
        ("failed", "net::ERR_FAILED"),
        ("blockedbyclient", "net::ERR_BLOCKED_BY_CLIENT"),
        ("connectionrefused", "net::ERR_CONNECTION_REFUSED"),
        # Aborted while its page is still the current one: not the navigation's doing.
        ("aborted", "net::ERR_ABORTED"),
    ],
)
def test_a_failed_request_is_reported(live_server, page, page_errors, error, failure):
    url = live_server.url + "/probe/"
    serve(page, url, "<img src='/image.png' alt=''>")
    page.route("**/image.png", lambda route: route.abort(error))

    with page.expect_event("requestfailed"):
        page.goto(url)

    # Chromium may add a detail, e.g. "net::ERR_BLOCKED_BY_CLIENT.Inspector".
    assert any(e.startswith(f"failed: {live_server.url}/image.png {failure}") for e in page_errors)


def test_a_refused_connection_is_reported(live_server, page, page_errors):
    url = live_server.url + "/probe/"
    # A bound socket that never listens: the browser's own connection attempt is refused.
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        image = f"http://127.0.0.1:{closed.getsockname()[1]}/image.png"
        serve(page, url, f"<img src='{image}' alt=''>")

        with page.expect_event("requestfailed"):
            page.goto(url)

    assert f"failed: {image} net::ERR_CONNECTION_REFUSED" in page_errors


@pytest.mark.parametrize("leave", ["link", "form", "goto"])
def test_a_request_cancelled_by_leaving_the_page_is_not_reported(
    live_server, page, page_errors, leave
):
    first, second = live_server.url + "/probe/", live_server.url + "/probe/next/"
    form = f"<form method='post' action='{second}'><button>Save</button></form>"
    serve(page, first, f"<img src='/slow.png' alt=''><a href='{second}'>Next</a>{form}")
    serve(page, second, "<h1>Next</h1>")
    # Never answered: the image is still loading when the page is left, like the admin's
    # icons when an editor clicks Save straight away.
    page.route("**/slow.png", lambda route: None)

    with page.expect_request("**/slow.png"):
        page.goto(first, wait_until="domcontentloaded")
    with page.expect_event("requestfailed") as failed:
        if leave == "link":
            page.get_by_role("link", name="Next").click()
        elif leave == "form":
            page.get_by_role("button", name="Save").click()
        else:
            page.goto(second)
    expect(page.locator("h1")).to_have_text("Next")

    assert failed.value.url == live_server.url + "/slow.png"
    assert failed.value.failure == "net::ERR_ABORTED"
    assert page_errors == []
