"""One whole run: prepare the data, start both servers, measure every page, stop them."""

import datetime
import json
import tempfile
import time

from portal.bench.admin import ADMIN_PAGES, admin_cookies
from portal.bench.breakdown import pages_to_break_down
from portal.bench.client import Client
from portal.bench.journeys import enquiry_journeys
from portal.bench.pages import (
    FINDER_QUERY,
    FLOORS,
    ROTATING_SEARCHES,
    SEARCH_QUERIES,
    SEARCH_WORDS,
    addresses,
    page_weight,
)
from portal.bench.report import check_targets, commit, with_ratios, yardstick
from portal.bench.servers import (
    BASELINE_APP,
    FIRST_RESOURCES,
    SITE_APP,
    SiteData,
    manage,
    rss_mib,
    server_env,
    start_server,
    worker_pids,
)
from portal.bench.wrk import Wrk

SCALED_RESOURCES = 100_000


def run_benchmark(*, workers, seconds, connections, resources, skip_scaling, step):
    """The report of one run, as print_report() and save() take it."""
    seconds = max(1, min(seconds, 30))  # bounded: a benchmark, not a soak test
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        wrk = Wrk(tmp, connections=connections, seconds=seconds, workers=workers)
        data = SiteData(server_env(), step)
        data.prepare()
        servers = [
            start_server(SITE_APP, data.env, workers),
            start_server(BASELINE_APP, data.env, workers),
        ]
        try:
            report = measure(
                *servers,
                data=data,
                wrk=wrk,
                workers=workers,
                target_resources=max(resources, FIRST_RESOURCES),
                skip_scaling=skip_scaling,
                step=step,
            )
        finally:
            for server in servers:
                server.terminate()
                server.wait(timeout=15)
    report["wall_seconds"] = round(time.monotonic() - started, 1)
    return report


