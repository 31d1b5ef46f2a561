"""Load-test the site as production runs it, on loopback, and report ratios to two baselines.

What it builds: a fresh PostgreSQL database (BENCH_DATABASE_URL, default portal_bench on
127.0.0.1), Redis as the cache (BENCH_CACHE_URL), production settings, collectstatic, the
shipped content plus generated volume (resources, 500 case studies, 100,000 enquiries), and
gunicorn with a fixed number of workers. Then wrk runs against each page for a few seconds.

Absolute numbers depend on the machine, so every figure is a ratio to a minimal Django view
(portal/bench_baseline.py: no database, no middleware) served by the same gunicorn settings
in the same run; a static file served by whitenoise is reported beside it. Results print as a
table and are written as JSON under bench-results/ with the commit id.
"""

import datetime
import gzip
import http.client
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/13"
FINDER_QUERY = "/resources/?q=pension&topic=pensions&type=guide"
# (label, address); {stage} and {resource} are filled in from the loaded content.
PAGES = [
    ("home", "/"),
    ("what is a mutual", "/what-is-a-mutual/"),
    ("guide overview", "/how-to-set-up-a-mutual/"),
    ("stage page", "/how-to-set-up-a-mutual/{stage}/"),
    ("resources", "/resources/"),
    ("resources, keyword and 2 filters", FINDER_QUERY),
    ("resource page", "/resources/{resource}/"),
    ("case studies", "/case-studies/"),
    ("mutuals", "/mutuals/"),
    ("contact (GET)", "/contact/"),
]
CACHED_PAGES = {
    "home",
    "what is a mutual",
    "guide overview",
    "stage page",
    "resources",
    "resource page",
    "case studies",
    "mutuals",
}
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, "non2xx": %d, '
    .. '"socket_errors": %d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    e.status, e.connect + e.read + e.write + e.timeout))
end
"""
BROWSER_HEADERS = {"Accept-Encoding": "gzip, deflate, br", "Accept": "text/html,*/*"}


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def parse_wrk(output):
    """The figures the wrk script prints on its BENCH line."""
    match = re.search(r"^BENCH (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise CommandError(f"wrk printed no result:\n{output}")
    raw = json.loads(match.group(1))
    seconds = raw["duration_us"] / 1e6
    return {
        "requests": raw["requests"],
        "rps": raw["requests"] / seconds if seconds else 0.0,
        "p50_ms": raw["p50_us"] / 1000,
        "p95_ms": raw["p95_us"] / 1000,
        "errors": raw["non2xx"],
        "socket_errors": raw["socket_errors"],
    }


def ratios(result, baseline):
    """Requests per second, p50 and p95 as shares of the minimal view's."""
    return {
        "rps": result["rps"] / baseline["rps"],
        "p50": result["p50_ms"] / baseline["p50_ms"],
        "p95": result["p95_ms"] / baseline["p95_ms"],
    }


def with_ratios(result, baseline):
    return {**result, **{f"{k}_ratio": v for k, v in ratios(result, baseline).items()}}


def assets_of(html, base_url):
    """What a browser fetches for a page: stylesheets, scripts, one icon and images."""
    urls = re.findall(r'<link rel="stylesheet" href="([^"]+)"', html)
    urls += re.findall(r'<script[^>]+src="([^"]+)"', html)
    urls += re.findall(r'<link rel="icon" sizes="any" href="([^"]+)"', html)
    urls += re.findall(r'<img[^>]+src="([^"]+)"', html)
    return [urljoin(base_url, url) for url in dict.fromkeys(urls)]


def nested_assets(url, content_type, body):
    """Files a stylesheet or a module pulls in: url(...) images and fonts, module imports."""
    text = body.decode("utf-8", "replace")
    found = []
    if "css" in content_type:
        found = re.findall(r'url\("?([^")]+)"?\)', text)
    elif "javascript" in content_type:
        found = re.findall(r'from\s*"(\.{1,2}/[^"]+)"', text)
    return [urljoin(url, item) for item in found if not item.startswith("data:")]


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


