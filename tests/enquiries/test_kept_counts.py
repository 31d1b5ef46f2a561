"""The enquiry list's panels and the dashboard's counts are kept in the cache, and every kind of
change to what they count shows on the very next page."""

import datetime
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries import kept_counts
from enquiries.conversation import receive_answer, record_verdict, send_reply
from enquiries.models import EmailDelivery, Enquiry, SatisfactionAnswer
from enquiries.retention import close_inactive_enquiries, purge_enquiries
from enquiries.tasks import requeue_failed_emails
from enquiries.triage import reassign
from portal.dashboard import sections
from tests.factories import submit_enquiry

CHANGELIST = reverse("admin:enquiries_enquiry_changelist")
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


def panels(client, **params):
    """Every figure the list shows around its rows, as the page has it."""
    response = client.get(CHANGELIST, params)
    assert response.status_code == 200
    context = response.context
    return {
        "status": {value: (total, late) for value, _, total, late in context["status_counts"]},
        "partners": {name: total for _id, name, total in context["destination_counts"]},
        "email": (context["email_problems"]["failed"], context["email_problems"]["stuck"]),
        "replies": {
            row.name: (row.received, row.replied, row.median_wait, row.answers)
            for row in context["reply_summary"]
        },
        "results": context["cl"].result_count,
    }


def afresh(client, **params):
    """The same figures worked out with nothing kept."""
    cache.clear()
    return panels(client, **params)


def dashboard(user):
    request = RequestFactory().get(reverse("admin:index"))
    request.user = user
    [enquiries] = [section for section in sections(request) if section.title == "Enquiries"]
    return [panel.text for panel in enquiries.panels]


@pytest.fixture
def team(client, mutuals_team_handler):
    client.force_login(mutuals_team_handler)
    return client


@pytest.fixture
def world(mutuals_team, co_ops, eoa, make_enquiry):
    """Enquiries of each kind the panels count: overdue, replied to, closed, with emails."""
    now = timezone.now()
    # References the form never gives out, so one sent through it takes the next.
    late = make_enquiry(
        co_ops, reference="TEST-1", due_on=TODAY - 2 * DAY, status=Enquiry.Status.ASSIGNED
    )
    replied = make_enquiry(
        eoa, reference="TEST-2", status=Enquiry.Status.WAITING, submitted_at=now - 3 * DAY,
        first_replied_at=now - DAY, reply_due_met_at=now - DAY,
    )  # fmt: skip
    closed = make_enquiry(
        co_ops, reference="TEST-3", status=Enquiry.Status.CLOSED,
        outcome=Enquiry.Outcome.ANSWERED, submitted_at=now - 10 * DAY,
        first_replied_at=now - 9 * DAY,
    )  # fmt: skip
    fresh = make_enquiry(mutuals_team, reference="TEST-4")
    delivery = EmailDelivery.objects.create(
        enquiry=fresh, kind=EmailDelivery.Kind.NOTIFICATION, recipients=["a@example.org"],
        status=EmailDelivery.Status.RETRYING, next_attempt_at=now + DAY,
    )  # fmt: skip
    EmailDelivery.objects.create(
        enquiry=late, kind=EmailDelivery.Kind.REPLY, recipients=["b@example.org"],
        status=EmailDelivery.Status.FAILED, next_attempt_at=None,
    )  # fmt: skip
    return {"late": late, "replied": replied, "closed": closed, "fresh": fresh, "email": delivery}


def test_the_figures_are_kept_and_read_again_without_their_queries(team, world):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            figures = panels(team)
        return figures, len(captured)

    worked_out, first = queries()
    kept, again = queries()

    assert kept == worked_out == afresh(team)
    # The counts, the email problems, and the replies summary's enquiries and verdicts.
    assert first - again == 4


# Each kind of change, made as the site makes it: the next page shows the new figures. What a
# change needs first is set up before the figures are kept.


def prepared_by(prepare):
    def mark(change):
        change.prepare = prepare
        return change

    return mark


def send_through_the_form(world, client, enquiry_data, **_):
    submit_enquiry(client, enquiry_data)


def change_the_status_in_the_admin(world, team, **_):
    enquiry = world["late"]
    enquiry.status = Enquiry.Status.IN_PROGRESS
    enquiry.save()


def reassign_it(world, co_ops, **_):
    reassign(world["fresh"], co_ops, "Theirs", by=None)


def reply(world, mutuals_team_handler, **_):
    send_reply(world["late"], "Here is our answer.", mutuals_team_handler)


