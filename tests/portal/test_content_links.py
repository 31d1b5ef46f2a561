"""Every link in the shipped content leads to a published page, and every #section to its id."""

import re
from collections import defaultdict

from casestudies.models import CaseStudy, Mutual
from enquiries.models import Partner
from guides.models import Resource, Stage, Task, Topic
from portal.models import Page

MARKDOWN_MODELS = [Page, Stage, Task, Resource, CaseStudy, Mutual]
HREF = re.compile(r'href="([^"]*)"')
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")


def internal_links(db_objects_html, plain_texts):
    """Internal addresses linked from stored HTML and from plain-text fields, with where each is."""
    links = defaultdict(set)
    for where, html in db_objects_html:
        for href in HREF.findall(html):
            if href.startswith("/"):
                links[href].add(where)
    for where, text in plain_texts:
        for href in MARKDOWN_LINK.findall(text):
            if href.startswith("/"):
                links[href].add(where)
    return links


def shipped_links():
    rendered = [
        (f"{model.__name__} {obj.pk}", html)
        for model in MARKDOWN_MODELS
        for obj in model.objects.all()
        for html in obj.rendered.values()
    ]
    plain = [(f"Partner {p.slug}", p.description) for p in Partner.objects.all()]
    plain += [(f"Topic {t.slug}", t.description) for t in Topic.objects.all()]
    return internal_links(rendered, plain)


def test_every_internal_link_in_shipped_content_answers_200(client, shipped):
    links = shipped_links()
    # The content links to pages, stages, resources, topics and case studies by their address.
    assert len(links) > 30
    for prefix in (
        "/resources/topics/",
        "/resources/",
        "/case-studies/",
        "/how-to-set-up-a-mutual/",
    ):
        assert any(href.startswith(prefix) and href != prefix for href in links), prefix

    broken = []
    pages = {}
    for href, sources in sorted(links.items()):
        path, _, fragment = href.partition("#")
        if path not in pages:
            response = client.get(path)
            pages[path] = (response.status_code, response.content.decode())
        status, html = pages[path]
        if status != 200:
            broken.append((href, status, sorted(sources)))
        elif fragment and f'id="{fragment}"' not in html:
            broken.append((href, "no such section", sorted(sources)))
    assert broken == []


def test_a_link_to_a_missing_or_draft_page_is_reported(client, shipped):
    Resource.objects.filter(slug="business-plan-template").update(status="draft")
    rendered = [("a page", '<a href="/resources/business-plan-template/">x</a>')]
    plain = [("a partner", "See [nowhere](/no-such-page/).")]
    links = internal_links(rendered, plain)

    assert client.get("/resources/business-plan-template/").status_code == 404
    assert client.get(next(href for href in links if "no-such" in href)).status_code == 404
