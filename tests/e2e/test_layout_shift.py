"""Pages must not move once shown: cumulative layout shift on a phone-sized screen."""

import pytest
from django.urls import reverse

from tests.e2e.helpers import VIEWPORTS

pytestmark = pytest.mark.e2e

# Installed before any of the page's own code runs; the observer sees every shift from the
# first paint, including those before the load event (buffered: true).
OBSERVE_SHIFTS = """
window.__shifts = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (!entry.hadRecentInput) {
      window.__shifts.push({
        value: entry.value,
        nodes: entry.sources.map((s) => s.node ? (s.node.className || s.node.nodeName) : "?"),
      });
    }
  }
}).observe({ type: "layout-shift", buffered: true });
"""

# A shift reported after load is queued as a task; two animation frames later it has arrived.
COLLECT_SHIFTS = """
() => new Promise((resolve) => {
  const settle = () => setTimeout(() => resolve(window.__shifts), 100);
  requestAnimationFrame(() => requestAnimationFrame(settle));
})
"""

PAGES = [
    ("portal:home", {}),
    ("guides:overview", {}),
    ("guides:stage-detail", {"slug": "appraise-the-options"}),
    ("guides:resource-list", {}),
    ("portal:contact", {}),
]


@pytest.mark.parametrize(("url_name", "kwargs"), PAGES)
def test_page_does_not_shift_on_a_phone(live_server, site_content, browser, url_name, kwargs):
    context = browser.new_context(viewport=VIEWPORTS["mobile"])
    try:
        page = context.new_page()
        page.add_init_script(OBSERVE_SHIFTS)
        page.goto(live_server.url + reverse(url_name, kwargs=kwargs))
        page.wait_for_load_state("load")
        shifts = page.evaluate(COLLECT_SHIFTS)
    finally:
        context.close()

    total = sum(shift["value"] for shift in shifts)
    assert total < 0.01, shifts