def reply_and_close(world, mutuals_team_handler, **_):
    send_reply(world["late"], "Done.", mutuals_team_handler, Enquiry.Outcome.ANSWERED)


def the_enquirer_answers(world, **_):
    receive_answer(world["replied"], "One more question.")


def an_email_is_given_up_on(world, **_):
    delivery = world["email"]
    delivery.status = EmailDelivery.Status.FAILED
    delivery.next_attempt_at = None
    delivery.save()


def failed_emails_are_sent_again(world, **_):
    requeue_failed_emails()


def the_enquirer_gives_a_verdict(world, **_):
    record_verdict(world["closed"], 5)


def a_partner_is_renamed(world, co_ops, **_):
    co_ops.name = "Co-operatives UK (renamed)"
    co_ops.save()


def closed_long_ago(world):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    Enquiry.objects.filter(pk=world["closed"].pk).update(closed_at=long_ago)


@prepared_by(closed_long_ago)
def the_data_is_purged(world, **_):
    purge_enquiries()


def left_alone_long_ago(world):
    long_ago = timezone.now() - datetime.timedelta(days=800)
    Enquiry.objects.filter(pk=world["late"].pk).update(submitted_at=long_ago)
    Enquiry.history.filter(id=world["late"].pk).update(history_date=long_ago)


@prepared_by(left_alone_long_ago)
def inactive_enquiries_are_closed(world, **_):
    close_inactive_enquiries()


