"""The weekly email that tells each owner which of their items are due for review.

The scheduler queues send_review_reminders every Monday (portal/schedule.py). Each person
gets one email listing everything they own, themselves or through a team, that is overdue or
due within REVIEW_DUE_SOON_DAYS, with a link to each item's admin page. No one gets an email
with nothing in it.
"""

import logging
import smtplib
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from .core.reviewing import Reviewable, ReviewState, default_team_id

logger = logging.getLogger(__name__)

SEND_ERRORS = (smtplib.SMTPException, OSError)


@dataclass(frozen=True)
class DueItem:
    key: tuple
    title: str
    kind: str
    review_by: object
    overdue: bool
    admin_url: str


def reviewable_models():
    return [model for model in apps.get_models() if issubclass(model, Reviewable)]


def items_due(today):
    """Each public item overdue or due soon, with the user and team that own it: one query
    per kind of item."""
    fallback_team = None
    site = settings.SITE_URL.rstrip("/")
    for model in reviewable_models():
        opts = model._meta
        rows = model.objects.in_service().needing_review(today).order_by("review_by", "pk")
        for row in rows:
            user_id, team_id = row.owner_user_id, row.owner_team_id
            if not user_id and not team_id:
                # Its owner was deleted: the default team looks after it.
                fallback_team = fallback_team or default_team_id()
                team_id = fallback_team
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[row.pk])
            item = DueItem(
                key=(opts.label, row.pk),
                title=str(row),
                kind=opts.verbose_name,
                review_by=row.review_by,
                overdue=row.review_state(today) == ReviewState.OVERDUE,
                admin_url=site + url,
            )
            yield item, user_id, team_id


def reminders(today=None):
    """{email address: [items]} for every active staff member with something to review."""
    today = today or timezone.localdate()
    by_user, by_team = {}, {}
    for item, user_id, team_id in items_due(today):
        if user_id:
            by_user.setdefault(user_id, {})[item.key] = item
        if team_id:
            by_team.setdefault(team_id, {})[item.key] = item
    if not by_user and not by_team:
        return {}
    User = get_user_model()
    memberships = User.groups.through.objects.filter(
        group_id__in=list(by_team), user__is_active=True
    ).values_list("user_id", "group_id")
    for user_id, team_id in memberships:
        by_user.setdefault(user_id, {}).update(by_team[team_id])
    addresses = (
        User.objects.filter(pk__in=list(by_user), is_active=True)
        .exclude(email="")
        .values_list("pk", "email")
    )
    # One email per person: two accounts with one address share it.
    by_address = {}
    for user_id, email in addresses:
        by_address.setdefault(email.strip().lower(), {}).update(by_user[user_id])
    return {
        email: sorted(items.values(), key=lambda i: (i.review_by, i.title))
        for email, items in by_address.items()
    }


def render_reminder(items):
    context = {
        "overdue": [item for item in items if item.overdue],
        "due_soon": [item for item in items if not item.overdue],
        "count": len(items),
        "days": settings.REVIEW_DUE_SOON_DAYS,
        "service_name": settings.SERVICE_NAME,
    }
    subject = render_to_string("emails/review_reminder_subject.txt", context)
    body = render_to_string("emails/review_reminder_body.txt", context)
    return " ".join(subject.split()), body


@task()
def send_review_reminders():
    """Email each owner the items they should review; nothing when nothing is due."""
    sent, failed = 0, 0
    for email, items in reminders().items():
        subject, body = render_reminder(items)
        try:
            send_mail(subject, body, None, [email])
        except SEND_ERRORS:
            # One bad address or a passing fault must not stop the others' reminders.
            logger.exception("Could not send a review reminder to %s", email)
            failed += 1
        else:
            sent += 1
    logger.info("Sent %s review reminder(s); %s could not be sent", sent, failed)
    return {"sent": sent, "failed": failed}
