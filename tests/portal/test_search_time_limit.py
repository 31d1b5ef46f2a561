"""The search time limit (portal/core/time_limit.py): on PostgreSQL the finder's and the site
search's queries run under statement_timeout, and a query that reaches it gives a page asking
the visitor to narrow the search (503, Retry-After), logged, never a server error.
"""

import logging

import pytest
from django.db import connection
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from guides.library.filters import ResourceFilterSet
from guides.library.models import ResourceQuerySet
from portal.core.time_limit import has_time_limit, search_time_limit
from portal.site_search.models import SearchDocumentQuerySet

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite has no statement timeout"
)

FINDER = reverse("guides:resource-list")
FEED = reverse("guides:resource-feed")
SEARCH = reverse("portal:search")


def sleeping(owner, monkeypatch, method="filter_queryset"):
    """Make the queryset `owner.method` returns take a second, far past a 20 ms limit, whether
    or not anything matches: the sleep runs once, before any row is read.
    """
    original = getattr(owner, method)
    nap = RawSQL("(SELECT pg_sleep(1)) IS NOT NULL", [], output_field=BooleanField())

    def slow(self, *args, **kwargs):
        return original(self, *args, **kwargs).filter(nap)

    monkeypatch.setattr(owner, method, slow)


def current(setting):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("owner", "url"),
    [(ResourceQuerySet, FINDER), (SearchDocumentQuerySet, SEARCH)],
)
def test_a_search_past_the_time_limit_asks_the_visitor_to_narrow_it(
    client, settings, monkeypatch, caplog, owner, url
):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 20
    # Each one's first search query ranks what its search finds.
    sleeping(owner, monkeypatch, "search")

    with caplog.at_level(logging.WARNING, logger="portal.core.time_limit"):
        response = client.get(url, {"q": "pensions"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Sorry, your search took too long" in body
    assert body.count("<h1") == 1
    assert f'href="{url}"' in body
    logged = [r.getMessage() for r in caplog.records if r.name == "portal.core.time_limit"]
    assert logged == [f"Search time limit (20 ms) reached: {url}?q=pensions"]
    # The limit ended with the search's transaction: later queries have none.
    assert current("statement_timeout") == "0"


@on_postgresql
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(
    ("owner", "url"),
    [(ResourceQuerySet, FINDER), (SearchDocumentQuerySet, SEARCH)],
)
def test_a_ranking_past_the_time_limit_is_not_kept(
    client, settings, monkeypatch, make_resource, owner, url
):
    make_resource(title="Pensions explained", slug="pensions-explained")
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 20
    with monkeypatch.context() as patched:
        sleeping(owner, patched, "search")
        assert client.get(url, {"q": "pensions"}).status_code == 503

    response = client.get(url, {"q": "pensions"})

    assert response.status_code == 200
    assert response.context["page"].paginator.count == 1


@on_postgresql
@pytest.mark.django_db
@pytest.mark.parametrize("url", [FINDER, SEARCH, FEED])
def test_on_postgresql_the_search_queries_run_under_the_limit(client, settings, url):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 1500

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "pensions", "type": "guide"})

    assert response.status_code == 200
    assert queries.captured_queries[0]["sql"] == (
        "SELECT set_config('statement_timeout', '1500ms', true),"
        " set_config('synchronous_commit', 'off', true)"
    )


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_searchs_count_is_committed_without_waiting_for_the_disk(settings):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 1500

    with search_time_limit():
        assert current("synchronous_commit") == "off"

    # Only for the search's own transaction.
    assert current("synchronous_commit") == "on"


@pytest.mark.django_db
def test_no_limit_on_sqlite_or_when_set_to_nought(settings):
    assert has_time_limit() is (connection.vendor == "postgresql")
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 0
    assert has_time_limit() is False


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_a_feed_past_the_time_limit_tells_the_reader_to_come_back(client, settings, monkeypatch):
    settings.SEARCH_STATEMENT_TIMEOUT_MS = 20
    sleeping(ResourceFilterSet, monkeypatch, method="matching")

    response = client.get(FEED, {"q": "pensions"})

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.content.decode() == (
        "This feed took too long to make. Try again later, or with fewer filters.\n"
    )
