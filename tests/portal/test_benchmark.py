"""The benchmark's own arithmetic; the full run (make bench) needs PostgreSQL, Redis and wrk."""

import contextlib
import io
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from enquiries.models import PartnerMembership
from portal.bench.admin import admin_cookies
from portal.bench.client import Client
from portal.bench.pages import ADMIN_FLOOR, SEARCH_FLOOR, assets_of, nested_assets
from portal.bench.report import check_targets, ratios
from portal.bench.servers import BASELINE_APP, start_server
from portal.bench.wrk import parse_wrk
from tests.factories import make_enquiry

WRK_OUTPUT = """Running 4s test @ http://127.0.0.1:8000/
  2 threads and 16 connections
  4125 requests in 3.06s, 183.21MB read
Requests/sec:   1348.12
BENCH {"requests": 4000, "duration_us": 4000000, "p50_us": 1500, "p95_us": 6000, "non2xx": 2, "socket_errors": 1}
"""  # noqa: E501 - wrk's own line


def test_wrk_results_are_read_from_the_line_the_script_prints():
    result = parse_wrk(WRK_OUTPUT)

    assert result == {
        "requests": 4000,
        "rps": 1000.0,
        "p50_ms": 1.5,
        "p95_ms": 6.0,
        "errors": 2,
        "socket_errors": 1,
    }


def test_missing_wrk_results_are_an_error_not_a_zero():
    with pytest.raises(CommandError, match="wrk printed no result"):
        parse_wrk("Running 4s test\n")


def test_every_figure_is_a_ratio_to_the_minimal_view():
    baseline = {"rps": 2000.0, "p50_ms": 1.0, "p95_ms": 4.0}
    page = {"rps": 1600.0, "p50_ms": 1.5, "p95_ms": 10.0}

    assert ratios(page, baseline) == {"rps": 0.8, "p50": 1.5, "p95": 2.5}


def test_pages_are_compared_with_the_minimal_views_fastest_run():
    """A run of the minimal view slowed by something else on the machine would shrink every
    ratio and could pass a page that is too slow."""
    from portal.bench.report import yardstick

    steady = {"rps": 5000.0, "p50_ms": 3.0, "p95_ms": 4.0}
    slowed = {"rps": 1700.0, "p50_ms": 8.0, "p95_ms": 19.0}
    search = {"rps": 250.0, "p50_ms": 60.0, "p95_ms": 80.0}

    assert yardstick([slowed, steady, {**steady, "p95_ms": 4.5}]) is steady
    assert ratios(search, yardstick([slowed, steady]))["p95"] == 20.0  # not 80 / 19


def test_page_weight_follows_stylesheets_scripts_icons_and_what_they_pull_in():
    html = (
        '<link rel="icon" sizes="48x48" href="/static/favicon.ico">'
        '<link rel="icon" sizes="any" href="/static/favicon.svg" type="image/svg+xml">'
        '<link rel="stylesheet" href="/static/build/site.1.css">'
        '<script type="module" src="/static/js/site.2.js"></script>'
    )

    assert assets_of(html, "http://127.0.0.1:1/") == [
        "http://127.0.0.1:1/static/build/site.1.css",
        "http://127.0.0.1:1/static/js/site.2.js",
        "http://127.0.0.1:1/static/favicon.svg",
    ]
    css = b'.a{background:url("../govuk/assets/images/crest.3.svg")}.b{background:url(data:x)}'
    assert nested_assets("http://h/static/build/site.1.css", "text/css", css) == [
        "http://h/static/govuk/assets/images/crest.3.svg"
    ]
    module = b'import { initAll } from "../govuk/govuk-frontend.min.4.js";'
    assert nested_assets("http://h/static/js/site.2.js", "text/javascript", module) == [
        "http://h/static/govuk/govuk-frontend.min.4.js"
    ]


def test_queries_are_counted_per_page(db, capsys):
    call_command("benchmark", "--count-queries", "/robots.txt", "/healthz")

    assert capsys.readouterr().out.strip() == '{"/robots.txt": 0, "/healthz": 1}'


