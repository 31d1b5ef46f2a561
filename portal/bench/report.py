"""Figures as ratios to the minimal view, printed as a table and saved as JSON."""

import datetime
import json
import subprocess
from pathlib import Path

from django.conf import settings

from portal.bench.breakdown import print_breakdown
from portal.bench.pages import ADMIN_FLOOR, CACHED_PAGES, SEARCH_FLOOR, SEARCH_QUERIES


def ratios(result, baseline):
    """Requests per second, p50 and p95 as shares of the minimal view's."""
    return {
        "rps": result["rps"] / baseline["rps"],
        "p50": result["p50_ms"] / baseline["p50_ms"],
        "p95": result["p95_ms"] / baseline["p95_ms"],
    }


def with_ratios(result, baseline):
    return {**result, **{f"{k}_ratio": v for k, v in ratios(result, baseline).items()}}


def yardstick(minimal_runs):
    """The run of the minimal view that every page is compared with: the one with the lowest
    p95. A run that something else on the machine slowed down would make every ratio smaller
    and could pass a page that is too slow; the fastest run can only make a page look slower.
    """
    return min(minimal_runs, key=lambda run: run["p95_ms"])


# The targets, as ratios to the minimal view in the same run: (what, how it is read
# from the report, at most or at least, the limit). RSS is read in MiB; 150 MB is 143 MiB.
MB_IN_MIB = 1_000_000 / 1_048_576


def target_list(report, resources):
    """(what, value, bound, limit, floor): the floor is the p95 ratio, in the same run, of the
    page of the same kind with nothing of its own (pages.FLOORS), for the p95 targets it bounds.
    """
    count = f"{resources:,}"
    rss = report.get("worker_rss_mib_after_scaling") or report.get("worker_rss_mib") or []
    floors = report.get("floors", {})
    search_floor = floors.get(SEARCH_FLOOR, {}).get("p95_ratio")
    admin_floor = floors.get(ADMIN_FLOOR, {}).get("p95_ratio")
    targets = [
        (f"finder p95 at {count} resources", report["finder"].get(count, {}).get("p95_ratio"),
         "at most", 10, search_floor),
        ("finder p95 growth, 1,000 to 100,000", report.get("finder_growth_p95"), "at most", 2,
         None),
        ("contact (GET) req/s", report["pages"].get("contact (GET)", {}).get("rps_ratio"),
         "at least", 0.2, None),
    ]  # fmt: skip
    searches = report.get("site_search", {}).get(count, {})
    growths = report.get("site_search_growth_p95", {})
    for label in SEARCH_QUERIES:
        targets += [
            (f"{label} p95 at {count} resources", searches.get(label, {}).get("p95_ratio"),
             "at most", 10, search_floor),
            (f"{label} p95 growth, 1,000 to 100,000", growths.get(label), "at most", 2, None),
        ]  # fmt: skip
    for label, result in report.get("admin", {}).items():
        targets.append((f"{label} p95", result["p95_ratio"], "at most", 20, admin_floor))
    largest = max(rss) if rss else None
    targets.append(("largest gunicorn worker, MiB", largest, "at most", 150 * MB_IN_MIB, None))
    return targets


def check_targets(report, resources):
    """Each target with what was measured and whether it was met (None: not measured)."""
    checked = []
    for name, value, bound, limit, floor in target_list(report, resources):
        met = None
        if value is not None:
            met = value <= limit if bound == "at most" else value >= limit
        checked.append({"target": name, "value": value, "bound": bound, "limit": limit,
                        "met": met, "floor": floor})  # fmt: skip
    return checked


def commit():
    result = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    return result.stdout.strip() or "unknown"


