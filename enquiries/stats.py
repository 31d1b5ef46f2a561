"""How the replying goes, by partner: time to first reply and the enquirers' verdicts."""

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from statistics import median

from django.db import connection
from django.db.models import Aggregate, Count, DurationField, ExpressionWrapper, F, Min
from django.utils import timezone

from .models import Satisfaction, SatisfactionAnswer

PERIODS = {"30": 30, "90": 90, "365": 365}
DEFAULT_PERIOD = "90"
# "Satisfied" or better, as GOV.UK's satisfaction measure counts it.
SATISFIED = (Satisfaction.VERY_SATISFIED, Satisfaction.SATISFIED)


def period_days(value):
    return PERIODS.get(value, PERIODS[DEFAULT_PERIOD])


def duration_text(delta):
    """A waiting time in words, to the hour: "2 days 3 hours", "5 hours", "less than an hour"."""
    hours = int(delta.total_seconds() // 3600)
    days, hours = divmod(hours, 24)
    parts = []
    if days:
        parts.append(f"{days} day" if days == 1 else f"{days} days")
    if hours:
        parts.append(f"{hours} hour" if hours == 1 else f"{hours} hours")
    return " ".join(parts) or "less than an hour"


@dataclass
class PartnerSummary:
    name: str
    received: int = 0
    replied: int = 0
    waits: list = field(default_factory=list)
    scores: dict = field(default_factory=dict)
    # Worked out by the database where it can (PostgreSQL); else from `waits`.
    middle_wait: timedelta | None = None
    # When the earliest of those received was sent: the first to leave the period.
    first_received: datetime | None = None

    @property
    def median_wait(self):
        if self.middle_wait is not None:
            return duration_text(self.middle_wait)
        return duration_text(median(self.waits)) if self.waits else None

    @property
    def answers(self):
        return sum(self.scores.values())

    @property
    def satisfied_percent(self):
        if not self.answers:
            return None
        satisfied = sum(self.scores.get(score, 0) for score in SATISFIED)
        return round(100 * satisfied / self.answers)

    @property
    def score_counts(self):
        return [(label, self.scores.get(value, 0)) for value, label in Satisfaction.choices]


class MiddleWait(Aggregate):
    """PostgreSQL's median of durations, nulls left out: the middle one, or halfway between
    the two middle ones, as statistics.median gives."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"
    output_field = DurationField()


def since(days, now):
    """The period's start: enquiries received from this moment on are counted."""
    return now - timedelta(days=days)


def verdicts_since(days, now):
    """Verdicts are counted by month, from the first of the month the period starts in."""
    return timezone.localdate(since(days, now)).replace(day=1)


def summary(enquiries, user, days, now=None):
    """Per partner, for enquiries received in the last `days`: how many, how many replied to,
    the median time to the first reply, and the verdicts given in those months.

    `enquiries` is what the user may see already; verdicts go through the same rule
    (enquiries/access.py). Two queries, whatever the number of partners.
    """
    now = now or timezone.now()
    partners = {}
    wait = ExpressionWrapper(
        F("first_replied_at") - F("submitted_at"), output_field=DurationField()
    )
    received = enquiries.filter(submitted_at__gte=since(days, now)).order_by()
    if connection.vendor == "postgresql":
        # One row a partner: the database counts and finds the middle wait.
        rows = (
            received.values("destination_id", "destination__name")
            .annotate(
                total=Count("pk"),
                replied=Count("first_replied_at"),
                middle=MiddleWait(wait),
                first=Min("submitted_at"),
            )
            .values_list(
                "destination_id", "destination__name", "total", "replied", "middle", "first"
            )
        )
        for partner_id, name, total, replied, middle, first in rows:
            partners[partner_id] = PartnerSummary(
                name or "No partner",
                received=total,
                replied=replied,
                middle_wait=middle,
                first_received=first,
            )
    else:
        # One wait a row, worked out by the database rather than from two moments here.
        rows = received.values_list("destination_id", "destination__name", wait, "submitted_at")
        for partner_id, name, waited, submitted in rows.iterator(chunk_size=5000):
            row = partners.get(partner_id)
            if row is None:
                row = partners[partner_id] = PartnerSummary(name or "No partner")
            row.received += 1
            row.first_received = min(row.first_received or submitted, submitted)
            if waited is not None:
                row.replied += 1
                row.waits.append(waited)
    verdicts = (
        SatisfactionAnswer.objects.visible_to(user)
        .filter(month__gte=verdicts_since(days, now))
        .order_by()
        .values_list("partner_id", "partner__name", "score")
        .annotate(total=Count("pk"))
    )
    for partner_id, name, score, total in verdicts:
        row = partners.setdefault(partner_id, PartnerSummary(name or "No partner"))
        row.scores[score] = row.scores.get(score, 0) + total
    return sorted(partners.values(), key=lambda row: row.name)


def changes_at(rows, days):
    """When the summary changes with time alone: when the earliest enquiry it counts leaves
    the period. None if it counts none."""
    firsts = [row.first_received for row in rows if row.first_received is not None]
    return min(firsts) + timedelta(days=days) if firsts else None
