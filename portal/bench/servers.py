"""The benchmark's servers: a fresh database and cache filled with content, and gunicorn."""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import CommandError

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/portal_bench"
DEFAULT_CACHE_URL = "redis://127.0.0.1:6379/13"
SITE_APP = "portal.wsgi"
BASELINE_APP = "portal.bench.baseline:create_application()"
FIRST_RESOURCES = 1000


def require_tools():
    for tool, package in (("wrk", "wrk"), ("psql", "postgresql-client")):
        if not shutil.which(tool):
            raise CommandError(f"{tool} is needed: apt-get install -y {package}")


def server_env():
    """Production settings on loopback, with the benchmark's own database and cache."""
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


def manage(env, *args):
    """A management command in a process of its own, with the servers' settings."""
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(app, env, workers):
    """gunicorn serving app on a free loopback port; its address is the process's `base`."""
    port = free_port()
    command = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--log-level", "warning"]
    server = subprocess.Popen(command, cwd=settings.BASE_DIR, env=dict(env))
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


def rss_mib(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def worker_pids(master_pid):
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


class SiteData:
    """The servers' database and cache: emptied, filled with content, and grown on demand."""

    def __init__(self, env, step):
        self.env = env
        self.step = step
        self.resources = 0

    def psql(self, database, sql):
        url = urlsplit(self.env["DATABASE_URL"])
        command = ["psql", "-h", url.hostname, "-p", str(url.port or 5432), "-U", url.username]
        subprocess.run([*command, "-d", database, "-qc", sql], check=True)

    def analyze(self):
        """Fresh planner statistics after bulk loading, as autovacuum gives a live database
        soon after; without them PostgreSQL guesses one row and picks slow plans."""
        self.psql(urlsplit(self.env["DATABASE_URL"]).path.lstrip("/"), "VACUUM ANALYZE")

    def prepare(self):
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
        manage(self.env, "migrate", "--no-input", "-v0")
        manage(self.env, "collectstatic", "--no-input", "-v0")
        manage(self.env, "load_content")
        self.step("generate 500 case studies, 100,000 enquiries, 1,000 resources")
        manage(self.env, "generate_demo_case_studies", "500", "--seed", "1")
        manage(self.env, "generate_demo_enquiries", "100000", "--seed", "1")
        manage(self.env, "generate_demo_resources", str(FIRST_RESOURCES), "--seed", "1")
        self.analyze()
        self.resources = FIRST_RESOURCES

    def add_resources(self, total):
        self.step(f"generate resources up to {total:,}")
        manage(self.env, "generate_demo_resources", str(total - self.resources))
        self.analyze()
        self.resources = total
