import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from guides.library.feeds import FEED_LENGTH
from guides.models import Resource
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db

FEED_URL = reverse("guides:resource-feed")
ATOM = "{http://www.w3.org/2005/Atom}"


def read_feed(client, **params):
    response = client.get(FEED_URL, params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def entry_titles(feed):
    return [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]


@pytest.fixture
def tagged(make_topic, make_publisher, make_resource):
    tupe, pensions = make_topic("TUPE"), make_topic("Pensions")
    publisher = make_publisher("HM Treasury")
    make_resource(
        title="The Fair Deal for pensions: an overview",
        slug="fair-deal",
        topics=[pensions],
        publisher=publisher,
        published_on=datetime.date(2024, 3, 1),
    )
    make_resource(
        title="Staff transfers",
        slug="staff-transfers",
        topics=[tupe],
        resource_type=Resource.Type.TEMPLATE,
        published_on=datetime.date(2025, 1, 1),
    )
    make_resource(title="Draft", slug="draft", topics=[tupe], status=Status.DRAFT)


def test_feed_lists_published_resources_newest_first(client, tagged):
    feed = read_feed(client)

    assert entry_titles(feed) == ["Staff transfers", "The Fair Deal for pensions: an overview"]
    assert feed.findtext(f"{ATOM}title") == "Resource library – Mutuals Information Service"
    entry = next(feed.iter(f"{ATOM}entry"))
    assert entry.find(f"{ATOM}link").get("href").endswith("/resources/staff-transfers/")
    assert entry.findtext(f"{ATOM}published").startswith("2025-01-01")
    assert entry.findtext(f"{ATOM}updated")


def test_feed_entries_carry_summary_author_and_topics(client, tagged):
    entry = next(
        e for e in read_feed(client).iter(f"{ATOM}entry") if "Fair" in e.findtext(f"{ATOM}title")
    )

    assert entry.findtext(f"{ATOM}summary") == "What resource 1 is for."
    assert entry.findtext(f"{ATOM}author/{ATOM}name") == "HM Treasury"
    assert [c.get("term") for c in entry.iter(f"{ATOM}category")] == ["Pensions"]


def test_feed_takes_the_finder_filters_and_says_so_in_its_title(client, tagged):
    feed = read_feed(client, topic="pensions")

    assert entry_titles(feed) == ["The Fair Deal for pensions: an overview"]
    assert feed.findtext(f"{ATOM}title") == (
        "Resource library – Mutuals Information Service: resources about Pensions"
    )


def test_feed_title_names_every_filter(client, tagged):
    feed = read_feed(client, topic=["tupe", "pensions"], type="template", q="staff")

    assert entry_titles(feed) == ["Staff transfers"]
    assert feed.findtext(f"{ATOM}title").endswith(
        "resources about Pensions or TUPE, of type Template, matching ‘staff’"
    )


def test_feed_has_at_most_twenty_entries(client, make_resource):
    for _ in range(FEED_LENGTH + 3):
        make_resource()

    assert len(entry_titles(read_feed(client))) == FEED_LENGTH


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "nope"},
        {"type": ["guide", "nope"]},
        {"sort": "sideways", "page": "abc"},
        {"q": "&|!:*()"},
        {"q": "\x00pensions"},
        {"q": "x" * 10_000},
        {"publisher": ["<script>", ""]},
    ],
)
def test_bad_parameters_still_give_a_feed(client, tagged, params):
    feed = read_feed(client, **params)

    assert feed.tag == f"{ATOM}feed"


def test_an_unknown_topic_is_ignored_not_applied(client, tagged):
    assert len(entry_titles(read_feed(client, topic="nope"))) == 2


MARKUP = '<img src=x onerror=alert(1)> & <b>"bold"</b>'


def test_summaries_and_titles_reach_feed_readers_as_text_not_html(client, make_resource):
    make_resource(title=f"Title {MARKUP}", summary=f"Summary {MARKUP}", slug="markup")

    response = client.get(FEED_URL)
    entry = next(ET.fromstring(response.content).iter(f"{ATOM}entry"))
    summary, title = entry.find(f"{ATOM}summary"), entry.find(f"{ATOM}title")

    # Atom's text type: a reader shows the characters, it does not parse them as HTML.
    assert summary.get("type") == "text"
    assert summary.text == f"Summary {MARKUP}"
    assert title.get("type", "text") == "text"
    assert title.text == f"Title {MARKUP}"
    assert not [element for element in entry.iter() if element.tag.endswith("img")]
    assert b"<img" not in response.content
    assert b'type="html"' not in response.content


def test_a_search_in_the_feed_title_is_text_not_html(client, db):
    response = client.get(FEED_URL, {"q": MARKUP})
    title = ET.fromstring(response.content).find(f"{ATOM}title")

    assert title.get("type", "text") == "text"
    assert title.text.endswith(f"matching ‘{MARKUP}’")
    assert b"<img" not in response.content