def test_importing_the_benchmark_leaves_settings_alone():
    """Tests import these modules; none may configure Django on its way in."""
    code = (
        "import importlib, pkgutil, portal.bench\n"
        "for module in pkgutil.iter_modules(portal.bench.__path__):\n"
        "    importlib.import_module(f'portal.bench.{module.name}')\n"
        "importlib.import_module('portal.management.commands.benchmark')\n"
        "from django.conf import settings\n"
        "print(settings.configured)\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )

    assert result.stdout == "False\n"


@pytest.mark.system
def test_gunicorn_serves_the_minimal_view_from_its_own_settings():
    server = start_server(BASELINE_APP, dict(os.environ), workers=1)
    try:
        response, body = Client(server.base).request("GET", "/")
    finally:
        server.terminate()
        server.wait(timeout=15)

    assert response.status == 200
    assert body == b"A fixed, short page.\n"


def test_each_target_is_read_from_the_report_and_judged_against_the_issues_limit():
    def result(p95_ratio, rps_ratio=1.0):
        return {"p95_ratio": p95_ratio, "rps_ratio": rps_ratio}

    report = {
        "finder": {"1,000": result(3.0), "10,000": result(9.5), "100,000": result(8.0)},
        "finder_growth_p95": 2.7,
        "site_search": {
            "1,000": {"site search": result(2.0)},
            "10,000": {"site search": result(10.5), "site search, 2 words and a type": result(4.0)},
        },
        "site_search_growth_p95": {"site search, 2 words and a type": 1.5},
        "pages": {"contact (GET)": result(5.0, rps_ratio=0.25)},
        "admin": {"admin dashboard, Mutuals Team": result(20.0)},
        "floors": {SEARCH_FLOOR: result(7.5), ADMIN_FLOOR: result(18.0)},
        "worker_rss_mib": [90.0, 150.0],
    }

    targets = check_targets(report, 10_000)
    checked = {t["target"]: (t["value"], t["met"]) for t in targets}

    assert checked == {
        "finder p95 at 10,000 resources": (9.5, True),
        "finder p95 growth, 1,000 to 100,000": (2.7, False),
        "site search p95 at 10,000 resources": (10.5, False),
        "site search p95 growth, 1,000 to 100,000": (None, None),
        "site search, 2 words and a type p95 at 10,000 resources": (4.0, True),
        "site search, 2 words and a type p95 growth, 1,000 to 100,000": (1.5, True),
        "contact (GET) req/s": (0.25, True),
        "admin dashboard, Mutuals Team p95": (20.0, True),
        # 150 MiB is more than 150 MB.
        "largest gunicorn worker, MiB": (150.0, False),
    }
    # Each p95 target beside the floor of its kind of page, measured in the same run.
    assert {t["target"]: t["floor"] for t in targets if t["floor"] is not None} == {
        "finder p95 at 10,000 resources": 7.5,
        "site search p95 at 10,000 resources": 7.5,
        "site search, 2 words and a type p95 at 10,000 resources": 7.5,
        "admin dashboard, Mutuals Team p95": 18.0,
    }


@pytest.mark.django_db(transaction=True)
def test_the_benchmark_signs_in_to_the_admin_as_a_handler_and_as_the_mutuals_team(
    live_server, make_partner, capsys
):
    busy, quiet = make_partner("Busy partner"), make_partner("Quiet partner")
    for partner in (busy, busy, quiet):
        make_enquiry(destination=partner)

    cookies = admin_cookies(live_server.url, lambda env, *args: run_shell(args[-1]), {})

    for who, expected in (("handler", 2), ("team", 3)):
        client = Client(live_server.url)
        response, body = client.request(
            "GET", "/admin/enquiries/enquiry/", headers={"Cookie": cookies[who]}
        )
        assert response.status == 200, who
        assert f"{expected} enquiries" in body.decode(), who
    membership = PartnerMembership.objects.get(user__username="bench-handler")
    assert membership.partner == busy


def run_shell(code):
    """What `manage.py shell -c code` prints, run in this process."""
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(code, {})  # noqa: S102 - the benchmark's own code
    return output.getvalue()


def test_the_site_search_addresses_use_the_real_parameters(client, make_resource):
    from portal.bench.pages import PAGES, SEARCH_QUERIES

    make_resource(title="Pension transfer", slug="pension-transfer")
    assert set(SEARCH_QUERIES.items()) <= set(PAGES)
    for path in SEARCH_QUERIES.values():
        response = client.get(path)
        assert response.status_code == 200
        assert response.context["notices"] == []
        assert response.context["page"].paginator.count == 1
    filtered = client.get(SEARCH_QUERIES["site search, 2 words and a type"])
    assert filtered.context["filterset"].values["type"] == ["resource"]


def printed(**sections):
    """The lines print_report() writes for a report with nothing measured but `sections`."""
    from portal.bench.report import print_report

    baseline = {"rps": 1000.0, "p50_ms": 0.5, "p95_ms": 2.0}
    report = {
        "baseline": {"minimal view": baseline, "static file": baseline},
        "settings": {"wrk": "wrk", "workers": 2},
        "pages": {},
        "queries": {},
        "enquiry journey": {"journeys_per_second": 1.0, "p50_ms": 1.0, "failures": 0},
        "finder": {},
        "site_search": {},
        "weight": {},
        "worker_rss_mib": [],
        "wall_seconds": 1,
        **sections,
    }
    lines = []
    print_report(report, lines.append)
    return lines


def test_the_report_names_the_minimal_views_runs_and_the_one_compared_with():
    fastest = {"rps": 1000.0, "p50_ms": 0.5, "p95_ms": 2.0}
    slowed = {"rps": 400.0, "p50_ms": 4.0, "p95_ms": 9.25}
    runs = [slowed, fastest]
    lines = printed(
        baseline={"minimal view": fastest, "minimal view runs": runs, "static file": fastest}
    )
    assert lines[1].startswith("Minimal Django view: 1000 req/s, p50 0.50 ms, p95 2.00 ms")
    assert lines[2] == "  the fastest of 2 runs across the benchmark, by p95 (ms: 9.25, 2.00)"


def test_the_report_gives_the_site_search_at_each_count():
    def result(p95):
        return {"rps": 100.0, "p50_ms": 1.0, "p95_ms": p95, "rps_ratio": 1.0, "p50_ratio": 1.0}

    lines = printed(
        site_search={
            "1,000": {"site search": {**result(4.0), "p95_ratio": 2.0}},
            "100,000": {"site search": {**result(6.0), "p95_ratio": 3.0}},
        },
        site_search_growth_p95={"site search": 1.5},
    )
    assert "     1,000 resources, site search: p95 2.00x the view's" in lines
    assert "   100,000 resources, site search: p95 3.00x the view's" in lines
    assert "  site search: p95 growth from 1,000 to 100,000: 1.50x" in lines


@contextlib.contextmanager
def noting_server(status=200, together=1):
    """A server on loopback that answers every request with `status` and notes its address:
    (its base address, the addresses asked for). With `together` above 1, it answers only once
    that many requests are waiting at the same time, and with 503 if they never are."""
    import http.server
    import threading

    asked = []
    waiting = threading.Barrier(together, timeout=5)

    class Noting(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self):
            asked.append(self.path)
            try:
                waiting.wait()
            except threading.BrokenBarrierError:
                self.send_response(503)
            else:
                self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Noting)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", asked
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.system
def test_a_rotating_search_asks_for_different_words_each_time(tmp_path):
    """wrk, for a second, against a server that notes every address it is asked for."""
    from portal.bench.wrk import Wrk

    wrk = Wrk(tmp_path, connections=2, seconds=1, workers=1)
    with noting_server() as (base, asked):
        result = wrk.measure_rotating(base, "/search/?q={words}&type=guide", ["tax", "vat", "tupe"])

    assert result["requests"] > 20
    assert result["errors"] == 0
    searched = {path.removeprefix("/search/?q=").removesuffix("&type=guide") for path in asked}
    assert all(path.startswith("/search/?q=") and path.endswith("&type=guide") for path in asked)
    assert {"tax", "vat", "tupe"} < searched  # one word, and two (joined by +)
    assert all(word in {"tax", "vat", "tupe"} for q in searched for word in q.split("+"))
    assert any("+" in q for q in searched)