class Client:
    """A tiny HTTP client that keeps cookies itself (production cookies are Secure-only)."""

    def __init__(self, base):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies = {}

    def request(self, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        content = response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        connection.close()
        return response, content


class Command(BaseCommand):
    help = "Benchmark the site under gunicorn on 127.0.0.1, as ratios to a minimal Django view."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (2).")
        parser.add_argument("--seconds", type=int, default=4, help="wrk run per page (4).")
        parser.add_argument("--connections", type=int, default=16, help="wrk connections (16).")
        parser.add_argument("--resources", type=int, default=10_000)
        parser.add_argument(
            "--skip-scaling", action="store_true", help="Leave out the 100,000-resource step."
        )
        parser.add_argument("--count-queries", nargs="*", help=argparse_hidden())

    def handle(self, *args, **options):
        if options["count_queries"] is not None:
            return self.count_queries(options["count_queries"])
        for tool, package in (("wrk", "wrk"), ("psql", "postgresql-client")):
            if not shutil.which(tool):
                raise CommandError(f"{tool} is needed: apt-get install -y {package}")
        seconds = max(1, min(options["seconds"], 30))  # bounded: a benchmark, not a soak test
        self.wrk_args = ["-t2", f"-c{options['connections']}", f"-d{seconds}s"]
        self.workers = options["workers"]
        started = time.monotonic()
        with tempfile.TemporaryDirectory() as tmp:
            self.tmp = Path(tmp)
            (self.tmp / "report.lua").write_text(WRK_SCRIPT)
            self.env = self.server_env()
            self.prepare(options["resources"])
            servers = [self.start_server("portal.wsgi"), self.start_server("portal.bench_baseline")]
            try:
                report = self.run(servers, options)
            finally:
                for server in servers:
                    server.terminate()
                    server.wait(timeout=15)
        report["wall_seconds"] = round(time.monotonic() - started, 1)
        self.print_report(report)
        self.save(report)

    # Setting up ---------------------------------------------------------------------------

    def server_env(self):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": "benchmark-only-secret-key-never-used-for-anything-else-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL),
            "CACHE_URL": os.environ.get("BENCH_CACHE_URL", DEFAULT_CACHE_URL),
            "SECURE_SSL_REDIRECT": "false",
            "TRUSTED_PROXY_COUNT": "0",
            "ENQUIRY_RATE_LIMIT": "100000/h",
            "EMAIL_URL": "dummymail://",
            "CONN_MAX_AGE": "60",
            "LOG_LEVEL": "WARNING",
        }

    def manage(self, *args, env=None):
        return subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=settings.BASE_DIR,
            env=env or self.env,
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def step(self, message):
        self.stdout.write(f"[{time.strftime('%H:%M:%S')}] {message}")
        self.stdout.flush()

    def psql(self, database, sql):
        url = urlsplit(self.env["DATABASE_URL"])
        command = ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username]
        subprocess.run([*command, "-d", database, "-qc", sql], check=True)

    def analyze(self):
        """Fresh planner statistics after bulk loading, as autovacuum gives a live database
        soon after; without them PostgreSQL guesses one row and picks slow plans."""
        self.psql(urlsplit(self.env["DATABASE_URL"]).path.lstrip("/"), "VACUUM ANALYZE")

    def prepare(self, resources):
        url = urlsplit(self.env["DATABASE_URL"])
        name = url.path.lstrip("/")
        if url.hostname not in ("127.0.0.1", "localhost"):
            raise CommandError("The benchmark only runs against a database on this machine.")
        self.step(f"fresh database {name}")
        self.psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.psql("postgres", f'CREATE DATABASE "{name}"')
        cache = [sys.executable, "-c", "import redis,sys; redis.from_url(sys.argv[1]).flushdb()"]
        subprocess.run([*cache, self.env["CACHE_URL"]], check=True)
        self.step("migrate, collectstatic, load_content")
        self.manage("migrate", "--no-input", "-v0")
        self.manage("collectstatic", "--no-input", "-v0")
        self.manage("load_content")
        self.step("generate 500 case studies, 100,000 enquiries, 1,000 resources")
        self.manage("generate_demo_case_studies", "500", "--seed", "1")
        self.manage("generate_demo_enquiries", "100000", "--seed", "1")
        self.manage("generate_demo_resources", "1000", "--seed", "1")
        self.analyze()
        self.resources = 1000
        self.target_resources = max(resources, 1000)

    def start_server(self, app):
        port = free_port()
        env = dict(self.env)
        command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
        command += ["--workers", str(self.workers), "--log-level", "warning"]
        server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=env)
        server.base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    return server
            except OSError:
                time.sleep(0.2)
        server.terminate()
        raise CommandError(f"gunicorn ({app}) did not start within 30 seconds.")

    def add_resources(self, total):
        self.step(f"generate resources up to {total:,}")
        self.manage("generate_demo_resources", str(total - self.resources))
        self.analyze()
        self.resources = total

    # Measuring ----------------------------------------------------------------------------

    def wrk(self, url, warm=True):
        command = ["wrk", *self.wrk_args, "--timeout", "10s", "-s", str(self.tmp / "report.lua")]
        for name, value in BROWSER_HEADERS.items():
            command += ["-H", f"{name}: {value}"]
        if warm:
            # One request after another first, so the cache is filled before the crowd comes.
            parts = urlsplit(url)
            client = Client(f"{parts.scheme}://{parts.netloc}")
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            for _ in range(4 * self.workers):
                client.request("GET", path, headers=BROWSER_HEADERS)
                client.cookies.clear()
        output = subprocess.run(command + [url], capture_output=True, text=True, check=True)
        return parse_wrk(output.stdout)

    def run(self, servers, options):
        site, minimal = servers
        client = Client(site.base)
        addresses = self.addresses(client)
        report = {"commit": self.commit(), "when": datetime.datetime.now().isoformat()}
        report["settings"] = {
            "workers": self.workers,
            "wrk": " ".join(self.wrk_args),
            "database": "postgresql",
            "cache": "redis",
        }
        self.step("finder at 1,000 resources")
        finder = {1000: self.wrk(site.base + FINDER_QUERY)}
        if self.target_resources > self.resources:
            self.add_resources(self.target_resources)
        self.step("baselines")
        baseline = self.wrk(minimal.base + "/")
        static = self.wrk(site.base + addresses["static file"])
        report["baseline"] = {"minimal view": baseline, "static file": static}
        report["pages"] = {}
        for label, path in addresses["pages"]:
            self.step(label)
            result = self.wrk(site.base + path)
            if result["errors"]:
                raise CommandError(f"{path} answered {result['errors']} requests with errors.")
            report["pages"][label] = {"path": path, **with_ratios(result, baseline)}
        finder[self.resources] = report["pages"]["resources, keyword and 2 filters"]
        self.step("enquiry journeys")
        report["enquiry journey"] = self.enquiry_journeys(site.base, baseline)
        report["weight"] = {
            name: self.page_weight(site.base, path)
            for name, path in (("home", "/"), ("stage page", addresses["stage"]))
        }
        report["queries"] = json.loads(
            self.manage(
                "benchmark",
                "--count-queries",
                *[path for _label, path in addresses["pages"]],
                env={**self.env, "PAGE_CACHE_ENABLED": "false"},
            )
            .strip()
            .splitlines()[-1]
        )
        report["worker_rss_mib"] = [round(rss_mib(pid), 1) for pid in worker_pids(site.pid)]
        if not options["skip_scaling"]:
            self.add_resources(100_000)
            self.step("finder at 100,000 resources")
            finder[100_000] = self.wrk(site.base + FINDER_QUERY)
        report["finder"] = {
            f"{count:,}": {
                **result,
                **{f"{k}_ratio": v for k, v in ratios(result, baseline).items()},
            }
            for count, result in finder.items()
        }
        if 1000 in finder and 100_000 in finder:
            report["finder_growth_p95"] = finder[100_000]["p95_ms"] / finder[1000]["p95_ms"]
        return report

    def addresses(self, client):
        """Fill in a real stage and resource, and find the hashed name of a static file."""
        response, body = client.request("GET", "/how-to-set-up-a-mutual/")
        html = body.decode()
        stage = re.search(r'href="/how-to-set-up-a-mutual/([a-z0-9-]+)/"', html).group(1)
        response, body = client.request("GET", "/resources/")
        html = body.decode()
        resource = re.search(r'href="/resources/([a-z0-9-]+)/"', html).group(1)
        static = re.search(r'src="(/static/js/site\.[0-9a-f]{12}\.js)"', html).group(1)
        pages = [(label, path.format(stage=stage, resource=resource)) for label, path in PAGES]
        return {
            "pages": pages,
            "stage": f"/how-to-set-up-a-mutual/{stage}/",
            "static file": static,
        }

    def enquiry_journeys(self, base, baseline, threads=4, each=10):
        """Contact form, check answers, send, confirmation: whole journeys, several at once."""
        times, failures = [], []

        def journeys():
            for _ in range(each):
                started = time.perf_counter()
                try:
                    self.one_enquiry(base)
                except (AssertionError, OSError) as error:
                    failures.append(str(error))
                times.append(time.perf_counter() - started)

        workers = [threading.Thread(target=journeys) for _ in range(threads)]
        started = time.perf_counter()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started
        times.sort()
        return {
            "journeys": len(times),
            "failures": len(failures),
            "journeys_per_second": len(times) / elapsed,
            "p50_ms": times[len(times) // 2] * 1000,
            "p95_ms": times[int(len(times) * 0.95) - 1] * 1000,
            "p50_ratio": times[len(times) // 2] * 1000 / baseline["p50_ms"],
        }

    @staticmethod
    def one_enquiry(base):
        from urllib.parse import urlencode

        from enquiries.forms import NOT_STARTED
        from enquiries.models import ServiceArea

        client = Client(base)
        response, body = client.request("GET", "/contact/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
        answers = {
            "csrfmiddlewaretoken": token,
            "name": "Bench Mark",
            "email": "bench@example.org",
            "contact_method": "email",
            "organisation": "Benchmark council",
            "organisation_type": "local-authority",
            "role": "manager",
            "service_area": ServiceArea.values[0],
            "stage": NOT_STARTED,
            "message": "A question sent by the benchmark.",
            "privacy": "on",
        }
        response, body = client.request("POST", "/contact/", body=urlencode(answers))
        assert response.status == 302, f"contact form answered {response.status}"
        response, body = client.request("GET", response.headers["Location"])
        html = body.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        send = re.search(r'name="token" value="([^"]+)"', html).group(1)
        response, body = client.request(
            "POST",
            "/contact/check-your-answers/",
            body=urlencode({"csrfmiddlewaretoken": token, "token": send}),
        )
        assert response.status == 302, f"sending answered {response.status}"
        response, body = client.request("GET", response.headers["Location"])
        assert b"MIS-" in body, "no reference on the confirmation page"

    def page_weight(self, base, path):
        """Bytes over the wire for a first visit (everything) and a repeat (HTML revalidated)."""
        client = Client(base)
        response, html_body = client.request("GET", path, headers=BROWSER_HEADERS)
        html = html_body
        if response.headers.get("Content-Encoding") == "gzip":
            html = gzip.decompress(html_body)
        first = len(html_body) + len(str(response.headers))
        files = {}
        queue = assets_of(html.decode(), base + path)
        while queue:
            url = queue.pop(0)
            if url in files:
                continue
            asset, body = client.request("GET", urlsplit(url).path, headers=BROWSER_HEADERS)
            files[url] = len(body) + len(str(asset.headers))
            plain = gzip.decompress(body) if asset.headers.get("Content-Encoding") else body
            queue += nested_assets(url, asset.headers.get("Content-Type", ""), plain)
        first += sum(files.values())
        etag = response.headers.get("ETag")
        repeat_headers = {**BROWSER_HEADERS, **({"If-None-Match": etag} if etag else {})}
        again, again_body = client.request("GET", path, headers=repeat_headers)
        return {
            "html_bytes": len(html),
            "html_compressed_bytes": len(html_body),
            "first_visit_bytes": first,
            "repeat_visit_bytes": len(again_body) + len(str(again.headers)),
            "repeat_status": again.status,
            "files": {urlsplit(url).path: size for url, size in files.items()},
        }

    def count_queries(self, paths):
        """Run inside production settings: database queries each page makes, uncached."""
        from django.db import connection
        from django.test import Client as DjangoClient
        from django.test.utils import CaptureQueriesContext

        client = DjangoClient(HTTP_HOST="127.0.0.1")
        counts = {}
        for path in paths:
            client.get(path)  # the first request of a process loads things once
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            counts[path] = len(queries)
        self.stdout.write(json.dumps(counts))

    # Reporting ----------------------------------------------------------------------------

    @staticmethod
    def commit():
        result = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True
        )
        return result.stdout.strip() or "unknown"

    def print_report(self, report):
        baseline = report["baseline"]["minimal view"]
        static = report["baseline"]["static file"]
        write = self.stdout.write
        write("")
        write(
            f"Minimal Django view: {baseline['rps']:.0f} req/s, p50 {baseline['p50_ms']:.2f} ms, "
            f"p95 {baseline['p95_ms']:.2f} ms ({report['settings']['wrk']}, "
            f"{report['settings']['workers']} gunicorn workers)"
        )
        write(
            f"Static file (whitenoise): {static['rps'] / baseline['rps']:.2f} of its req/s, "
            f"p95 {static['p95_ms'] / baseline['p95_ms']:.2f}x"
        )
        write("")
        write(
            f"{'page':36} {'req/s':>7} {'p50':>6} {'p95':>6} {'queries':>8}  (ratios to the view)"
        )
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
        write("Finder (keyword and two filters), uncached:")
        for count, result in report["finder"].items():
            write(f"  {count:>8} resources: p95 {result['p95_ratio']:.2f}x the view's")
        if "finder_growth_p95" in report:
            write(f"  p95 growth from 1,000 to 100,000: {report['finder_growth_p95']:.2f}x")
        write("")
        for name, weight in report["weight"].items():
            write(
                f"{name}: HTML {weight['html_bytes'] / 1024:.1f} KB "
                f"({weight['html_compressed_bytes'] / 1024:.1f} KB compressed); first visit "
                f"{weight['first_visit_bytes'] / 1024:.1f} KB; repeat visit "
                f"{weight['repeat_visit_bytes'] / 1024:.1f} KB ({weight['repeat_status']})"
            )
        write(f"gunicorn workers after the run: {report['worker_rss_mib']} MiB resident")
        write(f"took {report['wall_seconds']} s")

    def save(self, report):
        folder = Path(settings.BASE_DIR) / "bench-results"
        folder.mkdir(exist_ok=True)
        stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}-{report['commit'][:12]}.json"
        path.write_text(json.dumps(report, indent=2) + "\n")
        self.stdout.write(f"written to {path.relative_to(settings.BASE_DIR)}")


def argparse_hidden():
    import argparse

    return argparse.SUPPRESS
