"""The pages measured: their addresses, their weight in bytes and their database queries."""

import gzip
import re
from urllib.parse import urljoin, urlsplit

from django.db import connection
from django.test import Client as DjangoClient
from django.test.utils import CaptureQueriesContext

from portal.bench.client import BROWSER_HEADERS, Client

FINDER_QUERY = "/resources/?q=pension&topic=pensions&type=guide"
# The site search: one word, and two words with the type filter. Each request is counted as a
# new search (portal/site_search/counting.py), as a search typed in the header box is.
SEARCH_QUERIES = {
    "site search": "/search/?q=pension",
    "site search, 2 words and a type": "/search/?q=pension+transfer&type=resource",
}
# Searches that change with every request, so that what a process keeps for a search it has
# answered (the finder's rankings) is seldom of use: wrk picks one or two of these words from
# the site's own content for each request ({words}), which gives about 2,350 different searches.
SEARCH_WORDS = (
    "pension", "transfer", "staff", "contract", "board", "health", "children", "youth",
    "library", "leisure", "probation", "union", "community", "social", "council", "checklist",
    "template", "assessment", "letter", "pricing", "legal", "premises", "payroll", "forecast",
    "reserves", "ownership", "employee", "governance", "finance", "insurance", "procurement",
    "partnership", "trust", "asset", "scheme", "mentor", "pathfinder", "cooperative",
    "registration", "capital", "profit", "tupe", "commissioning", "consultation", "guarantee",
    "equipment", "taskforce", "decision",
)  # fmt: skip
ROTATING_SEARCHES = {
    "finder, a different search each time, 2 filters": (
        "/resources/?q={words}&topic=pensions&type=guide"
    ),
    "site search, a different search each time": "/search/?q={words}",
}
# (label, address); {stage} and {resource} are filled in from the loaded content.
PAGES = [
    ("home", "/"),
    ("what is a mutual", "/what-is-a-mutual/"),
    ("guide overview", "/how-to-set-up-a-mutual/"),
    ("stage page", "/how-to-set-up-a-mutual/{stage}/"),
    ("resources", "/resources/"),
    ("resources, keyword and 2 filters", FINDER_QUERY),
    ("resource page", "/resources/{resource}/"),
    *SEARCH_QUERIES.items(),
    ("case studies", "/case-studies/"),
    ("mutuals", "/mutuals/"),
    ("contact (GET)", "/contact/"),
]
# What any page of its kind costs on this machine, with next to nothing of its own: the public
# layout and middleware (a page not found); the site search's page with nothing searched for (its
# view, template, layout, middleware and time limit, without a search); and the admin's change
# list with a handful of rows (the partners, as the Mutuals Team). (label, who is signed in or
# None, path, status.) A page cannot be made cheaper than its floor by cutting its own work; a
# target below it cannot be met. Those answering 200 are measured under load too, and printed
# beside the targets they bound (SEARCH_FLOOR, ADMIN_FLOOR); a 404 is logged, so it is only
# broken down.
SEARCH_FLOOR = "floor: site search, nothing searched for"
ADMIN_FLOOR = "floor: admin list of a few rows"
FLOORS = [
    ("floor: layout alone (page not found)", None, "/no-such-page/", 404),
    (SEARCH_FLOOR, None, "/search/?q=", 200),
    (ADMIN_FLOOR, "team", "/admin/enquiries/partner/", 200),
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


def addresses(client):
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


def page_weight(base, path):
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


def count_queries(paths):
    """Database queries each page makes, uncached, in the settings of the running process."""
    client = DjangoClient(HTTP_HOST="127.0.0.1")
    counts = {}
    for path in paths:
        client.get(path)  # the first request of a process loads things once
        with CaptureQueriesContext(connection) as queries:
            client.get(path)
        counts[path] = len(queries)
    return counts
