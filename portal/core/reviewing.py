"""Reviewing: who owns each piece of content, when it was last checked and when it is next due.

Every published item (site pages, the guide, resources, case studies, mutuals and partners)
has an owner, a person or a team, a "last reviewed" date and a "review by" date. The review
date falls REVIEW_PERIOD_MONTHS after the item is published or reviewed, or
REVIEW_SHORT_PERIOD_MONTHS for items tagged with a topic in REVIEW_SHORT_PERIOD_TOPICS.
"""

import calendar
import datetime

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

MARKED_AS_REVIEWED = "Marked as reviewed"


def add_months(date, months):
    """The same day `months` later, or the month's last day if it has no such day."""
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return date.replace(
        year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1])
    )


def review_period_months(topic_slugs=()):
    """How long an item tagged with `topic_slugs` may go between reviews."""
    if set(settings.REVIEW_SHORT_PERIOD_TOPICS) & set(topic_slugs):
        return settings.REVIEW_SHORT_PERIOD_MONTHS
    return settings.REVIEW_PERIOD_MONTHS


def review_due(from_date, topic_slugs=()):
    """The review date for an item published or reviewed on `from_date`."""
    return add_months(from_date, review_period_months(topic_slugs))


def due_soon_before(today=None):
    """The last review date that counts as due soon: REVIEW_DUE_SOON_DAYS from today."""
    today = today or timezone.localdate()
    return today + datetime.timedelta(days=settings.REVIEW_DUE_SOON_DAYS)


class ReviewState(models.TextChoices):
    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due-soon", "Due soon"
    NOT_DUE = "not-due", "Not due"


def review_condition(state, today=None):
    """The rows in one ReviewState on `today`, as a Q for filter()."""
    today = today or timezone.localdate()
    if state == ReviewState.OVERDUE:
        return Q(review_by__lt=today)
    if state == ReviewState.DUE_SOON:
        return Q(review_by__gte=today, review_by__lte=due_soon_before(today))
    return Q(review_by__gt=due_soon_before(today)) | Q(review_by__isnull=True)


def owned_by_condition(user):
    """The rows `user` owns: named as the owner, or owned by a team they belong to."""
    return Q(owner_user=user) | Q(owner_team__in=user.groups.values("pk"))


class ReviewableQuerySet(models.QuerySet):
    def in_review_state(self, state, today=None):
        return self.filter(review_condition(state, today))

    def needing_review(self, today=None):
        """Overdue, or due within REVIEW_DUE_SOON_DAYS."""
        return self.filter(review_by__lte=due_soon_before(today))

    def in_service(self):
        """The rows the public can see, which are the ones to keep reviewed."""
        return self.all()


def default_team_id():
    """The team that owns items no one was named for, if it exists."""
    from django.contrib.auth.models import Group

    return (
        Group.objects.filter(name=settings.REVIEW_DEFAULT_TEAM).values_list("pk", flat=True).first()
    )


class Reviewable(models.Model):
    """An owner and review dates, with marking as reviewed; content and partners share it.

    A model tagged with topics (a `topics` many-to-many to guides.Topic) gets the shorter
    review period for the topics in REVIEW_SHORT_PERIOD_TOPICS.
    """

    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Owner: a person",
        help_text="A member of staff who keeps this up to date. Choose a person or a team, "
        "not both.",
    )
    owner_team = models.ForeignKey(
        "auth.Group",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="Owner: a team",
        help_text="A team whose active members share the job. Leave both empty and the "
        "Mutuals Team owns it.",
    )
    last_reviewed = models.DateField(
        default=timezone.localdate,
        help_text="When someone last checked that the content is right. Use 'Mark as "
        "reviewed' to set it to today.",
    )
    review_by = models.DateField(
        null=True,
        blank=True,
        help_text="When it should next be checked. Leave empty for 12 months after the last "
        "review, or 6 months for fast-changing topics such as pensions or TUPE.",
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self.owner_user_id and not self.owner_team_id:
            self.owner_team_id = default_team_id()
        if self.review_by is None:
            self.review_by = review_due(self.last_reviewed, self.review_topic_slugs())
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.owner_user_id and self.owner_team_id:
            raise ValidationError({"owner_team": "Choose a person or a team as owner, not both."})

    @classmethod
    def has_review_topics(cls):
        try:
            field = cls._meta.get_field("topics")
        except FieldDoesNotExist:
            return False
        return field.many_to_many and field.related_model._meta.label == "guides.Topic"

    def review_topic_slugs(self):
        """The slugs of this item's topics: none until it is saved, or if it has no topics."""
        if self.pk is None or not self.has_review_topics():
            return []
        return [topic.slug for topic in self.topics.all()]

    def mark_reviewed(self, today=None):
        """Reviewed today: set the next review date on, in history; nothing public moves."""
        today = today or timezone.localdate()
        self.last_reviewed = today
        self.review_by = review_due(today, self.review_topic_slugs())
        self._change_reason = MARKED_AS_REVIEWED
        # Only these two columns: `modified` and every public date stay as they were.
        self.save(update_fields=["last_reviewed", "review_by"])

    def settle_review_by(self):
        """After tagging a new item, give it the review date its topics call for."""
        wanted = review_due(self.last_reviewed, self.review_topic_slugs())
        if wanted != self.review_by:
            self.review_by = wanted
            type(self)._default_manager.filter(pk=self.pk).update(review_by=wanted)

    def review_state(self, today=None):
        today = today or timezone.localdate()
        if self.review_by is None or self.review_by > due_soon_before(today):
            return ReviewState.NOT_DUE
        return ReviewState.OVERDUE if self.review_by < today else ReviewState.DUE_SOON

    @property
    def is_out_of_date(self):
        """More than REVIEW_WARNING_MONTHS past its review date: the public is told so."""
        if self.review_by is None:
            return False
        return timezone.localdate() > add_months(self.review_by, settings.REVIEW_WARNING_MONTHS)

    @property
    def owner(self):
        """The person or team that owns this, or None."""
        return self.owner_user or self.owner_team
