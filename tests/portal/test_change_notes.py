"""Public change notes: minor and major changes in the admin, and each page's history."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, Mutual
from guides.models import Resource, Stage, Task
from portal.core.change_notes import FIRST_PUBLISHED, NOTE_MAX_LENGTH, ChangeNote
from portal.core.publishing import Status
from portal.models import Page
from tests.admin_forms import admin_form_data

LONG_AGO = datetime.datetime(2025, 3, 4, 10, 0, tzinfo=datetime.UTC)


def squash(response):
    return " ".join(response.content.decode().split())


def notes_of(item):
    return list(ChangeNote.objects.about([item]).values_list("note", flat=True))


def form_for(client, item):
    url = change_url(item)
    return url, admin_form_data(client, url)


def change_url(item):
    opts = item._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[item.pk])


def backdate(item):
    type(item).objects.filter(pk=item.pk).update(public_updated_at=LONG_AGO)
    ChangeNote.objects.about([item]).update(published_at=LONG_AGO)
    item.refresh_from_db()


def backdate_all_content():
    """Every item and note dated LONG_AGO: a page that shows several items (a stage and its
    tasks, a case study and its mutual) then has no date newer than the one a test sets,
    whatever day the test runs on."""
    for model in (Page, Stage, Task, Resource, Mutual, CaseStudy):
        model.objects.update(public_updated_at=LONG_AGO)
    ChangeNote.objects.update(published_at=LONG_AGO)


def content_items():
    """One published item of each kind, from the shipped content."""
    return [
        Page.objects.get(slug="what-is-a-mutual"),
        Stage.objects.published().in_order().first(),
        Task.objects.published().in_order().first(),
        Resource.objects.published().order_by("pk").first(),
        Mutual.objects.published().order_by("pk").first(),
        CaseStudy.objects.published().order_by("pk").first(),
    ]


# Creating an item is its first publication


def test_a_new_item_starts_with_one_first_published_note_dated_when_it_was_made(db):
    page = Page.objects.create(title="Mentoring", slug="mentoring", status=Status.PUBLISHED)

    [note] = ChangeNote.objects.about([page])
    assert note.note == FIRST_PUBLISHED
    assert note.published_at == page.created
    assert page.public_updated_at <= page.created

    page.title = "Mentoring for new mutuals"
    page.save()
    assert notes_of(page) == [FIRST_PUBLISHED]


def test_load_content_gives_each_item_one_first_published_note_and_a_reload_adds_none(db):
    call_command("load_content", stdout=StringIO())
    items = [
        item
        for model in (Page, Stage, Task, Resource, Mutual, CaseStudy)
        for item in model.objects.all()
    ]
    assert len(items) > 20
    first = {(type(i), i.pk): notes_of(i) for i in items}
    assert set(map(tuple, first.values())) == {(FIRST_PUBLISHED,)}

    call_command("load_content", stdout=StringIO())
    call_command("load_content", "--reset", stdout=StringIO())

    assert ChangeNote.objects.count() == len(items)


def test_the_data_migration_dates_existing_items_first_publication_from_their_creation(db):
    migration = __import__(
        "portal.migrations.0009_first_published_notes", fromlist=["add_first_published_notes"]
    )
    page = Page.objects.create(title="Old page", slug="old-page")
    stage = Stage.objects.create(number=1, title="Explore", slug="explore", summary="S.")
    ChangeNote.objects.all().delete()
    Page.objects.filter(pk=page.pk).update(created=LONG_AGO)

    migration.add_first_published_notes(apps, None)
    migration.add_first_published_notes(apps, None)

    page.refresh_from_db()
    [note] = ChangeNote.objects.about([page])
    assert (note.note, note.published_at, page.public_updated_at) == (
        FIRST_PUBLISHED,
        LONG_AGO,
        LONG_AGO,
    )
    assert notes_of(stage) == [FIRST_PUBLISHED]


# The admin form: minor or major change


@pytest.mark.parametrize(
    "model", [Page, Stage, Task, Resource, Mutual, CaseStudy], ids=lambda m: m.__name__
)
def test_every_publishable_admin_form_asks_minor_or_major_but_not_when_adding(
    site_pages, admin_client, model
):
    item = model.objects.order_by("pk").first()
    opts = model._meta

    change = admin_client.get(change_url(item)).content.decode()
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

    assert 'name="change_type" value="minor"' in change
    assert 'name="change_type" value="major"' in change
    assert 'name="change_note"' in change
    assert "js/admin-change-note.js" in change
    assert 'name="change_type"' not in add.content.decode()


@pytest.mark.parametrize("index", range(6), ids=["page", "stage", "task", "resource", "mutual",
                                                 "case-study"])  # fmt: skip
def test_a_major_change_records_its_note_and_moves_last_updated(site_pages, admin_client, index):
    item = content_items()[index]
    backdate(item)
    url, data = form_for(admin_client, item)
    data.update(change_type="major", change_note="  Added the rules\n that apply from 2026. ")

    response = admin_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    item.refresh_from_db()
    assert notes_of(item) == ["Added the rules that apply from 2026.", FIRST_PUBLISHED]
    assert item.public_updated_at.date() == timezone.localdate()
    latest = item.history.latest()
    assert latest.history_change_reason == "Major change: Added the rules that apply from 2026."
    assert latest.history_user.username == "admin"


def test_a_minor_change_moves_no_date_and_adds_no_note(site_pages, admin_client):
    page = Page.objects.get(slug="what-is-a-mutual")
    backdate(page)
    url, data = form_for(admin_client, page)
    data.update(title="What a public service mutual is", change_type="minor", change_note="")

    response = admin_client.post(url, data)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.title == "What a public service mutual is"
    assert page.public_updated_at == LONG_AGO
    assert notes_of(page) == [FIRST_PUBLISHED]
    assert page.history.latest().history_change_reason == "Minor change"
    html = squash(admin_client.get(page.get_absolute_url()))
    assert 'Last updated <time datetime="2025-03-04">4 March 2025</time>' in html


@pytest.mark.parametrize(
    ("change_type", "note", "error"),
    [
        ("major", "", "Enter a change note for a major change"),
        ("major", "x" * (NOTE_MAX_LENGTH + 1), f"at most {NOTE_MAX_LENGTH} characters"),
        ("minor", "A note.", "A minor change has no public note"),
    ],
    ids=["major-without-note", "note-too-long", "minor-with-note"],
)
def test_a_change_note_is_checked(site_pages, admin_client, change_type, note, error):
    page = Page.objects.get(slug="what-is-a-mutual")
    url, data = form_for(admin_client, page)
    data.update(change_type=change_type, change_note=note)

    response = admin_client.post(url, data)

    assert response.status_code == 200
    assert error in " ".join(str(e) for e in response.context["adminform"].form.errors.values())
    assert notes_of(page) == [FIRST_PUBLISHED]


def test_a_change_note_is_plain_text_on_the_page(site_pages, client):
    page = Page.objects.get(slug="what-is-a-mutual")
    ChangeNote.objects.create(item=page, note="Fixed the <b>pension</b> advice.")

    html = client.get(page.get_absolute_url()).content.decode()

    assert "Fixed the &lt;b&gt;pension&lt;/b&gt; advice." in html


# The public page: "Last updated" and "See all updates"


def page_url(item):
    if isinstance(item, Task):
        return item.stage.get_absolute_url()
    if isinstance(item, Mutual):
        return item.case_studies.published().first().get_absolute_url()
    return item.get_absolute_url()


@pytest.mark.parametrize("index", range(6), ids=["page", "stage", "task", "resource", "mutual",
                                                 "case-study"])  # fmt: skip
def test_each_content_page_shows_last_updated_and_its_dated_notes_on_the_page(
    site_pages, client, index
):
    item = content_items()[index]
    if isinstance(item, Mutual):
        item = Mutual.objects.filter(case_studies__status=Status.PUBLISHED).first()
    backdate_all_content()
    when = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=datetime.UTC)
    ChangeNote.objects.create(item=item, note="Added the 2026 pension rules.", published_at=when)
    type(item).objects.filter(pk=item.pk).update(public_updated_at=when)

    html = squash(client.get(page_url(item)))

    assert (
        'Last updated <time datetime="2026-11-30">30 November 2026</time> — '
        '<a class="govuk-link" href="#full-page-history">See all updates</a>'
    ) in html
    history = html.split('id="full-page-history"', 1)[1].split("</section>", 1)[0]
    assert "All updates to this page" in history
    assert '<time datetime="2026-11-30">30 November 2026</time>' in history
    if isinstance(item, Task | Mutual):
        # Shown within a page: named, and its first publication was the page's own.
        assert f"{item}: Added the 2026 pension rules." in history
        assert f"{item}: {FIRST_PUBLISHED}" not in history
        assert history.count(FIRST_PUBLISHED) == 1
    else:
        assert history.index("Added the 2026 pension rules.") < history.index(FIRST_PUBLISHED)
        assert '<time datetime="2025-03-04">4 March 2025</time>' in history


def test_a_task_added_after_its_stage_was_published_is_listed_as_new(db, client):
    stage = Stage.objects.create(
        number=1, title="Explore", slug="explore", summary="S.", status=Status.PUBLISHED
    )
    Stage.objects.filter(pk=stage.pk).update(created=LONG_AGO)
    ChangeNote.objects.about([stage]).update(published_at=LONG_AGO)
    task = Task.objects.create(stage=stage, title="Talk to the union", slug="union")

    html = squash(client.get(stage.get_absolute_url()))

    history = html.split('id="full-page-history"', 1)[1]
    assert f"{task}: {FIRST_PUBLISHED}" in history
    assert history.count(FIRST_PUBLISHED) == 2


def test_the_guide_overview_and_home_page_show_their_pages_history(site_pages, client):
    for url in (reverse("guides:overview"), reverse("portal:home")):
        html = squash(client.get(url))
        assert 'href="#full-page-history">See all updates</a>' in html, url
        assert 'id="full-page-history"' in html, url


def test_a_stage_page_is_last_updated_when_one_of_its_tasks_is(site_pages, client):
    stage = Stage.objects.published().in_order().first()
    task = stage.tasks.published().first()
    for item in (stage, *stage.tasks.all()):
        backdate(item)
    Task.objects.filter(pk=task.pk).update(
        public_updated_at=datetime.datetime(2026, 11, 30, 9, 0, tzinfo=datetime.UTC)
    )

    html = squash(client.get(stage.get_absolute_url()))

    assert 'Last updated <time datetime="2026-11-30">30 November 2026</time>' in html


def queries_for(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize("index", range(6), ids=["page", "stage", "task", "resource", "mutual",
                                                 "case-study"])  # fmt: skip
def test_a_content_page_makes_the_same_queries_with_1_and_30_notes(site_pages, client, index):
    item = content_items()[index]
    if isinstance(item, Mutual):
        item = Mutual.objects.filter(case_studies__status=Status.PUBLISHED).first()
    url = page_url(item)
    one = queries_for(client, url)

    ChangeNote.objects.bulk_create(
        ChangeNote(item=item, note=f"Change number {n}.") for n in range(29)
    )
    thirty = queries_for(client, url)

    assert len(notes_of(item)) == 30
    assert thirty == one
    assert "Change number 28." in client.get(url).content.decode()


def test_deleting_an_item_deletes_its_notes(db):
    page = Page.objects.create(title="Mentoring", slug="mentoring", status=Status.PUBLISHED)
    ChangeNote.objects.create(item=page, note="Added mentors in the North West.")

    page.delete()

    assert ChangeNote.objects.count() == 0
