"""An enquiry's conversation: replies to the enquirer, their answers, and their verdict."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .kept_counts import enquiries_changed
from .models import Enquiry, Message, SatisfactionAnswer
from .tasks import queue_enquirer_replied_email, queue_reply_email, queue_verdict_email
from .working_days import add_working_days

# An enquirer who writes to a closed enquiry within this many days reopens it.
REOPEN_DAYS = 30


def new_due_on(now):
    return add_working_days(timezone.localdate(now), settings.ENQUIRY_DUE_WORKING_DAYS)


@transaction.atomic
def send_reply(enquiry, body, by, outcome=""):
    """Store a reply, queue its email and move the enquiry on.

    The reply meets the reply-by date. The enquiry then waits for the enquirer, unless the
    handler closes it with an outcome in the same step; closing as answered asks the
    enquirer for their verdict.
    """
    now = timezone.now()
    message = Message.objects.create(
        enquiry=enquiry,
        direction=Message.Direction.TO_ENQUIRER,
        author=by,
        partner=enquiry.destination,
        body=body,
        created_at=now,
    )
    message.delivery = queue_reply_email(enquiry)
    message.save(update_fields=["delivery"])
    enquiry.reply_due_met_at = enquiry.reply_due_met_at or now
    enquiry.first_replied_at = enquiry.first_replied_at or now
    if outcome:
        enquiry.status = Enquiry.Status.CLOSED
        enquiry.outcome = outcome
        enquiry._change_reason = "Replied and closed"
    else:
        enquiry.status = Enquiry.Status.WAITING
        enquiry.outcome = ""
        enquiry._change_reason = "Replied"
    enquiry._history_user = by
    enquiry.save()
    if outcome == Enquiry.Outcome.ANSWERED:
        ask_for_verdict(enquiry)
    return message


def ask_for_verdict(enquiry):
    """Email the enquirer the one question about the help, unless they have answered it."""
    if enquiry.verdict_given or not enquiry.email or enquiry.anonymised_at:
        return None
    return queue_verdict_email(enquiry)


def can_reopen(enquiry, now=None):
    now = now or timezone.now()
    return enquiry.closed_at is not None and now - enquiry.closed_at <= timedelta(days=REOPEN_DAYS)


def accepts_answers(enquiry):
    """Whether the enquirer may write on their enquiry's page: open, or closed recently."""
    return enquiry.is_open or can_reopen(enquiry)


@transaction.atomic
def receive_answer(enquiry, body):
    """Store the enquirer's answer, move the enquiry back to in progress, tell the partner.

    If the team had replied, a new reply-by date starts. A closed enquiry is reopened.
    """
    now = timezone.now()
    enquiry = Enquiry.objects.select_for_update().get(pk=enquiry.pk)
    message = Message.objects.create(
        enquiry=enquiry,
        direction=Message.Direction.FROM_ENQUIRER,
        partner=enquiry.destination,
        body=body,
        created_at=now,
    )
    if enquiry.reply_due_met_at is not None or not enquiry.is_open:
        enquiry.due_on = new_due_on(now)
        enquiry.reply_due_met_at = None
    if enquiry.status in (Enquiry.Status.WAITING, Enquiry.Status.CLOSED):
        enquiry._change_reason = (
            "Reopened: the enquirer wrote again" if not enquiry.is_open else "The enquirer replied"
        )
        enquiry.status = Enquiry.Status.IN_PROGRESS
        enquiry.outcome = ""
    enquiry.save()
    queue_enquirer_replied_email(enquiry)
    return message


@transaction.atomic
def record_verdict(enquiry, score, comment=""):
    """Keep the verdict by partner and month only; False if this enquiry has one already."""
    claimed = Enquiry.objects.filter(pk=enquiry.pk, verdict_given=False).update(verdict_given=True)
    if not claimed:
        return False
    enquiries_changed()  # update() sends no signals
    SatisfactionAnswer.objects.create(
        partner=enquiry.destination,
        month=timezone.localdate().replace(day=1),
        score=score,
        comment=comment,
    )
    enquiry.verdict_given = True
    return True


def may_give_verdict(enquiry):
    return (
        not enquiry.verdict_given
        and enquiry.status == Enquiry.Status.CLOSED
        and enquiry.outcome == Enquiry.Outcome.ANSWERED
    )
