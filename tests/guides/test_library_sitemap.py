import datetime

import pytest
from django.urls import reverse

from portal.core.publishing import Status

pytestmark = pytest.mark.django_db


def at(year, month, day):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def sitemap(client):
    response = client.get(reverse("sitemap"))
    assert response.status_code == 200
    return response.content.decode()


def test_lists_published_resources_with_their_last_updated_date(client, make_resource):
    resource = make_resource(
        slug="business-plan-template",
        public_updated_at=at(2026, 10, 5),
        last_reviewed=datetime.date(2026, 11, 20),
    )
    draft = make_resource(slug="unfinished-draft", status=Status.DRAFT)
    xml = sitemap(client)
    assert (
        f"<loc>http://testserver{resource.get_absolute_url()}</loc><lastmod>2026-10-05</lastmod>"
        in xml
    )
    assert draft.get_absolute_url() not in xml


def test_lists_topics_dated_by_their_latest_published_resource(client, make_topic, make_resource):
    tax = make_topic("Tax")
    make_resource(topics=[tax], public_updated_at=at(2026, 3, 1))
    make_resource(topics=[tax], public_updated_at=at(2026, 9, 30))
    # A draft's later date is not the topic's: visitors cannot see the draft.
    make_resource(topics=[tax], public_updated_at=at(2026, 11, 1), status=Status.DRAFT)
    xml = sitemap(client)
    assert (
        f"<loc>http://testserver{tax.get_absolute_url()}</loc><lastmod>2026-09-30</lastmod>" in xml
    )


def test_leaves_out_topics_with_only_drafts_or_nothing(client, make_topic, make_resource):
    drafts_only, empty = make_topic("Pensions"), make_topic("Procurement")
    make_resource(topics=[drafts_only], status=Status.DRAFT)
    xml = sitemap(client)
    assert drafts_only.get_absolute_url() not in xml
    assert empty.get_absolute_url() not in xml


def test_sitemap_query_count_is_flat(client, make_topic, make_resource, django_assert_num_queries):
    topics = [make_topic() for _ in range(5)]
    for index in range(20):
        make_resource(topics=topics[: index % 5])
    # Each list is counted, then fetched if not empty (there are no pages or stages here);
    # the guide overview's date is one more, the case study list's and directory's dates two,
    # and whether the readiness check has published questions one.
    with django_assert_num_queries(11):
        xml = sitemap(client)
    assert xml.count("/resources/resource-") == 20
    assert xml.count("/resources/topics/") == 4
