"""Review dates and owners: defaults, 'Mark as reviewed', the Review filter, the public
warning, shipped content and the admin lists' query counts."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, Mutual
from enquiries.models import Partner
from guides.models import Resource, Stage, Task, Topic
from portal.core.publishing import Status
from portal.core.reviewing import MARKED_AS_REVIEWED, add_months
from portal.models import Page
from tests.migrating import migrate

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def months_on(months, date=None):
    return add_months(date or TODAY, months)


@pytest.fixture
def team(db):
    return Group.objects.get(name="Mutuals Team")


@pytest.fixture
def topic(db):
    def make(slug):
        return Topic.objects.get_or_create(slug=slug, defaults={"name": slug.title()})[0]

    return make


def make_stage(number=1, **fields):
    defaults = {
        "title": f"Stage {number}",
        "slug": f"stage-{number}",
        "summary": "A summary.",
        "status": Status.PUBLISHED,
    }
    return Stage.objects.create(number=number, **{**defaults, **fields})


def make_resource(slug="a-resource", topics=(), **fields):
    defaults = {"title": slug.replace("-", " "), "summary": "A summary.", "status": "published"}
    resource = Resource.objects.create(slug=slug, **{**defaults, **fields})
    resource.topics.set(topics)
    return resource


def make_mutual(slug="a-mutual", **fields):
    defaults = {"name": slug.replace("-", " ").title(), "status": Status.PUBLISHED}
    return Mutual.objects.create(slug=slug, **{**defaults, **fields})


def make_case_study(slug="a-case-study", mutual=None, **fields):
    mutual = mutual or make_mutual(f"{slug}-mutual")
    defaults = {"title": slug.replace("-", " "), "summary": "A story.", "status": "published"}
    return CaseStudy.objects.create(slug=slug, mutual=mutual, **{**defaults, **fields})


def make_partner(slug="a-partner", **fields):
    defaults = {
        "name": slug.replace("-", " ").title(),
        "description": "Who they are.",
        "helps_with": "Setting up a co-operative.",
        "notification_emails": f"{slug}@example.org",
    }
    return Partner.objects.create(slug=slug, **{**defaults, **fields})


# Defaults.


def test_months_on_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2026, 11, 30), 12) == datetime.date(2027, 11, 30)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)


def test_an_item_is_due_for_review_12_months_after_its_last_review(make_page, team):
    page = make_page(last_reviewed=datetime.date(2026, 11, 23))

    assert page.review_by == datetime.date(2027, 11, 23)
    assert page.owner_team == team
    assert page.owner_user is None


@pytest.mark.parametrize("slug", ["pensions", "tupe", "procurement", "legal", "tax"])
def test_items_on_fast_changing_topics_are_due_after_6_months(db, topic, slug):
    resource = make_resource(topics=[topic(slug), topic("assets")])

    resource.mark_reviewed()

    assert resource.review_by == months_on(6)


def test_other_topics_keep_12_months(db, topic):
    resource = make_resource(topics=[topic("assets"), topic("business-planning")])

    resource.mark_reviewed()

    assert resource.review_by == months_on(12)


def test_case_studies_and_partners_follow_their_topics_too(db, topic):
    case_study = make_case_study()
    case_study.topics.set([topic("tax")])
    partner = make_partner()
    partner.topics.set([topic("pensions")])

    case_study.mark_reviewed()
    partner.mark_reviewed()

    assert case_study.review_by == months_on(6)
    assert partner.review_by == months_on(6)


def test_the_topics_and_periods_are_settings(db, topic, settings):
    settings.REVIEW_SHORT_PERIOD_TOPICS = ["assets"]
    settings.REVIEW_SHORT_PERIOD_MONTHS = 3
    settings.REVIEW_PERIOD_MONTHS = 24
    assets = make_resource("assets-guide", topics=[topic("assets")])
    tupe = make_resource("tupe-guide", topics=[topic("tupe")])

    assets.mark_reviewed()
    tupe.mark_reviewed()

    assert assets.review_by == months_on(3)
    assert tupe.review_by == months_on(24)


def test_publishing_a_draft_starts_the_review_period_again(make_page):
    page = make_page(status=Status.DRAFT, last_reviewed=datetime.date(2025, 1, 10))
    assert page.review_by == datetime.date(2026, 1, 10)

    page = Page.objects.get(pk=page.pk)
    page.status = Status.PUBLISHED
    page.save()

    assert Page.objects.get(pk=page.pk).review_by == months_on(12)


def test_publishing_keeps_a_review_date_the_editor_chose(make_page):
    page = make_page(status=Status.DRAFT)
    page = Page.objects.get(pk=page.pk)
    page.status = Status.PUBLISHED
    page.review_by = datetime.date(2027, 3, 1)
    page.save()

    assert Page.objects.get(pk=page.pk).review_by == datetime.date(2027, 3, 1)


def test_an_item_has_one_owner_not_a_person_and_a_team(make_page, make_staff, team):
    page = make_page()
    page.owner_user = make_staff("Content editors", username="owner")

    with pytest.raises(ValidationError) as error:
        page.full_clean()

    assert error.value.message_dict["owner_team"] == [
        "Choose a person or a team as owner, not both."
    ]


def test_an_editor_adding_a_resource_on_tupe_gets_6_months(editor_client, topic):
    tupe = topic("tupe")
    form = {
        "title": "A TUPE letter",
        "slug": "a-tupe-letter",
        "summary": "A letter.",
        "body": "",
        "resource_type": "letter",
        "published_precision": "day",
        "external_url": "",
        "topics": [tupe.pk],
        "status": Status.PUBLISHED,
        "owner_user": "",
        "owner_team": "",
        "review_by": "",
    }

    response = editor_client.post(reverse("admin:guides_resource_add"), form)

    assert response.status_code == 302
    resource = Resource.objects.get(slug="a-tupe-letter")
    assert resource.review_by == months_on(6)
    assert resource.owner_team.name == "Mutuals Team"


# Mark as reviewed: the button on the change page.


def mark_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_mark_reviewed", args=[obj.pk])


def change_url(obj):
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


def test_the_button_marks_a_page_reviewed_without_moving_its_public_date(
    editor_client, client, make_page
):
    page = make_page(
        slug="cookies",
        last_reviewed=datetime.date(2025, 1, 10),
        public_updated_at=datetime.datetime(2025, 1, 10, 9, 0, tzinfo=datetime.UTC),
    )
    modified = page.modified

    response = editor_client.post(mark_url(page))

    assert response.status_code == 302
    assert response.url == change_url(page)
    page.refresh_from_db()
    assert page.last_reviewed == TODAY
    assert page.review_by == months_on(12)
    assert page.public_updated_at == datetime.datetime(2025, 1, 10, 9, 0, tzinfo=datetime.UTC)
    assert [note.note for note in page.change_notes.all()] == ["First published"]
    assert page.modified == modified
    latest = page.history.first()
    assert latest.history_change_reason == MARKED_AS_REVIEWED
    assert latest.history_user.username == "editor"
    assert latest.last_reviewed == TODAY
    html = client.get("/cookies/").content.decode()
    assert 'Last updated <time datetime="2025-01-10">10 January 2025</time>' in html


def test_the_change_page_has_the_button_as_a_form_with_a_csrf_token(editor_client, make_page):
    page = make_page()

    html = editor_client.get(change_url(page)).content.decode()

    form = html[html.index('class="app-object-tools-form"') - 200 :]
    form = form[: form.index("</form>")]
    assert f'method="post" action="{mark_url(page)}"' in form
    assert 'name="csrfmiddlewaretoken"' in form
    assert ">Mark as reviewed</button>" in form


def test_the_button_answers_only_a_post(editor_client, make_page):
    page = make_page(last_reviewed=datetime.date(2025, 1, 10))

    assert editor_client.get(mark_url(page)).status_code == 405
    page.refresh_from_db()
    assert page.last_reviewed == datetime.date(2025, 1, 10)


@pytest.fixture
def viewer_client(client, django_user_model):
    """Staff who may view site pages and partners but change neither."""
    user = django_user_model.objects.create_user(username="viewer", password="x", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_page", "view_partner"]))
    client.force_login(user)
    return client


def test_staff_who_cannot_change_an_item_cannot_mark_it_reviewed(viewer_client, make_page):
    page = make_page(last_reviewed=datetime.date(2025, 1, 10))

    response = viewer_client.post(mark_url(page))

    assert response.status_code == 403
    page.refresh_from_db()
    assert page.last_reviewed == datetime.date(2025, 1, 10)
    assert page.history.count() == 1
    assert ">Mark as reviewed</button>" not in viewer_client.get(change_url(page)).content.decode()


def test_the_action_needs_change_permission_too(viewer_client, make_page):
    page = make_page(last_reviewed=datetime.date(2025, 1, 10))

    viewer_client.post(
        reverse("admin:portal_page_changelist"),
        {"action": "mark_reviewed", "_selected_action": [page.pk]},
    )

    page.refresh_from_db()
    assert page.last_reviewed == datetime.date(2025, 1, 10)


# Mark as reviewed: the action on every list.


def every_kind(topic):
    """One published item of each kind with review dates, each reviewed long ago."""
    long_ago = {"last_reviewed": datetime.date(2024, 1, 1)}
    stage = make_stage(**long_ago)
    case_study = make_case_study(mutual=make_mutual(**long_ago), **long_ago)
    return [
        Page.objects.create(title="Cookies", slug="cookies", status="published", **long_ago),
        stage,
        Task.objects.create(stage=stage, title="Form a team", slug="form-a-team", **long_ago),
        make_resource(topics=[topic("tupe")], **long_ago),
        case_study.mutual,
        case_study,
        make_partner(**long_ago),
    ]


def test_the_action_marks_each_selected_item_of_every_kind(admin_client, topic):
    for obj in every_kind(topic):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

        response = admin_client.post(url, {"action": "mark_reviewed", "_selected_action": [obj.pk]})

        assert response.status_code == 302, opts.label
        obj.refresh_from_db()
        assert obj.last_reviewed == TODAY, opts.label
        months = 6 if opts.model_name == "resource" else 12
        assert obj.review_by == months_on(months), opts.label
        assert obj.history.first().history_change_reason == MARKED_AS_REVIEWED, opts.label


# The Review filter and the list.


def test_the_review_filter_splits_overdue_due_soon_and_not_due(editor_client, make_page):
    overdue = make_page(title="Overdue page", review_by=TODAY - DAY)
    due_today = make_page(title="Due today page", review_by=TODAY)
    due_soon = make_page(title="Due soon page", review_by=TODAY + 30 * DAY)
    not_due = make_page(title="Not due page", review_by=TODAY + 31 * DAY)
    url = reverse("admin:portal_page_changelist")

    def listed(state):
        response = editor_client.get(url, {"review": state})
        return {page.pk for page in response.context["cl"].result_list}

    assert listed("overdue") == {overdue.pk}
    assert listed("due-soon") == {due_today.pk, due_soon.pk}
    assert listed("not-due") == {not_due.pk}
    html = editor_client.get(url).content.decode()
    for choice in ["Overdue", "Due in the next 30 days", "Not due"]:
        assert f">{choice}</a>" in html
    assert "Review by" in html and "Owner" in html


def test_every_list_of_reviewable_items_has_the_filter_and_the_dates(admin_client, topic):
    for obj in every_kind(topic):
        opts = obj._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")

        response = admin_client.get(url, {"review": "overdue"})

        assert [row.pk for row in response.context["cl"].result_list] == [obj.pk], opts.label
        html = response.content.decode()
        assert "By review" in html and "Review by" in html, opts.label
        assert admin_client.get(url, {"review": "not-due"}).context["cl"].result_count == 0


def test_the_change_form_has_a_review_section(editor_client, make_page):
    html = editor_client.get(change_url(make_page())).content.decode()

    for label in ["Owner: a person", "Owner: a team", "Last reviewed", "Review by"]:
        assert label in html


# The warning on public pages.


@pytest.mark.parametrize(
    ("review_by", "warned"),
    [
        (months_on(-6) - DAY, True),
        (months_on(-6), False),
        (TODAY - DAY, False),
        (TODAY + DAY, False),
    ],
)
def test_a_page_long_past_its_review_date_warns_it_may_be_out_of_date(
    client, make_page, review_by, warned
):
    make_page(slug="cookies", review_by=review_by)

    html = client.get("/cookies/").content.decode()

    assert ("This page may be out of date" in html) is warned
    assert "govuk-warning-text" in html if warned else "govuk-warning-text" not in html
    assert "Review by" not in html and "review by" not in html


def test_the_warning_links_to_the_contact_form_on_every_kind_of_content_page(client, topic):
    long_past = months_on(-7)
    stage = make_stage(review_by=long_past)
    resource = make_resource(review_by=long_past)
    case_study = make_case_study(review_by=long_past)

    for url in [
        stage.get_absolute_url(),
        resource.get_absolute_url(),
        case_study.get_absolute_url(),
    ]:
        html = client.get(url).content.decode()
        warning = html[html.index("This page may be out of date") :]
        warning = warning[: warning.index("</strong>")]
        assert f'href="{reverse("portal:contact")}">ask the Mutuals Team</a>' in warning, url


# Shipped content.


def test_shipped_content_belongs_to_the_mutuals_team_with_review_dates(db, team):
    call_command("load_content", stdout=StringIO())

    for model in [Page, Stage, Task, Resource, Mutual, CaseStudy, Partner]:
        assert model.objects.exists(), model
        assert not model.objects.exclude(owner_team=team).exists(), model
        assert not model.objects.filter(review_by=None).exists(), model
    tupe = Resource.objects.get(slug="guide-to-the-tupe-regulations-2006")
    assert tupe.review_by == add_months(tupe.last_reviewed, 6)
    untagged = Stage.objects.first()
    assert untagged.review_by == add_months(untagged.last_reviewed, 12)


# The lists' query counts stay the same as they grow.


def add_rows_of_every_kind(start, count, owner, team):
    """Rows of each kind, owned by a person and a team in turn, all due for review soon."""
    owners = [{"owner_user": owner}, {"owner_team": team}]
    stage = Stage.objects.get_or_create(number=100, defaults={"slug": "s", "summary": "S"})[0]
    for n in range(start, start + count):
        who = {**owners[n % 2], "review_by": TODAY}
        Page.objects.create(title=f"Page {n}", slug=f"page-{n}", **who)
        make_stage(number=n + 1, slug=f"stage-{n}", **who)
        Task.objects.create(stage=stage, title=f"Task {n}", slug=f"task-{n}", **who)
        make_resource(f"resource-{n}", **who)
        make_case_study(f"case-study-{n}", mutual=make_mutual(f"mutual-{n}", **who), **who)
        make_partner(f"partner-{n}", **who)


LISTS = [
    "admin:portal_page_changelist",
    "admin:guides_stage_changelist",
    "admin:guides_task_changelist",
    "admin:guides_resource_changelist",
    "admin:casestudies_mutual_changelist",
    "admin:casestudies_casestudy_changelist",
    "admin:enquiries_partner_changelist",
]


def list_queries(client, name):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), {"review": "due-soon"})
    assert response.status_code == 200
    return response.context["cl"].result_count, len(queries)


@pytest.mark.parametrize("name", LISTS)
def test_each_list_makes_as_many_queries_for_30_rows_as_for_1(admin_client, admin_user, team, name):
    add_rows_of_every_kind(0, 1, admin_user, team)
    admin_client.get(reverse(name))  # the session is read and renewed once
    rows, with_one = list_queries(admin_client, name)
    assert rows == 1

    add_rows_of_every_kind(1, 29, admin_user, team)

    assert list_queries(admin_client, name) == (30, with_one)


# The data migration.

BEFORE_REVIEW_DATES = [
    ("portal", "0010_search_document"),
    ("guides", "0006_change_notes_and_schedule"),
    ("casestudies", "0005_change_notes_and_schedule"),
    ("enquiries", "0008_verdict_cleared_by_purge"),
]
AFTER_REVIEW_DATES = [("portal", "0012_review_dates_data")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_migration_gives_existing_rows_owners_and_review_dates():
    old = migrate(BEFORE_REVIEW_DATES)
    reviewed = datetime.date(2026, 3, 31)
    page = old.get_model("portal", "Page").objects.create(
        title="Cookies", slug="cookies", status="published", last_reviewed=reviewed
    )
    updated = page.public_updated_at
    stage = old.get_model("guides", "Stage").objects.create(
        number=1, title="Explore", slug="explore", summary="S", last_reviewed=reviewed
    )
    task = old.get_model("guides", "Task").objects.create(stage=stage, title="T", slug="t")
    tupe = old.get_model("guides", "Topic").objects.create(name="TUPE", slug="tupe")
    resource = old.get_model("guides", "Resource").objects.create(
        title="TUPE guide", slug="tupe-guide", summary="S", last_reviewed=reviewed
    )
    resource.topics.set([tupe])
    partner = old.get_model("enquiries", "Partner").objects.create(
        name="Co-operatives UK", slug="co-operatives-uk", description="-", helps_with="-",
        notification_emails="help@example.org",
    )  # fmt: skip

    new = migrate(AFTER_REVIEW_DATES)

    team = new.get_model("auth", "Group").objects.get(name="Mutuals Team")
    page = new.get_model("portal", "Page").objects.get(pk=page.pk)
    assert (page.owner_team_id, page.owner_user_id) == (team.pk, None)
    assert page.review_by == datetime.date(2027, 3, 31)
    assert page.public_updated_at == updated
    task = new.get_model("guides", "Task").objects.get(pk=task.pk)
    assert task.last_reviewed == reviewed
    assert task.review_by == datetime.date(2027, 3, 31)
    resource = new.get_model("guides", "Resource").objects.get(pk=resource.pk)
    assert resource.review_by == datetime.date(2026, 9, 30)
    assert resource.owner_team_id == team.pk
    partner = new.get_model("enquiries", "Partner").objects.get(pk=partner.pk)
    assert partner.owner_team_id == team.pk
    assert partner.review_by == add_months(partner.last_reviewed, 12)