def print_report(report, write):
    """The table, one call of write() per line."""
    baseline = report["baseline"]["minimal view"]
    static = report["baseline"]["static file"]
    write("")
    write(
        f"Minimal Django view: {baseline['rps']:.0f} req/s, p50 {baseline['p50_ms']:.2f} ms, "
        f"p95 {baseline['p95_ms']:.2f} ms ({report['settings']['wrk']}, "
        f"{report['settings']['workers']} gunicorn workers)"
    )
    if runs := report["baseline"].get("minimal view runs"):
        p95s = ", ".join(f"{run['p95_ms']:.2f}" for run in runs)
        write(f"  the fastest of {len(runs)} runs across the benchmark, by p95 (ms: {p95s})")
    write(
        f"Static file (whitenoise): {static['rps'] / baseline['rps']:.2f} of its req/s, "
        f"p95 {static['p95_ms'] / baseline['p95_ms']:.2f}x"
    )
    write("")
    write(f"{'page':36} {'req/s':>7} {'p50':>6} {'p95':>6} {'queries':>8}  (ratios to the view)")
    for label, result in report["pages"].items():
        queries = report["queries"].get(result["path"], "?")
        target = " (cached)" if label in CACHED_PAGES else ""
        write(
            f"{label + target:36} {result['rps_ratio']:>7.2f} {result['p50_ratio']:>6.2f} "
            f"{result['p95_ratio']:>6.2f} {queries:>8}"
        )
    journey = report["enquiry journey"]
    write(
        f"{'enquiry journey (4 requests)':36} {journey['journeys_per_second']:>5.1f}/s "
        f"p50 {journey['p50_ms']:.0f} ms, {journey['failures']} failed"
    )
    write("")
    admin_and_floors = {**report.get("admin", {}), **report.get("floors", {})}
    for label, result in admin_and_floors.items():
        write(
            f"{label:36} {result['rps_ratio']:>7.2f} {result['p50_ratio']:>6.2f} "
            f"{result['p95_ratio']:>6.2f}"
        )
    write("")
    write("Finder (keyword and two filters), uncached:")
    for count, result in report.get("finder", {}).items():
        write(f"  {count:>8} resources: p95 {result['p95_ratio']:.2f}x the view's")
    if "finder_growth_p95" in report:
        write(f"  p95 growth from 1,000 to 100,000: {report['finder_growth_p95']:.2f}x")
    write("")
    write("Targets, each p95 beside its floor (the same kind of page with nothing of its own):")
    for target in report.get("targets", []):
        verdict = {True: "met", False: "NOT MET", None: "not measured"}[target["met"]]
        value = "-" if target["value"] is None else f"{target['value']:.2f}"
        floor = target.get("floor")
        beside = "" if floor is None else f"; its floor {floor:.2f}"
        write(
            f"  {target['target']:44} {value:>7} ({target['bound']} {target['limit']:g}): "
            f"{verdict}{beside}"
        )
    write("")
    write("Site search, uncached (each request counted as a search):")
    for count, found in report["site_search"].items():
        for label, result in found.items():
            write(f"  {count:>8} resources, {label}: p95 {result['p95_ratio']:.2f}x the view's")
    for label, growth in report.get("site_search_growth_p95", {}).items():
        write(f"  {label}: p95 growth from 1,000 to 100,000: {growth:.2f}x")
    write("")
    write("A different search for each request (one or two words), uncached:")
    for count, found in report.get("rotating_searches", {}).items():
        for label, result in found.items():
            write(f"  {count:>8} resources, {label}: p95 {result['p95_ratio']:.2f}x the view's")
    for label, growth in report.get("rotating_searches_growth_p95", {}).items():
        write(f"  {label}: p95 growth from 1,000 to 100,000: {growth:.2f}x")
    write("")
    for name, weight in report["weight"].items():
        write(
            f"{name}: HTML {weight['html_bytes'] / 1024:.1f} KB "
            f"({weight['html_compressed_bytes'] / 1024:.1f} KB compressed); first visit "
            f"{weight['first_visit_bytes'] / 1024:.1f} KB; repeat visit "
            f"{weight['repeat_visit_bytes'] / 1024:.1f} KB ({weight['repeat_status']})"
        )
    print_breakdown(report, write)
    write("")
    write(f"gunicorn workers after the run: {report['worker_rss_mib']} MiB resident")
    write(f"took {report['wall_seconds']} s")


def save(report):
    """Write the report under bench-results/, named by time and commit; return the path."""
    folder = Path(settings.BASE_DIR) / "bench-results"
    folder.mkdir(exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = folder / f"{stamp}-{report['commit'][:12]}.json"
    path.write_text(json.dumps(report, indent=2) + "\n")
    return path.relative_to(settings.BASE_DIR)