def deleted_in_the_admin(world, admin_client, **_):
    url = reverse("admin:enquiries_enquiry_delete", args=[world["late"].pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302


def deleted_with_the_list_action(world, admin_client, **_):
    chosen = [world["late"].pk, world["replied"].pk]
    data = {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    assert admin_client.post(CHANGELIST, data).status_code == 302


def demo_enquiries_are_added(world, **_):
    call_command("generate_demo_enquiries", "7", "--seed", "1", stdout=StringIO())


@prepared_by(demo_enquiries_are_added)
def demo_enquiries_are_removed(world, **_):
    call_command("generate_demo_enquiries", "--delete", stdout=StringIO())


CHANGES = [
    send_through_the_form,
    change_the_status_in_the_admin,
    reassign_it,
    reply,
    reply_and_close,
    the_enquirer_answers,
    an_email_is_given_up_on,
    failed_emails_are_sent_again,
    the_enquirer_gives_a_verdict,
    a_partner_is_renamed,
    the_data_is_purged,
    inactive_enquiries_are_closed,
    deleted_in_the_admin,
    deleted_with_the_list_action,
    demo_enquiries_are_added,
    demo_enquiries_are_removed,
]


def prepare(change, world):
    if hasattr(change, "prepare"):
        change.prepare(world)
        kept_counts.enquiries_changed()  # update() sends no signals


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_the_next_list_shows_each_change(
    change, team, world, client, admin_client, enquiry_data, co_ops, mutuals_team_handler
):
    prepare(change, world)
    panels(team)  # kept
    before = panels(team)

    change(
        world,
        team=team,
        client=client,
        admin_client=admin_client,
        enquiry_data=enquiry_data,
        co_ops=co_ops,
        mutuals_team_handler=mutuals_team_handler,
    )
    after = panels(team)

    assert after != before, "the change should change a figure"
    assert after == afresh(team)


@pytest.mark.parametrize("change", CHANGES, ids=lambda change: change.__name__)
def test_the_next_dashboard_shows_each_change(
    change, team, world, client, admin_client, enquiry_data, co_ops, mutuals_team_handler
):
    prepare(change, world)
    dashboard(mutuals_team_handler)  # kept
    change(
        world,
        team=team,
        client=client,
        admin_client=admin_client,
        enquiry_data=enquiry_data,
        co_ops=co_ops,
        mutuals_team_handler=mutuals_team_handler,
    )
    shown = dashboard(mutuals_team_handler)
    cache.clear()

    assert shown == dashboard(mutuals_team_handler)


def test_a_filtered_list_counts_its_rows_from_the_kept_figures_exactly(team, world, co_ops):
    for params in (
        {},
        {"status__exact": "assigned"},
        {"status__exact": "no-such-status"},
        {"destination__id__exact": co_ops.pk},
        {"status__exact": "closed", "destination__id__exact": co_ops.pk},
        {"status__exact": "closed", "o": "3"},
    ):
        assert panels(team, **params)["results"] == afresh(team, **params)["results"], params
        rows = Enquiry.objects.filter(
            **{key: value for key, value in params.items() if key != "o"}
        ).count()
        assert panels(team, **params)["results"] == rows, params


def test_each_reader_gets_the_figures_for_what_they_may_see(team, world, make_handler, co_ops):
    everything = panels(team)
    handler = Client()
    handler.force_login(make_handler(co_ops))
    own = panels(handler)

    assert set(own["partners"]) == {"Co-operatives UK"}
    assert own["status"]["assigned"] == (1, 1)
    assert set(everything["partners"]) > {"Co-operatives UK"}
    assert panels(team) == everything


def test_a_new_day_makes_enquiries_overdue_with_no_change(world, mutuals_team_handler):
    now = timezone.now()
    due_today = world["fresh"]
    Enquiry.objects.filter(pk=due_today.pk).update(due_on=TODAY)
    kept_counts.enquiries_changed()

    today = kept_counts.list_panels(mutuals_team_handler, 90, now)["counts"].by_status()
    tomorrow = kept_counts.list_panels(mutuals_team_handler, 90, now + DAY)["counts"].by_status()

    assert tomorrow["new"][1] == today["new"][1] + 1


class KeptFor:
    """The cache, noting how long each kind of figure is kept."""

    def __init__(self, real):
        self.real, self.seconds = real, {}

    def __getattr__(self, name):
        return getattr(self.real, name)

    def set(self, key, value, timeout):
        if key.startswith("enquiries:kept:"):  # enquiries:kept:<token>:<kind>:...
            self.seconds[key.split(":")[3]] = timeout
        return self.real.set(key, value, timeout)


@pytest.fixture
def kept_for(monkeypatch):
    spy = KeptFor(cache)
    monkeypatch.setattr(kept_counts, "cache", spy)
    return spy.seconds


def test_email_problems_are_kept_only_until_the_next_email_would_be_stuck(
    world, mutuals_team_handler, kept_for, settings
):
    settings.ENQUIRY_EMAIL_STUCK_MINUTES = 15
    now = timezone.now()
    world["email"].next_attempt_at = now - datetime.timedelta(minutes=10)
    world["email"].save()

    figures = kept_counts.list_panels(mutuals_team_handler, 90, now)
    dashboard(mutuals_team_handler)

    assert figures["email_problems"] == {"failed": 1, "stuck": 0}
    assert 4 * 60 <= kept_for["email"] <= 5 * 60
    assert kept_for["dashboard"] <= 5 * 60
    assert kept_for["counts"] == kept_counts.KEEP_AT_MOST


def test_the_replies_summary_is_kept_only_until_an_enquiry_leaves_its_period(
    world, mutuals_team_handler, kept_for
):
    now = timezone.now()
    # The earliest received in the last 30 days was sent 10 days ago: it leaves in 20 days,
    # later than the backstop.
    kept_counts.list_panels(mutuals_team_handler, 30, now)
    assert kept_for["replies"] == kept_counts.KEEP_AT_MOST

    Enquiry.objects.filter(pk=world["closed"].pk).update(
        submitted_at=now - datetime.timedelta(days=30) + datetime.timedelta(minutes=5)
    )
    kept_counts.enquiries_changed()
    kept_counts.list_panels(mutuals_team_handler, 30, now)
    assert 4 * 60 <= kept_for["replies"] <= 5 * 60


def test_figures_worked_out_before_a_commit_are_never_read_after_it(
    world, mutuals_team_handler, django_capture_on_commit_callbacks
):
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        SatisfactionAnswer.objects.create(partner=world["closed"].destination, month=TODAY, score=4)
        # Another request, which cannot see the uncommitted verdict yet, keeps what it saw.
        before_the_commit = kept_counts.kept(
            {"x": (("replies", "all", 90, "stale"), lambda: ("seen before the commit", None))},
            now,
        )
        assert before_the_commit == {"x": "seen before the commit"}

    after_the_commit = kept_counts.kept(
        {"x": (("replies", "all", 90, "stale"), lambda: ("worked out afresh", None))}, now
    )
    assert after_the_commit == {"x": "worked out afresh"}


class CacheDown:
    def __getattr__(self, name):
        def down(*args, **kwargs):
            raise ConnectionError("no cache")

        return down


def test_the_page_still_works_when_the_cache_is_down(team, world, monkeypatch):
    worked_out = afresh(team)
    monkeypatch.setattr(kept_counts, "cache", CacheDown())

    assert panels(team) == worked_out
    world["late"].status = Enquiry.Status.IN_PROGRESS
    world["late"].save()  # enquiries are still saved
    assert panels(team) != worked_out
