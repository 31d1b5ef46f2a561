"""What empties the page cache: each app marks its own models, and the cache names none."""

import ast
import logging
from pathlib import Path

import pytest
from django.apps import apps
from django.urls import reverse

import portal.cache
from portal.cache import (
    VERSION_KEY,
    changes_public_pages,
    content_changed,
    content_relation_changed,
    content_version,
)

# Every model a public page shows, as the cache listed them before each app marked its own.
SHOWN_ON_PUBLIC_PAGES = {
    "portal.page",
    "portal.changenote",
    "guides.stage",
    "guides.task",
    # The readiness check's start page says how many questions there are.
    "guides.question",
    "guides.topic",
    "guides.publisher",
    "guides.resource",
    "casestudies.servicearea",
    "casestudies.mutual",
    "casestudies.casestudy",
    "casestudies.outcome",
    "enquiries.partner",
}
PROJECT_APPS = {"portal", "guides", "casestudies", "enquiries"}


def test_exactly_the_models_public_pages_show_are_marked():
    marked = {model._meta.label_lower for model in apps.get_models() if changes_public_pages(model)}

    assert marked == SHOWN_ON_PUBLIC_PAGES


@pytest.mark.parametrize("label", sorted(SHOWN_ON_PUBLIC_PAGES))
def test_saving_deleting_or_relinking_each_of_them_empties_the_cache(page_cache, label):
    model = apps.get_model(label)

    for handle in [
        lambda: content_changed(sender=model),
        lambda: content_relation_changed(sender=None, instance=model(), action="post_add"),
    ]:
        before = content_version()
        handle()
        assert content_version() != before


def test_saves_and_relation_changes_reach_the_cache(
    page_cache, make_topic, make_resource, make_partner, make_rule
):
    topic = make_topic("Tax")
    resource = make_resource(slug="guide")
    partner = make_partner("Co-operatives UK")

    before = content_version()
    topic.name = "Taxes"
    topic.save()
    after_topic = content_version()
    resource.topics.add(topic)
    after_link = content_version()
    make_rule(partner)
    after_rule = content_version()

    assert before != after_topic != after_link
    # Routing rules are never shown to the public.
    assert after_rule == after_link


def test_the_cache_imports_no_app_and_names_no_model():
    source = Path(portal.cache.__file__).read_text()
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }

    assert not [name for name in imported if name and name.split(".")[0] in PROJECT_APPS]
    assert not [label for label in SHOWN_ON_PUBLIC_PAGES if label in source.lower()]


class BrokenCache:
    """A shared cache that is down: every call fails, except reading the version if allowed."""

    def __init__(self, version=None):
        self.version = version

    def get(self, key, default=None):
        if key == VERSION_KEY and self.version:
            return self.version
        raise ConnectionError("shared cache down")

    def set(self, *args, **kwargs):
        raise ConnectionError("shared cache down")

    add = set


@pytest.mark.parametrize(
    ("version", "logged"),
    [
        (None, "could not read the content version for /"),
        ("v1", "could not read portal:page:v1:"),
    ],
)
def test_a_shared_cache_that_is_down_is_logged_and_the_page_still_served(
    client, page_cache, shipped, monkeypatch, caplog, version, logged
):
    monkeypatch.setattr(portal.cache, "shared_cache", lambda: BrokenCache(version))

    with caplog.at_level(logging.WARNING, logger="portal.cache"):
        response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    records = [record for record in caplog.records if record.name == "portal.cache"]
    messages = [record.getMessage() for record in records]
    assert any(logged in message for message in messages), messages
    assert all(record.exc_info for record in records)
    if version:
        assert any("could not write portal:page:v1:" in message for message in messages)


def test_a_change_makes_the_version_new_again_when_it_commits(
    page_cache, make_topic, django_capture_on_commit_callbacks
):
    """Another process may read the new version before the commit, while it still sees the old
    rows: what it keeps under that version must not outlive the commit."""
    topic = make_topic("Tax")
    with django_capture_on_commit_callbacks(execute=True):
        topic.name = "Taxes"
        topic.save()
        during = content_version()
    assert content_version() != during
