from io import StringIO

from django.core.management import call_command

from portal.core.publishing import Status
from portal.models import Page


def load(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def test_first_load_creates_the_shipped_pages(db):
    output = load()

    assert "Pages: 6 created, 0 updated, 0 unchanged" in output
    slugs = set(Page.objects.values_list("slug", flat=True))
    assert {"home", "what-is-a-mutual", "accessibility", "privacy", "cookies"} <= slugs
    assert not Page.objects.exclude(status=Status.PUBLISHED).exists()


def test_second_load_changes_nothing(db):
    load()
    before = list(Page.objects.values_list("slug", "title", "body", "modified"))

    output = load()

    assert "Pages: 0 created, 0 updated, 6 unchanged" in output
    assert list(Page.objects.values_list("slug", "title", "body", "modified")) == before


def test_reload_keeps_an_edit_made_in_admin(db):
    load()
    Page.objects.filter(slug="privacy").update(title="Privacy notice (edited)")

    load()

    assert Page.objects.get(slug="privacy").title == "Privacy notice (edited)"


def test_reset_restores_the_shipped_text(db):
    load()
    Page.objects.filter(slug="privacy").update(title="Privacy notice (edited)")

    output = load("--reset")

    assert Page.objects.get(slug="privacy").title == "Privacy notice"
    assert "Pages: 0 created, 1 updated, 5 unchanged" in output


def test_shipped_text_has_no_raw_html_or_placeholder_links(db):
    load()

    for page in Page.objects.all():
        assert "<" not in page.body, page.slug
        assert "click here" not in page.body.lower(), page.slug
        assert "](#)" not in page.body, page.slug