@pytest.mark.system
def test_a_page_answering_with_errors_is_not_measured(tmp_path):
    """The figures of a page that failed under load would be its error page's."""
    from portal.bench.wrk import Wrk

    wrk = Wrk(tmp_path, connections=2, seconds=1, workers=1, warm_up_rounds=1)
    with noting_server(status=503) as (base, _asked):
        with pytest.raises(CommandError, match=r"/search/\?q=tax answered 503 when warming up"):
            wrk.measure(base + "/search/?q=tax")
        with pytest.raises(
            CommandError, match=r"/search/\?q=tax answered \d+ requests with errors"
        ):
            wrk.measure(base + "/search/?q=tax", warm=False)


@pytest.mark.system
def test_the_warm_up_asks_each_worker_at_the_same_moment(tmp_path):
    """Sent one after another, the warm-up's requests could all go to one gunicorn worker; sent
    together, a worker busy with one leaves the next to another."""
    from portal.bench.wrk import Wrk

    wrk = Wrk(tmp_path, connections=2, seconds=1, workers=2, warm_up_rounds=3)
    with noting_server(together=2) as (base, asked):
        wrk.warm_up(base + "/resources/?q=tax", {"Cookie": "sessionid=abc"})

    # The server refuses a request that waited alone (503), which the warm-up would raise.
    assert asked == ["/resources/?q=tax"] * 6


def test_the_report_gives_a_different_search_each_time_beside_the_repeated_ones():

    def result(p95_ratio):
        return {
            "rps": 100.0,
            "p50_ms": 1.0,
            "p95_ms": 2.0,
            "rps_ratio": 1.0,
            "p95_ratio": p95_ratio,
        }

    lines = printed(
        rotating_searches={"10,000": {"finder, a different search each time": result(12.5)}},
        rotating_searches_growth_p95={"finder, a different search each time": 1.75},
    )
    assert (
        "    10,000 resources, finder, a different search each time: p95 12.50x the view's" in lines
    )
    assert (
        "  finder, a different search each time: p95 growth from 1,000 to 100,000: 1.75x" in lines
    )
