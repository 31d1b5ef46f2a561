"""Browser tests: pytest-playwright driving Debian's Chromium against Django's live server."""

import os
import shutil
from io import StringIO

import pytest
from django.core.management import call_command

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
def site_content(live_server):
    """The shipped content, loaded into the live server's database."""
    call_command("load_content", stdout=StringIO())


@pytest.fixture
def page_errors(page):
    """Console errors, uncaught exceptions and failed or 4xx/5xx requests seen by `page`."""
    errors = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(f"console: {msg.text}"))
    page.on("pageerror", lambda exc: errors.append(f"exception: {exc}"))
    page.on("requestfailed", lambda req: errors.append(f"failed: {req.url} {req.failure}"))
    page.on(
        "response",
        lambda resp: (
            resp.status >= 400
            and resp.request.resource_type != "document"
            and errors.append(f"{resp.status}: {resp.url}")
        ),
    )
    return errors
