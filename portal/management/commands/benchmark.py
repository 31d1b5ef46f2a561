"""Load-test the site under gunicorn on loopback and report speed and memory against a baseline.

Absolute timings depend on the machine, so every page is reported as a ratio to /healthz
(one trivial database query) measured in the same run, under the same load.
"""

import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

BASELINE = "/healthz"
PAGES = [
    "/",
    "/what-is-a-mutual/",
    "/how-to-set-up-a-mutual/",
    "/how-to-set-up-a-mutual/appraise-the-options/",
    "/how-to-set-up-a-mutual/print/",
    "/sitemap.xml",
]


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def timed_get(url):
    start = time.perf_counter()
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()
        status = response.status
    return time.perf_counter() - start, status


def rss_kib(pid):
    """Resident memory of a process and its children, in KiB, from /proc."""
    total = 0
    pids = [pid]
    children = Path(f"/proc/{pid}/task/{pid}/children")
    if children.exists():
        pids += [int(p) for p in children.read_text().split()]
    for p in pids:
        for line in Path(f"/proc/{p}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                total += int(line.split()[1])
    return total


class Command(BaseCommand):
    help = "Benchmark pages under gunicorn on 127.0.0.1, as ratios to a baseline in the same run."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=200, help="Requests per address.")
        parser.add_argument("--concurrency", type=int, default=4)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers.")

    def handle(self, *args, requests, concurrency, workers, **options):
        requests = max(10, min(requests, 5000))  # bounded: this is a benchmark, not a soak
        with tempfile.TemporaryDirectory() as tmp:
            env = self.server_env(Path(tmp))
            self.prepare(env)
            port = free_port()
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "portal.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(workers),
                    "--log-level",
                    "warning",
                ],  # fmt: skip
                cwd=settings.BASE_DIR,
                env=env,
            )
            try:
                base = f"http://127.0.0.1:{port}"
                self.wait_until_up(base + BASELINE)
                self.report(base, requests, concurrency, server.pid)
            finally:
                server.terminate()
                server.wait(timeout=10)

    def server_env(self, tmp):
        return {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "SECRET_KEY": "benchmark-only-secret-key-never-used-for-anything-else-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": os.environ.get("DATABASE_URL", f"sqlite:///{tmp / 'bench.sqlite3'}"),
            "SECURE_SSL_REDIRECT": "false",
            "LOG_LEVEL": "WARNING",
        }

    def prepare(self, env):
        manage = [sys.executable, "manage.py"]
        for args in (["collectstatic", "--no-input", "-v0"], ["migrate", "--no-input", "-v0"],
                     ["load_content"]):  # fmt: skip
            subprocess.run(manage + args, cwd=settings.BASE_DIR, env=env, check=True,
                           stdout=subprocess.DEVNULL)  # fmt: skip

    def wait_until_up(self, url):
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                timed_get(url)
                return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not answer within 30 seconds.")

    def measure(self, url, requests, concurrency):
        with ThreadPoolExecutor(concurrency) as pool:
            started = time.perf_counter()
            results = list(pool.map(timed_get, [url] * requests))
            elapsed = time.perf_counter() - started
        errors = sum(1 for _, status in results if status != 200)
        latencies = sorted(t for t, _ in results)
        return {
            "rps": requests / elapsed,
            "median": statistics.median(latencies),
            "p95": latencies[int(len(latencies) * 0.95) - 1],
            "errors": errors,
        }

    def report(self, base, requests, concurrency, pid):
        for path in [BASELINE, *PAGES]:  # warm every worker before measuring
            self.measure(base + path, 20, concurrency)
        baseline = self.measure(base + BASELINE, requests, concurrency)
        self.stdout.write(
            f"baseline {BASELINE}: {baseline['rps']:.0f} req/s, "
            f"median {baseline['median'] * 1000:.1f} ms "
            f"({requests} requests, {concurrency} at once)"
        )
        self.stdout.write(
            f"{'address':48} {'req/s ratio':>12} {'median ratio':>13} {'p95 ratio':>10}"
        )
        for path in PAGES:
            result = self.measure(base + path, requests, concurrency)
            if result["errors"]:
                raise CommandError(f"{path} answered {result['errors']} requests with an error.")
            self.stdout.write(
                f"{path:48} {result['rps'] / baseline['rps']:>12.2f} "
                f"{result['median'] / baseline['median']:>13.2f} "
                f"{result['p95'] / baseline['p95']:>10.2f}"
            )
        self.stdout.write(
            f"memory: gunicorn master and workers {rss_kib(pid) / 1024:.0f} MiB resident"
        )
