"""The sweep every 5 minutes, fired as the scheduler fires it: a lost email is sent after all."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from enquiries.models import EmailDelivery
from tests.scheduling import run_scheduled


@pytest.mark.django_db(transaction=True)
def test_the_sweep_queues_a_stuck_email_again_and_the_worker_sends_it(
    co_ops, make_enquiry, settings
):
    settings.ENQUIRY_EMAIL_STUCK_MINUTES = 15
    enquiry = make_enquiry(co_ops, email="sam@council.example.org")
    # Due 20 minutes ago, and no task in the queue to send it: its task was lost.
    stuck = EmailDelivery.objects.create(
        enquiry=enquiry,
        kind=EmailDelivery.Kind.CONFIRMATION,
        recipients=[enquiry.email],
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=20),
    )

    result = run_scheduled("enquiries.tasks.sweep_stuck_emails")

    assert result.return_value == 1
    stuck.refresh_from_db()
    assert stuck.status == EmailDelivery.Status.SENT
    assert [message.to for message in mail.outbox] == [["sam@council.example.org"]]
