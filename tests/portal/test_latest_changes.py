"""The "Latest changes" page and feed: major changes across the site, newest first."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy, Mutual
from guides.models import Resource, Stage, Task
from portal.core.change_notes import ChangeNote
from portal.core.publishing import Status
from portal.models import Page

ATOM = "{http://www.w3.org/2005/Atom}"
PUBLISHED, DRAFT = Status.PUBLISHED, Status.DRAFT


def at(day, hour=9):
    return datetime.datetime(2026, 11, day, hour, 0, tzinfo=datetime.UTC)


@pytest.fixture
def content(db):
    """One item of each kind, published, with its "First published" notes removed."""
    stage = Stage.objects.create(
        number=1, title="Explore the idea", slug="explore-the-idea", summary="S.", status=PUBLISHED
    )
    mutual = Mutual.objects.create(name="Care Co-op", slug="care-co-op", status=PUBLISHED)
    items = {
        "page": Page.objects.create(title="What a mutual is", slug="what", status=PUBLISHED),
        "stage": stage,
        "task": Task.objects.create(stage=stage, title="Form a core team", slug="team"),
        "resource": Resource.objects.create(
            title="Pensions guide", slug="pensions", summary="S.", status=PUBLISHED
        ),
        "mutual": mutual,
        "case_study": CaseStudy.objects.create(
            title="How Care Co-op began", slug="care", mutual=mutual, summary="S.", status=PUBLISHED
        ),
    }
    ChangeNote.objects.all().delete()
    return items


def note(item, text, when):
    return ChangeNote.objects.create(item=item, note=text, published_at=when)


def listed(client, url=None):
    html = client.get(url or reverse("portal:latest-changes")).content.decode()
    items = html.split('class="app-latest-changes__item"')[1:]
    return [" ".join(item.split("</li>", 1)[0].split()) for item in items]


def test_the_page_lists_major_changes_of_every_kind_newest_first(client, content):
    for day, (kind, item) in enumerate(content.items(), start=1):
        note(item, f"Changed the {kind}.", at(day))

    entries = listed(client)

    assert [e.split("<p class=\"govuk-body govuk-!-margin-bottom-1\">")[1].split("<")[0]
            for e in entries] == [
        "Changed the case_study.", "Changed the mutual.", "Changed the resource.",
        "Changed the task.", "Changed the stage.", "Changed the page.",
    ]  # fmt: skip
    assert 'href="/case-studies/care/">How Care Co-op began</a>' in entries[0]
    assert 'href="/mutuals/#mutual-care-co-op">Care Co-op</a>' in entries[1]
    assert (
        'href="/how-to-set-up-a-mutual/explore-the-idea/#task-team">Form a core team</a>'
        in (entries[3])
    )
    assert 'Case study, <time datetime="2026-11-06">6 November 2026</time>' in entries[0]


@pytest.mark.parametrize(
    ("hide", "hidden_kinds"),
    [
        ({"page": DRAFT}, ["page"]),
        ({"resource": DRAFT}, ["resource"]),
        # A published task in a draft stage is not shown, nor is a case study of a draft mutual.
        ({"stage": DRAFT}, ["stage", "task"]),
        ({"mutual": DRAFT}, ["mutual", "case_study"]),
    ],
    ids=["draft-page", "draft-resource", "draft-stage", "draft-mutual"],
)
def test_notes_on_items_the_public_cannot_see_never_show(client, content, hide, hidden_kinds):
    for kind, item in content.items():
        note(item, f"Changed the {kind}.", at(1))
    for kind, status in hide.items():
        type(content[kind]).objects.filter(pk=content[kind].pk).update(status=status)

    html = client.get(reverse("portal:latest-changes")).content.decode()
    feed = client.get(reverse("portal:latest-changes-feed")).content.decode()

    for kind in content:
        shown = kind not in hidden_kinds
        assert (f"Changed the {kind}." in html) is shown, kind
        assert (f"Changed the {kind}." in feed) is shown, kind


def test_with_no_changes_the_page_says_so(client, content):
    response = client.get(reverse("portal:latest-changes"))

    html = response.content.decode()
    assert "There are no changes to show yet." in html
    assert "govuk-pagination" not in html
    assert html.count("<h1") == 1


def test_the_page_shows_20_changes_a_page_with_govuk_pagination(client, content):
    for n in range(25):
        note(content["page"], f"Change {n:02}.", at(1) + datetime.timedelta(minutes=n))
    url = reverse("portal:latest-changes")

    first, second = listed(client), listed(client, f"{url}?page=2")
    html = client.get(url).content.decode()

    assert len(first) == 20 and "Change 24." in first[0]
    assert len(second) == 5 and "Change 00." in second[-1]
    assert 'class="govuk-pagination"' in html
    assert f'href="{url}?page=2" rel="next"' in html
    assert "<title>Latest changes (page 1 of 2)" in " ".join(html.split())


def test_a_page_number_past_the_end_shows_the_last_page_with_a_notice(client, content):
    note(content["page"], "Only change.", at(1))

    html = client.get(reverse("portal:latest-changes"), {"page": "9"}).content.decode()

    assert "There is only 1 page of results, so we are showing the last one." in html
    assert "Only change." in html


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["portal:latest-changes", "portal:latest-changes-feed"])
def test_the_page_and_feed_make_the_same_queries_with_1_and_30_changes(client, content, url_name):
    items = list(content.values())
    note(items[0], "Change.", at(1))
    for item in items[1:]:
        note(item, "Change.", at(2))
    url = reverse(url_name)
    few = queries_for(client, url)

    for n in range(30 - len(items)):
        note(items[n % len(items)], f"Change {n}.", at(3))
    many = queries_for(client, url)

    assert ChangeNote.objects.count() == 30
    # The notes, one query per kind of item, and on the page the count for its pages.
    assert few == many == len(items) + (2 if url_name == "portal:latest-changes" else 1)


def test_the_feed_is_atom_with_each_change_newest_first(client, content):
    note(content["resource"], "Added the 2026 rates.", at(20))
    note(content["page"], "Explained the <b>new</b> rules.", at(29))

    response = client.get(reverse("portal:latest-changes-feed"))

    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}title") == "Latest changes – Mutuals Information Service"
    entries = root.findall(f"{ATOM}entry")
    assert [e.findtext(f"{ATOM}title") for e in entries] == ["What a mutual is", "Pensions guide"]
    newest = entries[0]
    summary = newest.find(f"{ATOM}summary")
    assert (summary.get("type"), summary.text) == ("text", "Explained the <b>new</b> rules.")
    assert newest.find(f"{ATOM}link").get("href") == "http://testserver/what/"
    assert newest.findtext(f"{ATOM}updated").startswith("2026-11-29T09:00:00")
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == 2
    assert all(i.startswith("http://testserver/latest-changes/#change-") for i in ids)


def test_the_footer_links_to_the_page_and_the_sitemap_lists_it(client, content):
    home = client.get(reverse("portal:home")).content.decode()
    sitemap = client.get(reverse("sitemap")).content.decode()

    assert 'href="/latest-changes/">Latest changes</a>' in home
    assert "<loc>http://testserver/latest-changes/</loc>" in sitemap


def test_the_page_offers_its_feed(client, content):
    html = client.get(reverse("portal:latest-changes")).content.decode()

    assert (
        '<link rel="alternate" type="application/atom+xml" title="Latest changes" '
        'href="/latest-changes/feed/">'
    ) in html