def measure(site, minimal, *, data, wrk, workers, target_resources, skip_scaling, step):
    client = Client(site.base)
    found = addresses(client)
    report = {"commit": commit(), "when": datetime.datetime.now().isoformat()}
    report["settings"] = {
        "workers": workers,
        "wrk": " ".join(wrk.args),
        "database": "postgresql",
        "cache": "redis",
    }
    step("finder and site search at 1,000 resources")
    finder = {FIRST_RESOURCES: wrk.measure(site.base + FINDER_QUERY)}
    search = {FIRST_RESOURCES: measure_searches(site, wrk)}
    rotating = {FIRST_RESOURCES: measure_rotating_searches(site, wrk)}
    if target_resources > data.resources:
        data.add_resources(target_resources)
    step("baselines")
    # The minimal view three times across the run; the ratios wait for the fastest (yardstick).
    minimal_runs = [wrk.measure(minimal.base + "/")]
    static = wrk.measure(site.base + found["static file"])
    pages = {}
    for label, path in found["pages"]:
        step(label)
        pages[label] = (path, wrk.measure(site.base + path))
    minimal_runs.append(wrk.measure(minimal.base + "/"))
    step("finder and site search, a different search each time")
    rotating[data.resources] = measure_rotating_searches(site, wrk)
    step("admin, signed in")
    cookies = admin_cookies(site.base, manage, data.env)
    admin = {
        label: (path, measure_signed_in(wrk, site.base + path, cookies[who]))
        for label, who, path in ADMIN_PAGES
    }
    step("floors")
    floors = {
        label: (path, measure_signed_in(wrk, site.base + path, cookies[who] if who else None))
        for label, who, path, status in FLOORS
        if status == 200
    }
    minimal_runs.append(wrk.measure(minimal.base + "/"))
    baseline = yardstick(minimal_runs)
    report["baseline"] = {
        "minimal view": baseline,
        "minimal view runs": minimal_runs,
        "static file": static,
    }
    for section, measured in (("pages", pages), ("admin", admin), ("floors", floors)):
        report[section] = {
            label: {"path": path, **with_ratios(result, baseline)}
            for label, (path, result) in measured.items()
        }
    finder[data.resources] = report["pages"]["resources, keyword and 2 filters"]
    search[data.resources] = {label: report["pages"][label] for label in SEARCH_QUERIES}
    step("enquiry journeys")
    report["enquiry journey"] = enquiry_journeys(site.base, baseline)
    report["weight"] = {
        name: page_weight(site.base, path)
        for name, path in (("home", "/"), ("stage page", found["stage"]))
    }
    # Counted in a process of its own, with the servers' settings and the page cache off.
    counted = manage(
        {**data.env, "PAGE_CACHE_ENABLED": "false"},
        "benchmark",
        "--count-queries",
        *[path for _label, path in found["pages"]],
    )
    report["queries"] = json.loads(counted.strip().splitlines()[-1])
    step("where the time goes, in one process")
    broken_down = manage(
        {**data.env, "PAGE_CACHE_ENABLED": "false"},
        "benchmark",
        "--where-time-goes",
        json.dumps(pages_to_break_down(found["pages"], ADMIN_PAGES)),
    )
    report["where time goes"] = json.loads(broken_down.strip().splitlines()[-1])
    report["worker_rss_mib"] = [round(rss_mib(pid), 1) for pid in worker_pids(site.pid)]
    if not skip_scaling:
        data.add_resources(SCALED_RESOURCES)
        step("finder and site search at 100,000 resources")
        finder[SCALED_RESOURCES] = wrk.measure(site.base + FINDER_QUERY)
        search[SCALED_RESOURCES] = measure_searches(site, wrk)
        rotating[SCALED_RESOURCES] = measure_rotating_searches(site, wrk)
        report["worker_rss_mib_after_scaling"] = [
            round(rss_mib(pid), 1) for pid in worker_pids(site.pid)
        ]
    report["finder"] = {
        f"{count:,}": with_ratios(result, baseline) for count, result in finder.items()
    }
    if FIRST_RESOURCES in finder and SCALED_RESOURCES in finder:
        report["finder_growth_p95"] = (
            finder[SCALED_RESOURCES]["p95_ms"] / finder[FIRST_RESOURCES]["p95_ms"]
        )
    report["site_search"] = at_each_count(search, baseline)
    if growths := p95_growth(search, SEARCH_QUERIES):
        report["site_search_growth_p95"] = growths
    # Beside the searches above, made again and again: what a search costs the first time.
    report["rotating_searches"] = at_each_count(rotating, baseline)
    if growths := p95_growth(rotating, ROTATING_SEARCHES):
        report["rotating_searches_growth_p95"] = growths
    report["targets"] = check_targets(report, target_resources)
    return report


def at_each_count(by_count, baseline):
    """{resources: {label: result}} as the report keeps it: counts written out, with ratios."""
    return {
        f"{count:,}": {label: with_ratios(result, baseline) for label, result in found.items()}
        for count, found in by_count.items()
    }


def p95_growth(by_count, labels):
    """Each label's p95 at 100,000 resources as a multiple of its p95 at 1,000; None unless both
    were measured."""
    if FIRST_RESOURCES not in by_count or SCALED_RESOURCES not in by_count:
        return None
    first, scaled = by_count[FIRST_RESOURCES], by_count[SCALED_RESOURCES]
    return {label: scaled[label]["p95_ms"] / first[label]["p95_ms"] for label in labels}


def measure_signed_in(wrk, url, cookie):
    """A page under load, signed in with the session `cookie` (None: signed out)."""
    return wrk.measure(url, headers={"Cookie": cookie} if cookie else None)


def measure_searches(site, wrk):
    """Each site search measured once, uncached (a query string is never cached)."""
    return {label: wrk.measure(site.base + path) for label, path in SEARCH_QUERIES.items()}


def measure_rotating_searches(site, wrk):
    """Each search of ROTATING_SEARCHES, with different words for each request."""
    return {
        label: wrk.measure_rotating(site.base, template, SEARCH_WORDS)
        for label, template in ROTATING_SEARCHES.items()
    }
