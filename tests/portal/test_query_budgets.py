"""Each public page's database queries: small, fixed, and the same as the content grows.

Pages with their own query tests elsewhere (the finder, stage and resource pages, case studies,
the directory, the admin lists) are not repeated here; this covers the rest, and the main public
pages once more against the shipped content plus generated volume.
"""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from portal.core.time_limit import has_time_limit

# Queries for an anonymous visitor with no session, the page cache off (as on a cache miss).
BUDGETS = {
    "portal:home": 3,
    "portal:contact": 3,
    "enquiries:support": 1,
    "guides:overview": 4,
    # Its first request after a change: nine to keep the options and their resources, then the
    # page of results with their publishers; later requests need that one alone.
    "guides:resource-list": 10,
    "guides:resource-feed": 6,
    "casestudies:case-study-list": 4,
    "casestudies:mutual-list": 6,
    # One of them asks whether the readiness check has published questions to list it.
    "sitemap": 14,
    "robots": 0,
    "healthz": 1,
}
PAGE_BUDGETS = {
    ("portal:page-detail", "what-is-a-mutual"): 2,
    ("guides:stage-detail", "explore-the-idea"): 6,
}


# Pages whose queries run under the search time limit: one more query, on PostgreSQL.
TIME_LIMITED = {"guides:resource-list", "guides:resource-feed"}


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


def add_volume():
    for command, count in (
        ("generate_demo_resources", "60"),
        ("generate_demo_case_studies", "15"),
        ("generate_demo_enquiries", "40"),
    ):
        call_command(command, count, "--seed", "1", stdout=StringIO())


@pytest.mark.parametrize("url_name", BUDGETS)
def test_page_keeps_to_its_query_budget_as_content_grows(client, shipped, url_name):
    url = reverse(url_name)
    shipped = queries_for(client, url)
    add_volume()
    grown = queries_for(client, url)

    budget = BUDGETS[url_name] + (url_name in TIME_LIMITED and has_time_limit())
    assert (shipped, grown) == (budget, budget)


@pytest.mark.parametrize(("url_name", "slug"), PAGE_BUDGETS)
def test_detail_page_keeps_to_its_query_budget_as_content_grows(client, shipped, url_name, slug):
    url = reverse(url_name, args=[slug])
    shipped = queries_for(client, url)
    add_volume()
    grown = queries_for(client, url)

    budget = PAGE_BUDGETS[(url_name, slug)]
    assert (shipped, grown) == (budget, budget)
