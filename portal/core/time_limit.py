"""A time limit on the queries of a search, so no search can hold an app server for long.

The finder and the site search build their queries from the query string, so anyone can ask
for a search that is slow to answer. On PostgreSQL their queries run in a transaction under
`SET LOCAL statement_timeout` (SEARCH_STATEMENT_TIMEOUT_MS): a query still running when it
expires is cancelled, logged, and the visitor gets a page asking them to narrow the search,
with status 503 and Retry-After, never an error page. SQLite has no statement timeout, so
there the queries run without one.
"""

import logging
from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.shortcuts import render

logger = logging.getLogger(__name__)

# PostgreSQL's code for a statement cancelled by statement_timeout (query_canceled).
QUERY_CANCELED = "57014"
RETRY_AFTER_SECONDS = 30


def has_time_limit():
    return connection.vendor == "postgresql" and settings.SEARCH_STATEMENT_TIMEOUT_MS > 0


@contextmanager
def search_time_limit():
    """Every query inside runs under SEARCH_STATEMENT_TIMEOUT_MS on PostgreSQL: one query.

    savepoint=False: outside a transaction (every request) this is the transaction, so the
    settings end with it; no savepoint queries are needed. A search's only write is its count
    (portal/site_search/counting.py), a statistic: its commit need not wait for the disk, at
    the risk of the last fraction of a second's counts if the database server crashes.
    """
    if not has_time_limit():
        yield
        return
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT set_config('statement_timeout', %s, true),"
                " set_config('synchronous_commit', 'off', true)",
                [f"{settings.SEARCH_STATEMENT_TIMEOUT_MS}ms"],
            )
        yield


def ran_out_of_time(error):
    """Whether a database error is PostgreSQL cancelling a query that passed the time limit."""
    cause = error.__cause__
    code = getattr(cause, "pgcode", None) or getattr(cause, "sqlstate", None)
    return code == QUERY_CANCELED


def within_time_limit(request, answer, narrow):
    """`answer()`'s response, its queries under the time limit; past it, `narrow()`'s response
    (status 503, Retry-After), logged.
    """
    try:
        with search_time_limit():
            response = answer()
            # Rendered here, where its queries (results, counts) run under the limit.
            if hasattr(response, "render"):
                response.render()
    except OperationalError as error:
        if not ran_out_of_time(error):
            raise
        logger.warning(
            "Search time limit (%s ms) reached: %s",
            settings.SEARCH_STATEMENT_TIMEOUT_MS,
            request.get_full_path(),
        )
        response = narrow()
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class SearchTimeLimitMixin:
    """For a list view whose queries a visitor's query string shapes: the page, rendered with
    its queries under the time limit, or a page asking to narrow the search.
    """

    narrow_template_name = "search_too_slow.html"

    def get(self, request, *args, **kwargs):
        return within_time_limit(
            request,
            lambda: super(SearchTimeLimitMixin, self).get(request, *args, **kwargs),
            lambda: render(request, self.narrow_template_name, {"list_url": request.path}),
        )
