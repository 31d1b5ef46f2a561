"""Two app servers behind nginx, sharing one database and one Redis (deploy/nginx/portal.conf).

Runs the real thing: two gunicorn servers with production settings and nginx in front, all on
loopback. Skipped locally without nginx or REDIS_URL; CI installs nginx and sets REDIS_URL.
"""

import os
import shutil
import socket
import string
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.conf import settings

from portal.bench.client import Client
from portal.bench.journeys import send_enquiry
from tests.polling import wait_for

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
REDIS_URL = os.environ.get("REDIS_URL")

if os.environ.get("CI"):
    assert NGINX, "CI must install nginx (.ci/run)"
    assert REDIS_URL, "CI must set REDIS_URL to a running Redis"
pytestmark = [
    pytest.mark.system,
    pytest.mark.skipif(
        not (NGINX and REDIS_URL), reason="needs nginx (apt-get install nginx) and REDIS_URL"
    ),
]

BASE_DIR = Path(settings.BASE_DIR)
RATE_LIMIT = 6


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def answers(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True
    except OSError:
        return False


def database_url(tmp_path):
    """A database of the servers' own: PostgreSQL when the tests run on it, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'servers.sqlite3'}"
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_servers"
    psql = ["psql", "-h", parts.hostname, "-p", str(parts.port or 5432), "-U", parts.username]
    psql += ["-d", "postgres", "-qc"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True)
    return parts._replace(path=f"/{name}").geturl()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("servers")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "SECRET_KEY": "two-server-test-secret-key-not-for-anything-else-0123456789abcdef",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": database_url(tmp),
        "CACHE_URL": REDIS_URL,
        "SECURE_SSL_REDIRECT": "false",
        "TRUSTED_PROXY_COUNT": "1",
        "ENQUIRY_RATE_LIMIT": f"{RATE_LIMIT}/h",
        "EMAIL_URL": "dummymail://",
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import redis,sys; redis.from_url(sys.argv[1]).flushdb()",
            REDIS_URL,
        ],
        check=True,
    )
    for args in (["migrate", "--no-input", "-v0"], ["load_content"], ["collectstatic", "-v0",
                 "--no-input"]):  # fmt: skip
        subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, check=True,
                       capture_output=True)  # fmt: skip
    ports = [free_port(), free_port()]
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--log-level",
                "warning",
            ],  # fmt: skip
            cwd=BASE_DIR,
            env=env,
        )
        for port in ports
    ]
    listen = free_port()
    template = string.Template((BASE_DIR / "deploy" / "nginx" / "portal.conf").read_text())
    site = template.safe_substitute(
        LISTEN=f"127.0.0.1:{listen}",
        APP_SERVER_1=f"127.0.0.1:{ports[0]}",
        APP_SERVER_2=f"127.0.0.1:{ports[1]}",
        LOG_DIR=str(tmp),
    )
    (tmp / "portal.conf").write_text(site)
    (tmp / "nginx.conf").write_text(
        f"daemon off;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n  access_log off;\n  client_body_temp_path {tmp}/body;\n"
        f"  proxy_temp_path {tmp}/proxy;\n  fastcgi_temp_path {tmp}/fastcgi;\n"
        f"  uwsgi_temp_path {tmp}/uwsgi;\n  scgi_temp_path {tmp}/scgi;\n"
        f"  include {tmp}/portal.conf;\n}}\n"
    )
    processes.append(subprocess.Popen([NGINX, "-p", str(tmp), "-c", str(tmp / "nginx.conf")]))
    try:
        for port in [*ports, listen]:
            wait_for(lambda port=port: answers(port), f"an answer on port {port}", 30)
        yield {
            "nginx": f"http://127.0.0.1:{listen}",
            "apps": [f"http://127.0.0.1:{port}" for port in ports],
            "env": env,
        }
    finally:
        for process in processes:
            process.terminate()
            process.wait(timeout=15)


def manage_shell(servers, code):
    subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=servers["env"],
        check=True,
        capture_output=True,
    )


def test_an_edit_reaches_the_cached_pages_of_both_servers(servers):
    path = "/what-is-a-mutual/"
    for base in servers["apps"]:
        for _ in range(4):  # every worker of both servers now keeps the page
            response, body = Client(base).request("GET", path)
            assert response.status == 200
            assert response.headers["Cache-Control"] == "public, max-age=0, must-revalidate"

    manage_shell(
        servers,
        "from portal.models import Page; p = Page.objects.get(slug='what-is-a-mutual'); "
        "p.title = 'Edited on one server'; p.save()",
    )

    def edited_everywhere():
        # Each process re-reads the content version at most once a second.
        bodies = [
            Client(base).request("GET", path)[1]
            for base in [*servers["apps"], servers["nginx"]]
            for _ in range(4)
        ]
        return all(b"Edited on one server" in body for body in bodies)

    wait_for(edited_everywhere, "the edit on every worker of both servers")


def test_nginx_compresses_pages_and_replaces_forwarded_headers(servers):
    client = Client(servers["nginx"])
    response, body = client.request(
        "GET",
        "/",
        headers={
            "Accept-Encoding": "gzip",
            "X-Forwarded-For": "203.0.113.9",
            "X-Forwarded-Proto": "https",
        },
    )

    assert response.status == 200
    assert response.headers["Content-Encoding"] == "gzip"
    # A client claiming HTTPS would have been sent HSTS-only cookies; nginx said http.
    assert "Strict-Transport-Security" not in response.headers
    big = "x" * (22 * 1024 * 1024)
    response, _body = client.request("POST", "/contact/", body=big)
    assert response.status == 413


def test_sessions_and_progress_work_whichever_server_answers(servers):
    client = Client(servers["nginx"])
    stage_path = "/how-to-set-up-a-mutual/explore-the-idea/"
    _response, body = client.request("GET", stage_path)
    task = body.decode().split('name="task" value="', 1)[1].split('"', 1)[0]

    response, _body = client.request(
        "POST",
        "/how-to-set-up-a-mutual/progress/",
        body=urlencode({"task": task, "done": "yes"}),
        headers={"Origin": servers["nginx"]},
    )
    assert response.status == 302
    for base in servers["apps"]:
        direct = Client(base)
        direct.cookies = dict(client.cookies)
        response, body = direct.request("GET", stage_path)
        assert response.headers["Cache-Control"] == "private, no-store"
        assert b"1 of " in body


def test_enquiries_from_both_servers_at_once_get_unique_references_and_one_rate_limit(servers):
    failures = []

    def send(base, count):
        for _ in range(count):
            try:
                send_enquiry(base)
            except AssertionError as error:
                failures.append(str(error))

    # Directly to each server, from one address: both count towards the same limit.
    threads = [threading.Thread(target=send, args=(base, 4)) for base in servers["apps"]]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(failures) == 8 - RATE_LIMIT, failures
    assert all("429" in failure for failure in failures), failures
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from enquiries.models import Enquiry; refs = list(Enquiry.objects.values_list("
            "'reference', flat=True)); print(len(refs), len(set(refs)))",
        ],  # fmt: skip
        cwd=BASE_DIR,
        env=servers["env"],
        check=True,
        capture_output=True,
        text=True,
    )
    assert result.stdout.split()[-2:] == [str(RATE_LIMIT), str(RATE_LIMIT)]


def test_nginx_limits_each_clients_uncached_requests_with_the_sites_own_page(servers):
    client = Client(servers["nginx"])
    statuses = []

    def limited():
        # A new query string each time, as a crawler walking the finder's links would send.
        response, body = client.request("GET", f"/resources/?page={len(statuses) + 1}")
        statuses.append(response.status)
        return body if response.status == 429 else None

    # Five a second after a burst of thirty: a client asking as fast as it can is soon limited.
    body = wait_for(limited, "a 429 from nginx", 60)

    assert set(statuses[:30]) == {200}
    assert b"Sorry, there have been too many searches from your connection" in body
    # Pages without a query string (cached for everyone) are not limited.
    assert [client.request("GET", "/what-is-a-mutual/")[0].status for _ in range(40)] == [200] * 40
