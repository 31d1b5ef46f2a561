"""Scheduled publishing: editors set the times, the every-minute job publishes and unpublishes."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casestudies.models import CaseStudy, Mutual
from guides.models import Resource, Stage, Task
from portal.core.publishing import Status
from portal.core.scheduled import PUBLISHED_AS_SCHEDULED, UNPUBLISHED_AS_SCHEDULED, publish_due
from portal.models import Page
from tests.admin_forms import admin_form_data
from tests.scheduling import run_scheduled

PUBLISHED, DRAFT = Status.PUBLISHED, Status.DRAFT
MINUTE = datetime.timedelta(minutes=1)


def make_page(slug, status=DRAFT, **fields):
    return Page.objects.create(title=slug.capitalize(), slug=slug, status=status, **fields)


def set_times(item, **times):
    """Times set straight in the database, as if an editor had set them earlier."""
    type(item).objects.filter(pk=item.pk).update(**times)
    item.refresh_from_db()
    return item


def split(moment):
    local = timezone.localtime(moment)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def page_form(client, page, **times):
    url = reverse("admin:portal_page_change", args=[page.pk])
    data = admin_form_data(client, url)
    for name, moment in times.items():
        data[f"{name}_0"], data[f"{name}_1"] = split(moment) if moment else ("", "")
    return url, data


# Setting the times in the admin


def test_an_editor_schedules_a_draft_and_history_says_who(db, editor_client):
    page = make_page("mentoring")
    publish_at = timezone.now() + datetime.timedelta(days=1)
    unpublish_at = publish_at + datetime.timedelta(days=30)
    url, data = page_form(editor_client, page, publish_at=publish_at, unpublish_at=unpublish_at)

    response = editor_client.post(url, data)

    assert response.status_code == 302
    page.refresh_from_db()
    assert page.status == DRAFT
    assert page.publish_at == publish_at.replace(microsecond=0)
    assert page.unpublish_at == unpublish_at.replace(microsecond=0)
    assert page.history.latest().history_user.username == "editor"
    assert page.history.latest().publish_at == page.publish_at


@pytest.mark.parametrize(
    ("status", "times", "field", "error"),
    [
        (DRAFT, {"publish_at": -MINUTE}, "publish_at", "Enter a time in the future"),
        (PUBLISHED, {"unpublish_at": -MINUTE}, "unpublish_at", "Enter a time in the future"),
        (
            DRAFT,
            {"publish_at": 60 * MINUTE, "unpublish_at": 30 * MINUTE},
            "unpublish_at",
            "The unpublish time must be after the publish time",
        ),
        (
            PUBLISHED,
            {"publish_at": 60 * MINUTE},
            "publish_at",
            "This is published already: clear the publish time, or make it a draft",
        ),
        (
            DRAFT,
            {"unpublish_at": 60 * MINUTE},
            "unpublish_at",
            "A draft is not shown, so there is nothing to unpublish: set a publish time too",
        ),
    ],
    ids=["publish-in-past", "unpublish-in-past", "unpublish-first", "published-already", "draft"],
)
def test_times_that_make_no_sense_are_refused(db, editor_client, status, times, field, error):
    page = make_page("mentoring", status=status)
    now = timezone.now()
    url, data = page_form(editor_client, page, **{k: now + v for k, v in times.items()})

    response = editor_client.post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors[field] == [error]
    page.refresh_from_db()
    assert (page.publish_at, page.unpublish_at) == (None, None)


def test_a_time_already_saved_may_stay_as_it_is_once_it_has_passed(db, editor_client):
    """Saving other changes does not trip over a time set earlier that has just gone by."""
    page = make_page("mentoring", status=PUBLISHED)
    set_times(page, unpublish_at=timezone.now() - MINUTE)
    url, data = page_form(editor_client, page)
    data["title"] = "Mentoring for mutuals"

    assert editor_client.post(url, data).status_code == 302


@pytest.mark.parametrize(
    ("url_name", "fields"),
    [
        ("admin:portal_page_add", ["publish_at", "unpublish_at"]),
        ("admin:guides_stage_add", ["publish_at", "unpublish_at"]),
        ("admin:guides_task_add", ["publish_at", "unpublish_at"]),
        ("admin:guides_resource_add", ["publish_at", "unpublish_at"]),
        ("admin:casestudies_mutual_add", ["publish_at", "unpublish_at"]),
        ("admin:casestudies_casestudy_add", ["publish_at", "unpublish_at"]),
    ],
)
def test_every_publishable_admin_form_has_the_schedule_with_help(
    db, admin_client, url_name, fields
):
    html = admin_client.get(reverse(url_name)).content.decode()

    for name in fields:
        assert f'name="{name}_0"' in html, name
        assert f'name="{name}_1"' in html, name
    assert "It goes live within a minute of that time." in html


def test_scheduled_items_show_their_times_in_the_list_and_under_a_filter(db, editor_client):
    soon = timezone.make_aware(datetime.datetime(2026, 12, 1, 9, 0))
    later = timezone.make_aware(datetime.datetime(2027, 1, 4, 17, 30))
    set_times(make_page("to-publish"), publish_at=soon)
    set_times(make_page("to-take-down", status=PUBLISHED), unpublish_at=later)
    make_page("left-alone", status=PUBLISHED)
    url = reverse("admin:portal_page_changelist")

    everything = editor_client.get(url).content.decode()
    scheduled = editor_client.get(url, {"scheduled": "yes"}).content.decode()
    to_publish = editor_client.get(url, {"scheduled": "publish"}).content.decode()

    assert "Publishes 1 Dec 2026, 09:00" in everything
    assert "Unpublishes 4 Jan 2027, 17:30" in everything
    assert "Left-alone" in everything
    assert ("To-publish" in scheduled, "To-take-down" in scheduled) == (True, True)
    assert "Left-alone" not in scheduled
    assert ("To-publish" in to_publish, "To-take-down" in to_publish) == (True, False)


# The job


def test_the_job_publishes_and_unpublishes_only_what_is_due_and_a_second_run_does_nothing(db):
    now = timezone.now()
    due = set_times(make_page("due"), publish_at=now - MINUTE)
    not_yet = set_times(make_page("not-yet"), publish_at=now + MINUTE)
    ending = set_times(make_page("ending", status=PUBLISHED), unpublish_at=now)
    staying = set_times(make_page("staying", status=PUBLISHED), unpublish_at=now + MINUTE)
    plain_draft = make_page("plain-draft")

    first = publish_due(now)
    second = publish_due(now)

    assert first == {"published": 1, "unpublished": 1}
    assert second == {"published": 0, "unpublished": 0}
    status = dict(Page.objects.values_list("slug", "status"))
    assert status == {
        "due": PUBLISHED,
        "not-yet": DRAFT,
        "ending": DRAFT,
        "staying": PUBLISHED,
        "plain-draft": DRAFT,
    }
    due.refresh_from_db()
    ending.refresh_from_db()
    assert (due.publish_at, ending.unpublish_at) == (None, None)
    assert due.history.latest().history_change_reason == PUBLISHED_AS_SCHEDULED
    assert ending.history.latest().history_change_reason == UNPUBLISHED_AS_SCHEDULED
    assert due.history.latest().history_user is None
    assert not_yet.history.count() == staying.history.count() == plain_draft.history.count() == 1


def test_a_draft_given_both_times_is_published_then_taken_down(db):
    now = timezone.now()
    page = make_page("event")
    set_times(page, publish_at=now - 2 * MINUTE, unpublish_at=now + 60 * MINUTE)

    publish_due(now)
    page.refresh_from_db()
    assert (page.status, page.unpublish_at) == (PUBLISHED, now + 60 * MINUTE)

    publish_due(now + 61 * MINUTE)
    page.refresh_from_db()
    assert (page.status, page.publish_at, page.unpublish_at) == (DRAFT, None, None)


def test_the_job_covers_every_kind_of_content(db):
    now = timezone.now()
    stage = Stage.objects.create(number=1, title="Explore", slug="explore", summary="S.")
    mutual = Mutual.objects.create(name="Care Co-op", slug="care-co-op")
    items = [
        make_page("page"),
        stage,
        Task.objects.create(stage=stage, title="Team", slug="team", status=DRAFT),
        Resource.objects.create(title="Guide", slug="guide", summary="S."),
        mutual,
        CaseStudy.objects.create(title="Care", slug="care", mutual=mutual, summary="S."),
    ]
    for item in items:
        set_times(item, publish_at=now - MINUTE)

    assert publish_due(now) == {"published": 6, "unpublished": 0}
    for item in items:
        item.refresh_from_db()
        assert item.status == PUBLISHED, type(item).__name__


def test_a_cached_page_shows_the_item_once_the_job_publishes_it(db, client, page_cache):
    topic_list = reverse("guides:resource-list")
    resource = Resource.objects.create(title="Pensions guide", slug="pensions", summary="S.")
    assert "Pensions guide" not in client.get(topic_list).content.decode()
    assert "Pensions guide" not in client.get(topic_list).content.decode()  # from the cache
    assert "/resources/pensions/" not in client.get(reverse("sitemap")).content.decode()
    set_times(resource, publish_at=timezone.now() - MINUTE)

    publish_due()

    assert "Pensions guide" in client.get(topic_list).content.decode()
    assert client.get(resource.get_absolute_url()).status_code == 200
    assert "/resources/pensions/" in client.get(reverse("sitemap")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_runs_the_job_on_the_worker():
    page = make_page("due")
    set_times(page, publish_at=timezone.now() - MINUTE)

    result = run_scheduled("portal.tasks.publish_scheduled")

    page.refresh_from_db()
    assert page.status == PUBLISHED
    assert result.return_value == {"published": 1, "unpublished": 0}


def test_publishing_a_scheduled_draft_by_hand_clears_its_publish_time(db, editor_client):
    page = set_times(make_page("mentoring"), publish_at=timezone.now() + 60 * MINUTE)

    response = editor_client.post(
        reverse("admin:portal_page_changelist"),
        {"action": "publish", "_selected_action": [page.pk]},
    )

    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.status, page.publish_at) == (PUBLISHED, None)
