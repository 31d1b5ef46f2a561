"""The weekly review reminder: who gets it, what it lists, and that it goes over real SMTP."""

import datetime
import socket
from email import message_from_bytes, policy

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from enquiries.models import Partner
from guides.models import Stage, Task
from portal.core.publishing import Status
from portal.models import Page
from portal.review_reminders import send_review_reminders
from portal.schedule import SCHEDULE

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)
OVERDUE = TODAY - 3 * DAY
DUE_SOON = TODAY + 10 * DAY
NOT_DUE = TODAY + 31 * DAY


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": sorted(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m["message"] for m in self.messages if address in m["to"]]

    def recipients(self):
        return sorted(address for m in self.messages for address in m["to"])


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, with MAILERS pointed at it."""
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    yield mailbox
    controller.stop()


@pytest.fixture
def person(db, django_user_model):
    def make(username, email=None, is_active=True, teams=()):
        user = django_user_model.objects.create_user(
            username=username,
            email=f"{username}@mutuals.example.org" if email is None else email,
            is_staff=True,
            is_active=is_active,
        )
        user.groups.set(teams)
        return user

    return make


@pytest.fixture
def team(db):
    return Group.objects.get(name="Mutuals Team")


def page(title, review_by, **fields):
    slug = title.lower().replace(" ", "-")
    defaults = {"status": Status.PUBLISHED, "review_by": review_by}
    return Page.objects.create(title=title, slug=slug, **{**defaults, **fields})


def body_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def change_link(obj):
    opts = obj._meta
    return "http://testserver" + reverse(
        f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk]
    )


def test_the_job_runs_every_monday_morning():
    assert SCHEDULE["portal.review_reminders.send_review_reminders"] == "0 7 * * Mon"


def test_an_owner_hears_of_overdue_and_due_items_with_links(smtp_server, person):
    sam = person("sam")
    late = page("Cookies", OVERDUE, owner_user=sam)
    soon = page("Privacy notice", DUE_SOON, owner_user=sam)
    page("Accessibility statement", NOT_DUE, owner_user=sam)
    page("Draft news", OVERDUE, owner_user=sam, status=Status.DRAFT)

    result = send_review_reminders.call()

    assert result == {"sent": 1, "failed": 0}
    [message] = smtp_server.to("sam@mutuals.example.org")
    assert message["Subject"] == "2 items to review on the Mutuals Information Service"
    body = body_of(message)
    overdue, due_soon = body.split("Due in the next 30 days:")
    assert "Overdue:" in overdue
    assert f"- Cookies (page), review was due by {OVERDUE:%-d %B %Y}" in overdue
    assert change_link(late) in overdue
    assert f"- Privacy notice (page), review by {DUE_SOON:%-d %B %Y}" in due_soon
    assert change_link(soon) in due_soon
    assert "Accessibility statement" not in body
    assert "Draft news" not in body


def test_each_active_member_of_an_owning_team_hears_once(smtp_server, person):
    editors = Group.objects.create(name="Guide editors")
    person("alex", teams=[editors])
    person("bo", teams=[editors])
    person("gone", teams=[editors], is_active=False)
    person("no-address", email="", teams=[editors])
    stage = Stage.objects.create(
        number=1, title="Explore the idea", slug="explore", summary="S", status="published",
        owner_team=editors, review_by=DUE_SOON,
    )  # fmt: skip
    Task.objects.create(
        stage=stage, title="Form a team", slug="form-a-team", owner_team=editors, review_by=OVERDUE
    )

    send_review_reminders.call()

    assert smtp_server.recipients() == ["alex@mutuals.example.org", "bo@mutuals.example.org"]
    [message] = smtp_server.to("alex@mutuals.example.org")
    body = body_of(message)
    assert "- Form a team (task)" in body
    assert "- Stage 1: Explore the idea (stage)" in body


def test_one_email_for_someone_who_owns_items_in_several_ways(smtp_server, person, team):
    editors = Group.objects.create(name="Guide editors")
    kim = person("kim", teams=[team, editors])
    page("Cookies", OVERDUE, owner_user=kim)
    page("Privacy notice", DUE_SOON, owner_team=team)
    page("Accessibility statement", DUE_SOON, owner_team=editors)
    partner = Partner.objects.create(
        name="Co-operatives UK",
        slug="co-operatives-uk",
        description="-",
        helps_with="-",
        notification_emails="help@co-operatives-uk.example.org",
        owner_team=editors,
        review_by=OVERDUE,
    )

    send_review_reminders.call()

    [message] = smtp_server.to("kim@mutuals.example.org")
    assert len(smtp_server.messages) == 1
    body = body_of(message)
    for title in ["Cookies", "Privacy notice", "Accessibility statement", "Co-operatives UK"]:
        assert body.count(f"- {title} (") == 1, title
    assert change_link(partner) in body
    assert message["Subject"] == "4 items to review on the Mutuals Information Service"


def test_two_accounts_with_one_address_get_one_email(smtp_server, person):
    first = person("first", email="shared@mutuals.example.org")
    second = person("second", email="Shared@Mutuals.example.org")
    page("Cookies", OVERDUE, owner_user=first)
    page("Privacy notice", OVERDUE, owner_user=second)

    send_review_reminders.call()

    [message] = smtp_server.to("shared@mutuals.example.org")
    assert len(smtp_server.messages) == 1
    assert "Cookies" in body_of(message) and "Privacy notice" in body_of(message)


def test_items_whose_owner_left_go_to_the_mutuals_team(smtp_server, person, team):
    person("lee", teams=[team])
    leaver = person("leaver")
    page("Cookies", OVERDUE, owner_user=leaver)
    leaver.delete()

    send_review_reminders.call()

    assert smtp_server.recipients() == ["lee@mutuals.example.org"]
    assert "Cookies" in body_of(smtp_server.to("lee@mutuals.example.org")[0])


def test_no_email_when_nothing_is_due(smtp_server, person, team):
    sam = person("sam", teams=[team])
    page("Cookies", NOT_DUE, owner_user=sam)
    page("Privacy notice", NOT_DUE, owner_team=team)
    page("Draft news", OVERDUE, owner_team=team, status=Status.DRAFT)
    Partner.objects.create(
        name="Retired partner",
        slug="retired",
        description="-",
        helps_with="-",
        notification_emails="old@example.org",
        is_active=False,
        owner_team=team,
        review_by=OVERDUE,
    )

    result = send_review_reminders.call()

    assert result == {"sent": 0, "failed": 0}
    assert smtp_server.messages == []


def test_a_mail_server_that_is_down_is_logged_and_the_job_carries_on(db, person, settings):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    page("Cookies", OVERDUE, owner_user=person("sam"))
    page("Privacy notice", OVERDUE, owner_user=person("kim"))

    assert send_review_reminders.call() == {"sent": 0, "failed": 2}
