"""Keeping enquirers' personal data no longer than the privacy notice says."""

import calendar
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import EmailDelivery, Enquiry, EnquiryNote

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


@dataclass
class PurgeReport:
    cutoff: datetime
    enquiries: int = 0
    notes: int = 0
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

    The enquiry itself stays, without its enquirer, so counts by partner, topic and outcome
    still add up. Its notes go (they may name people), its history and email records are
    scrubbed, and so is the history of enquiries deleted outright.
    """
    now = now or timezone.now()
    report = PurgeReport(cutoff=months_before(now, settings.ENQUIRY_RETENTION_MONTHS))
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
            records = history.filter(id__in=batch)
            deliveries = EmailDelivery.objects.filter(enquiry_id__in=batch)
            report.notes += notes.count()
            report.history += records.count()
            report.deliveries += deliveries.count()
            if dry_run:
                continue
            blank = dict.fromkeys(PERSONAL_FIELDS, "")
            # update() writes no new history row, so no fresh copy of the data appears.
            Enquiry.objects.filter(pk__in=batch).update(**blank, message="", anonymised_at=now)
            records.update(**blank)
            notes.delete()
            deliveries.update(recipients=[], last_error="")
        if not dry_run:
            orphans.update(**dict.fromkeys(PERSONAL_FIELDS, ""))
    return report
