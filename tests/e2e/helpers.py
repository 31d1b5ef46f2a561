import re
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

SCREENSHOTS = Path(__file__).resolve().parent.parent.parent / "test-output" / "screenshots"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
VIEWPORTS = {"mobile": {"width": 375, "height": 812}, "desktop": {"width": 1280, "height": 900}}
# WCAG 2.2 reflow (1.4.10): content fits 320 CSS pixels without scrolling sideways.
REFLOW_WIDTH = 320

# The password the browser tests give the staff accounts they sign in as.
PASSWORD = "a long and unguessable password"

_axe = Axe()


def assert_accessible(page):
    """Run axe-core's WCAG 2.2 A and AA rules on the current page; any violation fails."""
    # After a click the new page may still be fetching its styles and scripts; axe must see
    # the page as it ends up, or contrast and the enhanced widgets are checked half-built.
    page.wait_for_load_state("load")
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    assert not violations, f"axe violations on {page.url}:\n" + "\n".join(
        f"- {v['id']}: {v['help']} ({len(v['nodes'])} nodes: "
        + ", ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:5])
        + ")"
        for v in violations
    )


def sign_in(page, live_server, user):
    """Sign `user` in to the admin through its sign-in page (their password is PASSWORD)."""
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    assert_accessible(page)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("heading", name="Manage the site's content and enquiries")
    ).to_be_visible()


def assert_no_sideways_scrolling(page):
    """At 320 pixels wide the page itself never scrolls sideways (a table may, in its own box).

    The window is narrowed for the check and then put back as it was.
    """
    size = page.viewport_size
    page.set_viewport_size({"width": REFLOW_WIDTH, "height": size["height"]})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
    finally:
        page.set_viewport_size(size)
    assert width <= REFLOW_WIDTH, f"{page.url} is {width} pixels wide at {REFLOW_WIDTH}"


def save_screenshot(page, name):
    """Save a full-page screenshot under test-output/screenshots/ and return its path."""
    page.wait_for_load_state("load")  # fonts, styles and images in, so each shot is the same
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


SCRIPT_TAG = re.compile(r"<script\b[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)


def open_as_without_javascript(page, url):
    """Load `url` as a browser with JavaScript off would see it, while axe can still run.

    axe needs JavaScript, so instead of turning it off the page's own scripts are removed
    from the document before the browser sees it.
    """

    def strip_scripts(route):
        response = route.fetch()
        route.fulfill(response=response, body=SCRIPT_TAG.sub("", response.text()))

    page.route(url, strip_scripts)
    page.goto(url)
    page.unroute(url)
