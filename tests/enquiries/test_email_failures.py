"""No email waits for ever: addresses that cannot be sent to, errors, and lost tasks."""

import asyncio
import datetime
import os
import signal
import subprocess
import sys
import threading
from io import StringIO
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enquiries.forms import EnquiryForm
from enquiries.models import EmailDelivery, Partner
from enquiries.tasks import requeue_stuck_emails, send_enquiry_email

from .conftest import Mailbox, free_port

ENCODED_WORD = "=?utf-8?q?evil=40attacker.example?=@example.com"
LATER = datetime.timedelta(minutes=16)  # past ENQUIRY_EMAIL_STUCK_MINUTES (15)


def save_enquiry(data):
    form = EnquiryForm(data=data)
    assert form.is_valid(), form.errors
    return form.save()


def run_queued_tasks():
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()


@pytest.mark.parametrize("address", [ENCODED_WORD, "josé@example.com", "Sam <sam@example.org>"])
def test_the_form_refuses_an_address_the_mail_server_cannot_be_given(enquiry_data, address):
    form = EnquiryForm(data={**enquiry_data, "email": address})

    assert not form.is_valid()
    assert form.errors["email"] == [
        "Enter an email address in the correct format, like name@example.com"
    ]


@pytest.mark.parametrize("address", ["o'brien@council.example.org", "a.b+c@nhs.example.uk"])
def test_the_form_takes_ordinary_addresses(enquiry_data, address):
    assert EnquiryForm(data={**enquiry_data, "email": address}).is_valid()


def test_the_contact_page_explains_the_refused_address(client, enquiry_data, fresh_cache):
    response = client.post(reverse("enquiries:contact"), {**enquiry_data, "email": ENCODED_WORD})
    html = response.content.decode()

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in html
    assert 'href="#id_email"' in html
    assert "Enter an email address in the correct format, like name@example.com" in html


def test_a_partners_notification_addresses_must_be_sendable(mutuals_team):
    mutuals_team.notification_emails = f"team@example.org\n{ENCODED_WORD}"
    with pytest.raises(ValidationError) as refused:
        mutuals_team.full_clean()
    assert refused.value.message_dict["notification_emails"] == [
        "Line 2 is not an email address the service can send to. Enter one address a line, "
        "like name@example.com"
    ]


def test_an_address_the_mail_library_refuses_is_given_up_on_with_its_reason(
    enquiry_data, smtp_server
):
    """As for enquiries saved before the form refused such addresses."""
    enquiry = save_enquiry(enquiry_data)
    enquiry.deliveries.filter(kind="confirmation").update(recipients=[ENCODED_WORD])

    run_queued_tasks()

    confirmation = enquiry.deliveries.get(kind="confirmation")
    assert confirmation.status == "failed"
    assert confirmation.attempts == 1
    assert confirmation.next_attempt_at is None
    assert confirmation.last_error.startswith("ValueError: Invalid address")
    # The partner's email still goes, once.
    assert len(smtp_server.to("mutuals@mutuals-team.example.org")) == 1
    assert enquiry.deliveries.get(kind="notification").status == "sent"
    assert not EmailDelivery.objects.stuck(timezone.now() + LATER).exists()


def test_any_error_while_sending_is_recorded_not_left_waiting(enquiry_data, monkeypatch):
    delivery = save_enquiry(enquiry_data).deliveries.get(kind="confirmation")

    def broken(*args, **kwargs):
        raise KeyError("a template variable")

    monkeypatch.setattr("enquiries.tasks.send_mail", broken)
    send_enquiry_email.call(delivery.pk)

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert delivery.last_error == "KeyError: 'a template variable'"


class WorkerKilled(BaseException):
    """Stands for the process dying mid-send: no except clause in the task sees it."""


def test_a_send_cut_off_mid_way_is_queued_again_once_and_delivered_once(
    enquiry_data, smtp_server, monkeypatch
):
    delivery = save_enquiry(enquiry_data).deliveries.get(kind="confirmation")
    DBTaskResult.objects.all().delete()

    def killed(*args, **kwargs):
        raise WorkerKilled

    with monkeypatch.context() as patch:
        patch.setattr("enquiries.tasks.send_mail", killed)
        with pytest.raises(WorkerKilled):
            send_enquiry_email.call(delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sending", 1)

    # Another copy of the task that starts while the first may still be sending does nothing.
    assert send_enquiry_email.call(delivery.pk) is None
    # Not yet stuck: a send can take a while.
    assert requeue_stuck_emails() == 0

    later = timezone.now() + LATER
    assert requeue_stuck_emails(later) == 2  # and the partner's email, whose task was lost
    assert requeue_stuck_emails(later) == 0  # already waiting in the queue
    monkeypatch.setattr("enquiries.models.timezone.now", lambda: later)
    run_queued_tasks()

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 2)
    assert len(smtp_server.to("sam@council.example.org")) == 1
    assert len(smtp_server.to("mutuals@mutuals-team.example.org")) == 1


def test_resend_covers_stuck_emails(enquiry_data, smtp_server):
    enquiry = save_enquiry(enquiry_data)
    DBTaskResult.objects.all().delete()  # the queue emptied by hand
    enquiry.deliveries.update(next_attempt_at=timezone.now() - LATER)
    out = StringIO()

    call_command("resend_enquiry_emails", stdout=out)
    run_queued_tasks()

    assert out.getvalue() == "2 email(s) queued to send again: 0 given up on, 2 stuck.\n"
    assert set(enquiry.deliveries.values_list("status", flat=True)) == {"sent"}


