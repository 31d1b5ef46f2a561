import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from guides.models import Task


@pytest.fixture
def guide(make_stage, make_task):
    """Three published stages with two tasks each, the second task an 'or' of the first."""
    stages = [make_stage() for _ in range(3)]
    for stage in stages:
        make_task(stage)
        make_task(stage, relation=Task.Relation.OR, optional=True)
    return stages


class Handler(BaseHTTPRequestHandler):
    """Answers each path the way a kind of real website does."""

    release = threading.Event()
    requests = []

    def log_message(self, fmt, *args):
        pass

    def answer(self, status, headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_HEAD(self):
        self.requests.append(("HEAD", self.path))
        self.route(head=True)

    def do_GET(self):
        self.requests.append(("GET", self.path))
        self.route(head=False)

    def route(self, head):
        if self.path == "/ok":
            self.answer(200)
        elif self.path == "/missing":
            self.answer(404)
        elif self.path == "/no-head":
            self.answer(405 if head else 200)
        elif self.path == "/moved":
            self.answer(301, [("Location", "/ok")])
        elif self.path == "/loop":
            self.answer(302, [("Location", "/loop")])
        elif self.path == "/slow":
            self.release.wait(10)
            self.answer(200)
        else:
            self.answer(500)


@pytest.fixture
def site():
    """A small website on loopback; never the internet."""
    Handler.release = threading.Event()
    Handler.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    Handler.release.set()
    server.shutdown()
    server.server_close()
    thread.join()


@pytest.fixture
def site_requests(site):
    """The (method, path) of every request the small website has had, in order."""
    return Handler.requests
