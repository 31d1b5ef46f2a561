"""Where an uncached page's server time goes, measured in one process with the servers' settings:
database queries, template rendering (less the queries templates make), compression, and the
rest (middleware, URL routing and the view's own Python).

wrk says how fast a page is; this says what it could shed. A page whose templates alone take
longer than its target allows cannot meet the target through faster queries.
"""

import time
from collections import defaultdict
from unittest import mock

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.template.backends.django import Template
from django.test import Client
from django.utils.module_loading import import_string

from portal.bench.admin import ADMIN_PAGES, username
from portal.bench.client import BROWSER_HEADERS
from portal.bench.pages import FLOORS, SEARCH_QUERIES

REQUESTS = 20
PARTS = ("sql", "templates", "compression", "rest")
# Each measured page's target, as a multiple of the minimal view's p95 (the admin's are added
# by label in pages_to_break_down).
TARGET_RATIOS = {
    "resources, keyword and 2 filters": 10,
    **dict.fromkeys(SEARCH_QUERIES, 10),
}
ADMIN_TARGET_RATIO = 20


def target_ratio(label):
    if label in TARGET_RATIOS:
        return TARGET_RATIOS[label]
    if label in {admin_label for admin_label, _who, _path in ADMIN_PAGES}:
        return ADMIN_TARGET_RATIO
    return None


class Stopwatch:
    """Seconds spent in each part while it is running; a template inside a template (a form
    rendered by a tag) and the queries a template makes are counted once."""

    def __init__(self):
        self.spent = defaultdict(float)
        self.rendering = 0

    def query(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            took = time.perf_counter() - started
            self.spent["sql"] += took
            if self.rendering:
                self.spent["sql in templates"] += took

    def wrap_render(self, render):
        watch = self

        def timed_render(template, *args, **kwargs):
            watch.rendering += 1
            started = time.perf_counter()
            try:
                return render(template, *args, **kwargs)
            finally:
                watch.rendering -= 1
                if not watch.rendering:
                    watch.spent["templates"] += time.perf_counter() - started

        return timed_render

    def wrap_compress(self, compress):
        watch = self

        def timed_compress(middleware, request, response):
            started = time.perf_counter()
            try:
                return compress(middleware, request, response)
            finally:
                watch.spent["compression"] += time.perf_counter() - started

        return timed_compress


def compression_middleware():
    """The class that compresses pages, as the settings name it (imported only once Django is
    set up, as it needs the settings)."""
    path = next(path for path in settings.MIDDLEWARE if path.endswith(".GZipMiddleware"))
    return import_string(path)


def measure(client, path, status=200, requests=REQUESTS):
    """Milliseconds per request in all and in each part, over `requests` requests; the page
    must answer `status`, so that what is measured is the page and not an error."""
    for _ in range(3):  # the first requests of a process load what it keeps
        response = client.get(path)
    if response.status_code != status:
        raise ValueError(f"{path} answered {response.status_code}")
    watch = Stopwatch()
    render = mock.patch.object(Template, "render", watch.wrap_render(Template.render))
    compressor = compression_middleware()
    compress = mock.patch.object(
        compressor, "process_response", watch.wrap_compress(compressor.process_response)
    )
    with render, compress, connection.execute_wrapper(watch.query):
        started = time.perf_counter()
        for _ in range(requests):
            client.get(path)
        total = time.perf_counter() - started
    spent = watch.spent
    spent["templates"] -= spent.pop("sql in templates", 0.0)
    spent["rest"] = total - sum(spent[part] for part in PARTS[:-1])
    per_request = {f"{part}_ms": spent[part] * 1000 / requests for part in PARTS}
    return {"total_ms": total * 1000 / requests, **per_request}


def pages_to_break_down(pages, admin_pages):
    """The pages with a speed target, a plain page through the layout for comparison, and the
    floors: [(label, username or None, path, status)]."""
    plain = [("what is a mutual (uncached)", None, "/what-is-a-mutual/", 200)]
    public = [(label, None, path, 200) for label, path in pages if label in TARGET_RATIOS]
    admin = [(label, username(who), path, 200) for label, who, path in admin_pages]
    floors = [
        (label, username(who) if who else None, path, status) for label, who, path, status in FLOORS
    ]
    return plain + public + admin + floors


def where_time_goes(pages):
    """`pages`: [(label, username or None, path, status)]; each page's parts, by label."""
    headers = {f"HTTP_{name.upper().replace('-', '_')}": v for name, v in BROWSER_HEADERS.items()}
    clients = {}
    found = {}
    for label, account, path, status in pages:
        if account not in clients:
            clients[account] = Client(HTTP_HOST="127.0.0.1", **headers)
            if account:
                clients[account].force_login(get_user_model().objects.get(username=account))
        found[label] = measure(clients[account], path, status)
    return found


def print_breakdown(report, write):
    """The table: each page's parts beside its budget, its target as milliseconds of a worker's
    time (the minimal view's, workers / requests per second, times the target ratio), and what
    it took of a worker under wrk's load, worked out the same way."""
    parts = report.get("where time goes")
    if not parts:
        return
    workers = report["settings"]["workers"]
    minimal = workers * 1000 / report["baseline"]["minimal view"]["rps"]
    under_load = {**report["pages"], **report.get("admin", {}), **report.get("floors", {})}
    write(
        f"Where the time goes: ms per request in one process, page cache off. The minimal view "
        f"takes {minimal:.2f} ms of a worker under load; a page's budget is its target ratio "
        f"times that."
    )
    columns = ("budget", "load", "total", "sql", "tmpl", "gzip", "rest")
    write(f"{'page':44}" + "".join(f"{name:>7}" for name in columns))
    for label, spent in parts.items():
        ratio = target_ratio(label)
        measured = under_load.get(label)
        figures = [
            ratio * minimal if ratio else None,
            workers * 1000 / measured["rps"] if measured else None,
            *(spent[f"{part}_ms"] for part in ("total", *PARTS)),
        ]
        write(f"{label:44}" + "".join("      -" if f is None else f"{f:>7.1f}" for f in figures))