def test_the_sweep_is_a_task(enquiry_data):
    enquiry = save_enquiry(enquiry_data)
    DBTaskResult.objects.all().delete()
    enquiry.deliveries.update(next_attempt_at=timezone.now() - LATER)

    from enquiries.tasks import sweep_stuck_emails

    assert sweep_stuck_emails.call() == 2
    assert DBTaskResult.objects.ready().count() == 2


def test_the_admin_counts_emails_given_up_on_and_stuck_for_what_each_handler_sees(
    client, make_handler, mutuals_team_handler, co_ops, eoa, make_enquiry
):
    ours, theirs = make_enquiry(co_ops), make_enquiry(eoa)
    long_ago = timezone.now() - LATER
    for enquiry in (ours, theirs):
        EmailDelivery.objects.create(enquiry=enquiry, kind="confirmation", recipients=["a@b.c"],
                                     status="failed", next_attempt_at=None)  # fmt: skip
        EmailDelivery.objects.create(enquiry=enquiry, kind="notification", recipients=["a@b.c"],
                                     next_attempt_at=long_ago)  # fmt: skip
    EmailDelivery.objects.create(enquiry=ours, kind="notification", recipients=["a@b.c"])
    changelist = reverse("admin:enquiries_enquiry_changelist")

    client.force_login(make_handler(co_ops))
    page = client.get(changelist)
    assert page.context["email_problems"] == {"failed": 1, "stuck": 1}
    assert "Given up on: <strong>1</strong>" in page.content.decode()
    stuck = client.get(changelist, {"email": "stuck"})
    assert [e.reference for e in stuck.context["cl"].result_list] == [ours.reference]
    detail = client.get(reverse("admin:enquiries_enquiry_change", args=[ours.pk]))
    assert "Waiting to send (stuck: it will be queued again)" in detail.content.decode()

    client.force_login(mutuals_team_handler)
    assert client.get(changelist).context["email_problems"] == {"failed": 2, "stuck": 2}
    failed = client.get(changelist, {"email": "failed"}).context["cl"].result_list
    assert {e.reference for e in failed} == {ours.reference, theirs.reference}


# The real thing: a worker process killed with SIGKILL in the middle of talking to a real
# SMTP server on loopback, then the sweep and a fresh worker.

BASE_DIR = Path(django_settings.BASE_DIR)
MAKE_ENQUIRY = """
from django.db import transaction
from django.utils import timezone
from enquiries.models import Enquiry, Partner
from enquiries.tasks import queue_emails
team = Partner.objects.create(name="Mutuals Team", slug="team", is_fallback=True,
    description="-", helps_with="-", notification_emails="team@example.org")
with transaction.atomic():
    enquiry = Enquiry.objects.create(reference="MIS-2026-00001", due_on=timezone.localdate(),
        name="Sam", email="sam@example.org", contact_method="email", organisation="Council",
        organisation_type="other", role="other", service_area="other", message="Hello",
        destination=team)
    queue_emails(enquiry)
"""
STATUSES = (
    "from enquiries.models import EmailDelivery;"
    "print(sorted(EmailDelivery.objects.values_list('status', 'attempts')))"
)


class StallingMailbox(Mailbox):
    """Holds the first message until released, then refuses it; takes the rest."""

    def __init__(self):
        super().__init__()
        self.stalled = threading.Event()
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.stalled.is_set():
            self.stalled.set()
            await asyncio.get_running_loop().run_in_executor(None, self.release.wait, 60)
            return "451 Try again later"
        return await super().handle_DATA(server, session, envelope)


def own_database(tmp_path):
    """A database for the worker processes: PostgreSQL when the tests run on it, else SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        return f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_worker"
    psql = ["psql", "-h", parts.hostname, "-p", str(parts.port or 5432), "-U", parts.username]
    psql += ["-d", "postgres", "-qc"]
    subprocess.run([*psql, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'], check=True)
    subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True)
    return parts._replace(path=f"/{name}").geturl()


def wait_for(event, what, timeout=60):
    if not event.wait(timeout):
        raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.system
@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_send_loses_no_email(tmp_path):
    from aiosmtpd.controller import Controller

    mailbox = StallingMailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings.dev",
        "DATABASE_URL": own_database(tmp_path),
        "EMAIL_URL": f"smtp://127.0.0.1:{controller.port}",
        "LOG_LEVEL": "CRITICAL",
    }

    def manage(*args, **extra):
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=BASE_DIR, env={**env, **extra},
            check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip

    try:
        manage("migrate", "--no-input", "-v0")
        manage("shell", "--no-imports", "-c", MAKE_ENQUIRY)
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay",
             "--no-reload"],
            cwd=BASE_DIR, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            wait_for(mailbox.stalled, "the worker to start sending")
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
        mailbox.release.set()
        assert (
            manage("shell", "--no-imports", "-c", STATUSES).strip()
            == "[('pending', 0), ('sending', 1)]"
        )

        # The scheduler's sweep, once the stuck email is past its time (here: at once).
        stuck_now = {"ENQUIRY_EMAIL_STUCK_MINUTES": "0"}
        output = manage("resend_enquiry_emails", **stuck_now)
        assert output == "1 email(s) queued to send again: 0 given up on, 1 stuck.\n"
        manage("db_worker", "--batch", "--interval", "0", "--no-startup-delay", **stuck_now)
    finally:
        controller.stop()

    assert manage("shell", "--no-imports", "-c", STATUSES).strip() == "[('sent', 1), ('sent', 2)]"
    assert sorted(message["to"][0] for message in mailbox.messages) == [
        "sam@example.org", "team@example.org",
    ]  # fmt: skip
    assert Partner.objects.count() == 0  # the worker's database is its own
