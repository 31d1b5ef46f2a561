"""The readiness check's questions and options, which editors own, and the monthly counts."""

from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal.core.publishing import Status


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def in_order(self):
        return self.order_by("position", "pk")


class Question(models.Model):
    """One page of the readiness check: a question with radios or checkboxes."""

    # The start page says how many questions there are.
    changes_public_pages = True

    class Kind(models.TextChoices):
        RADIOS = "radios", "Radios: choose one answer"
        CHECKBOXES = "checkboxes", "Checkboxes: choose one or more answers"

    text = models.CharField(
        max_length=200,
        help_text="The question, shown as the page's heading. End it with a question mark.",
    )
    slug = models.SlugField(
        max_length=80,
        unique=True,
        help_text="The question page's web address, for example 'business-plan'.",
    )
    hint = models.CharField(
        max_length=400, blank=True, help_text="Shown under the question. Optional."
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.RADIOS)
    error_message = models.CharField(
        max_length=200,
        blank=True,
        help_text="Shown when nothing is chosen. Leave empty for 'Select an answer' "
        "(radios) or 'Select all that apply' (checkboxes).",
    )
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Questions are asked from the lowest number to the highest."
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Only published questions are asked. Use 'Try it' to see the effect first.",
    )
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "readiness question"

    def __str__(self):
        return self.text

    @property
    def is_checkboxes(self):
        return self.kind == self.Kind.CHECKBOXES

    @property
    def empty_error(self):
        if self.error_message:
            return self.error_message
        return "Select all that apply" if self.is_checkboxes else "Select an answer"


class Option(models.Model):
    """An answer to a question, and what choosing it means (the rules, see rules.py)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(max_length=150)
    hint = models.CharField(max_length=300, blank=True, help_text="Optional.")
    position = models.PositiveSmallIntegerField(default=0)
    exclusive = models.BooleanField(
        "None of the others",
        default=False,
        help_text="Checkboxes only: an answer such as 'None of these' that cannot be chosen "
        "with another.",
    )
    stage = models.ForeignKey(
        "guides.Stage",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="readiness_options",
        verbose_name="Counts toward stage",
        help_text="Choosing this answer meets one of this stage's milestones. A reader is placed "
        "at the earliest stage with a milestone they have not met.",
    )
    tasks_done = models.ManyToManyField(
        "guides.Task",
        blank=True,
        related_name="+",
        verbose_name="Marks these tasks as done",
    )
    tasks_recommended = models.ManyToManyField(
        "guides.Task",
        blank=True,
        related_name="+",
        verbose_name="Recommends these tasks",
        help_text="Listed first among the reader's next tasks.",
    )
    topics = models.ManyToManyField(
        "guides.Topic",
        blank=True,
        related_name="+",
        verbose_name="Adds these topics",
        help_text="Ticked on the contact form when the reader asks us about their result.",
    )
    history = HistoricalRecords(m2m_fields=[tasks_done, tasks_recommended, topics])

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = "answer option"

    def __str__(self):
        return self.label


class ReadinessCount(models.Model):
    """How many readers were placed at a stage in a month. No answers, no session, no person."""

    month = models.DateField(help_text="The first day of the month.")
    stage = models.ForeignKey("guides.Stage", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-month", "stage__number"]
        verbose_name = "readiness result count"
        constraints = [
            models.UniqueConstraint(fields=["month", "stage"], name="one_count_per_month_stage")
        ]

    def __str__(self):
        return f"{self.month:%B %Y}, {self.stage}: {self.count}"

    @classmethod
    def record(cls, stage, today=None):
        """Add one to this month's count for the stage, safely when two readers finish at once."""
        month = (today or timezone.localdate()).replace(day=1)
        rows = cls.objects.filter(month=month, stage=stage)
        if rows.update(count=F("count") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(month=month, stage=stage, count=1)
        except IntegrityError:
            rows.update(count=F("count") + 1)
