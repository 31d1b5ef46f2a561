"""Browser tests: pytest-playwright driving Debian's Chromium against Django's live server."""

import os
import shutil

import pytest

from tests.e2e.helpers import PASSWORD

# Playwright runs an event loop in the test thread; Django's ORM calls from it are safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # runs as root in CI
    "--disable-gpu",
    "--disable-background-networking",  # the network is closed: no phoning home
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if shutil.which(CHROMIUM) or os.path.exists(CHROMIUM):
        return
    if os.environ.get("CI"):
        # In CI a missing browser is a broken setup, never a reason to skip.
        raise pytest.UsageError(f"Chromium not found at {CHROMIUM}: install Debian's chromium.")
    skip = pytest.mark.skip(reason=f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "e2e" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture
def site_content(live_server, shipped):
    """The live server, with the shipped content in its database."""


class PageErrors(list):
    """Console errors, uncaught exceptions and failed or 4xx/5xx requests seen by a page.

    A request the browser cancels because the page navigated away (net::ERR_ABORTED for a
    document that is no longer the current one) is not an error: clicking Save while the
    admin is still fetching icons does that. Every other failure is recorded, including
    ERR_ABORTED for a request whose document is still the current one.
    """

    ABORTED = "net::ERR_ABORTED"

    def __init__(self, page):
        super().__init__()
        self._main_frame = page.main_frame
        self._navigations = 0  # main-frame navigations started so far
        self._pending = None  # the main-frame navigation request not yet committed
        self._issued = {}  # request -> (navigations started before it, issued mid-navigation)
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.append(f"exception: {exc}"))
        page.on("request", self._on_request)
        page.on("requestfinished", self._on_request_finished)
        page.on("requestfailed", self._on_request_failed)
        page.on("framenavigated", self._on_frame_navigated)
        page.on("response", self._on_response)

    def _on_console(self, msg):
        if msg.type == "error":
            self.append(f"console: {msg.text}")

    def _on_request(self, request):
        if request.is_navigation_request() and request.frame == self._main_frame:
            self._navigations += 1
            self._pending = request
            self._issued[request] = (self._navigations, False)
        else:
            # The old document keeps running until the new one commits; what it asks for
            # in that window is cancelled by the commit.
            self._issued[request] = (self._navigations, self._pending is not None)

    def _on_frame_navigated(self, frame):
        if frame == self._main_frame:
            self._pending = None

    def _on_request_finished(self, request):
        self._issued.pop(request, None)
        if request is self._pending:  # a navigation that never commits, e.g. a 204
            self._pending = None

    def _on_request_failed(self, request):
        navigations, mid_navigation = self._issued.pop(request, (self._navigations, False))
        if request is self._pending:
            self._pending = None
        superseded = self._navigations > navigations or mid_navigation
        if request.failure == self.ABORTED and superseded:
            return
        self.append(f"failed: {request.url} {request.failure}")

    def _on_response(self, response):
        # A document's own status is the test's business (see the 404 page test).
        if response.status >= 400 and response.request.resource_type != "document":
            self.append(f"{response.status}: {response.url}")


@pytest.fixture
def page_errors(page):
    """Errors seen by `page` (see PageErrors); compare with [] at the end of a test."""
    return PageErrors(page)


@pytest.fixture
def editor(live_server, site_content, make_staff):
    """A content editor who can sign in with PASSWORD, with the shipped content loaded."""
    user = make_staff("Content editors", username="editor")
    user.set_password(PASSWORD)
    user.save()
    return user
