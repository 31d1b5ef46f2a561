"""Keeping enquirers' personal data no longer than the privacy notice says."""

import calendar
import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.tasks import task
from django.utils import timezone

from .kept_counts import enquiries_changed
from .models import EmailDelivery, Enquiry, EnquiryNote, Message, SatisfactionAnswer

logger = logging.getLogger(__name__)

# What identifies an enquirer. Message is not kept in the history, so it is not listed there.
PERSONAL_FIELDS = ["name", "email", "phone", "organisation"]
BATCH = 500


def months_before(moment, months):
    """The same day and time `months` earlier; the 31st becomes the month's last day."""
    year, month = divmod(moment.month - 1 - months, 12)
    year, month = moment.year + year, month + 1
    return moment.replace(
        year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1])
    )


def retention_cutoff(now=None):
    """Enquiries closed before this have kept their enquirer's details long enough."""
    return months_before(now or timezone.now(), settings.ENQUIRY_RETENTION_MONTHS)


def past_retention(enquiry, cutoff):
    """Whether an enquiry's personal data has been removed, or is due to be.

    The daily job removes it; anything that copies an enquiry out (the staff CSV) checks
    this too, so a late or missed run never lets data out past its time.
    """
    closed_too_long = enquiry.closed_at is not None and enquiry.closed_at < cutoff
    return enquiry.anonymised_at is not None or closed_too_long


@dataclass
class PurgeReport:
    cutoff: datetime
    enquiries: int = 0
    notes: int = 0
    messages: int = 0
    history: int = 0
    deliveries: int = 0
    deleted_history: int = 0

    @property
    def nothing_to_do(self):
        return not (self.enquiries or self.deleted_history)


def holds_personal_data():
    held = Q()
    for name in PERSONAL_FIELDS:
        held |= ~Q(**{name: ""})
    return held


def purge_enquiries(now=None, dry_run=False):
    """Remove personal data from enquiries closed longer ago than the retention period.

    The enquiry itself stays, without its enquirer's name, contact details, organisation and
    message, so counts by partner, topic and outcome still add up. What stays (dates, role,
    type of organisation, service, stage, topics) is not anonymous: in a small organisation
    it could still point to one person, so the privacy notice does not call it anonymised.
    Its notes and its conversation's messages go (they may name people, and with the email
    address gone the enquirer's private link opens nothing), its history and email records
    are scrubbed, and so is the history of enquiries deleted outright. Verdicts' comments
    from before the cutoff's month are emptied too.
    """
    now = now or timezone.now()
    report = PurgeReport(cutoff=retention_cutoff(now))
    history = Enquiry.history.model.objects
    with transaction.atomic():
        ids = list(Enquiry.objects.due_for_purge(report.cutoff).values_list("pk", flat=True))
        existing = Enquiry.objects.values("pk")
        orphans = history.exclude(id__in=existing).filter(holds_personal_data())
        report.enquiries = len(ids)
        report.deleted_history = orphans.count()
        for start in range(0, len(ids), BATCH):
            batch = ids[start : start + BATCH]
            notes = EnquiryNote.objects.filter(enquiry_id__in=batch)
            conversation = Message.objects.filter(enquiry_id__in=batch)
            records = history.filter(id__in=batch)
            deliveries = EmailDelivery.objects.filter(enquiry_id__in=batch)
            report.notes += notes.count()
            report.messages += conversation.count()
            report.history += records.count()
            report.deliveries += deliveries.count()
            if dry_run:
                continue
            blank = dict.fromkeys(PERSONAL_FIELDS, "")
            # update() writes no new history row, so no fresh copy of the data appears.
            Enquiry.objects.filter(pk__in=batch).update(
                **blank,
                message="",
                anonymised_at=now,
                first_replied_at=None,
                reply_due_met_at=None,
                verdict_given=None,
            )
            records.update(**blank)
            notes.delete()
            conversation.delete()
            deliveries.update(recipients=[], last_error="")
        if not dry_run:
            orphans.update(**dict.fromkeys(PERSONAL_FIELDS, ""))
            SatisfactionAnswer.objects.filter(
                month__lt=timezone.localdate(report.cutoff).replace(day=1)
            ).exclude(comment="").update(comment="")
            # update() sends no signals: the replies summary counts what was emptied.
            enquiries_changed()
    return report


@dataclass
class CloseReport:
    cutoff: datetime
    enquiries: int = 0


def period(months):
    return f"{months} month" if months == 1 else f"{months} months"


def inactive_enquiries(cutoff):
    """Open enquiries with no activity since the cutoff.

    Activity is the enquiry being sent, any change saved to it (status, outcome, partner: each
    leaves a history record) or a note. Email is sent only because of one of these, so it
    counts through them.
    """
    changed = Enquiry.history.model.objects.filter(id=OuterRef("pk"), history_date__gte=cutoff)
    noted = EnquiryNote.objects.filter(enquiry=OuterRef("pk"), created_at__gte=cutoff)
    return (
        Enquiry.objects.open()
        .filter(submitted_at__lt=cutoff)
        .exclude(Exists(changed))
        .exclude(Exists(noted))
    )


def close_inactive_enquiries(now=None, dry_run=False):
    """Close, as not pursued, each open enquiry with no activity for the retention period.

    An enquiry nobody closes would otherwise keep its enquirer's details for ever. Closing it
    starts the usual clock: `purge_enquiries` removes its personal data a retention period
    later. Each
    one gets a note by the service saying why, and a history record.
    """
    now = now or timezone.now()
    months = settings.ENQUIRY_RETENTION_MONTHS
    report = CloseReport(cutoff=months_before(now, months))
    text = (
        f"Closed as not pursued by the daily retention job: nothing had happened on this "
        f"enquiry for {period(months)} (no change and no note). Its personal data will be "
        f"removed {period(months)} after today, as for any closed enquiry."
    )
    with transaction.atomic():
        enquiries = list(inactive_enquiries(report.cutoff).select_for_update())
        report.enquiries = len(enquiries)
        if dry_run:
            return report
        for enquiry in enquiries:
            enquiry.status = Enquiry.Status.CLOSED
            enquiry.outcome = Enquiry.Outcome.NOT_PURSUED
            enquiry.closed_at = now
            enquiry._change_reason = f"Closed: no activity for {period(months)}"
            enquiry.save()
            EnquiryNote.objects.create(
                enquiry=enquiry, by_the_service=True, created_at=now, text=text
            )
    return report


@task()
def apply_retention():
    """The daily job: close enquiries left without activity, then purge those past their time."""
    closed = close_inactive_enquiries()
    purged = purge_enquiries()
    logger.info(
        "Closed %s inactive enquiry(ies); removed personal data from %s enquiry(ies) and %s "
        "history record(s) of deleted ones",
        closed.enquiries,
        purged.enquiries,
        purged.deleted_history,
    )
    return {
        "closed": closed.enquiries,
        "purged": purged.enquiries,
        "deleted_history": purged.deleted_history,
    }
