from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portal.core.markdown import MARKDOWN_HELP
from portal.core.publishing import Publishable, PublishableQuerySet, Status


class TaskQuerySet(PublishableQuerySet):
    def ready(self):
        """Tasks marked as published, whether or not their stage is yet."""
        return super().published()

    def published(self):
        """Tasks the public can see: published, in a published stage."""
        return self.ready().filter(stage__status=Status.PUBLISHED)

    def in_order(self):
        return self.order_by("stage__number", "position", "pk")


class StageQuerySet(PublishableQuerySet):
    def in_order(self):
        return self.order_by("number")

    def with_listing_data(self):
        """Each stage's published tasks, in order, as `public_tasks`: one extra query in all."""
        tasks = Task.objects.ready().order_by("position", "pk")
        return self.prefetch_related(Prefetch("tasks", queryset=tasks, to_attr="public_tasks"))

    def with_task_count(self):
        return self.annotate(
            task_count=Count("tasks", distinct=True),
            published_task_count=Count(
                "tasks", filter=Q(tasks__status=Status.PUBLISHED), distinct=True
            ),
        )


class Stage(Publishable):
    """One of the numbered stages of the guide to setting up a mutual."""

    number = models.PositiveSmallIntegerField(
        unique=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text="The stage's place in the guide, from 1 to 5. Stages are shown in this order.",
    )
    title = models.CharField(
        max_length=120,
        help_text="Start with a verb and use sentence case, for example 'Explore the idea'.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The stage's web address, for example 'explore-the-idea'. "
        "Changing it breaks links to the stage.",
    )
    summary = models.CharField(
        max_length=300,
        help_text="One or two sentences shown under the heading, in the step-by-step "
        "and to search engines.",
    )
    body = models.TextField(
        blank=True,
        help_text=f"What the stage involves, what to think about and who can help. {MARKDOWN_HELP}",
    )
    end_result = models.TextField(
        "At the end of this stage",
        blank=True,
        help_text=f"What the reader will have at the end of the stage, usually a list. "
        f"{MARKDOWN_HELP}",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="A draft stage and its tasks are hidden from the public. "
        "Use 'Preview' to check it first.",
    )
    history = HistoricalRecords()

    objects = StageQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"Stage {self.number}: {self.title}"

    def get_absolute_url(self):
        return reverse("guides:stage-detail", kwargs={"slug": self.slug})

    def markdown_renderings(self):
        # On the printable guide the stage sits one level down, its ids prefixed by its slug.
        # The end result shares a page with the body, so its ids take a prefix of their own.
        return {
            "body": ("body", 0, ""),
            "end_result": ("end_result", 0, "end-result"),
            "print_body": ("body", 1, self.slug),
            "print_end_result": ("end_result", 1, f"{self.slug}-end-result"),
        }


class Task(Publishable):
    """Something to do within a stage, shown in the step-by-step and on the stage's page."""

    class Relation(models.TextChoices):
        NONE = "", "None"
        AND = "and", "And: do this as well as the task before"
        OR = "or", "Or: do this instead of the task before"

    stage = models.ForeignKey(Stage, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(
        max_length=200,
        help_text="Start with a verb and use sentence case, for example 'Form a core team'.",
    )
    slug = models.SlugField(
        max_length=100,
        help_text="Used to link straight to the task, for example 'form-a-core-team'. "
        "It must be different from the stage's other tasks.",
    )
    body = models.TextField(blank=True, help_text=f"How to do the task. {MARKDOWN_HELP}")
    optional = models.BooleanField(
        default=False,
        help_text="Tick if only some readers need to do this. It is shown as "
        "'You may need to' rather than 'You must'.",
    )
    relation = models.CharField(
        "Link to the task before",
        max_length=3,
        choices=Relation.choices,
        default=Relation.NONE,
        blank=True,
        help_text="Shown as 'and' or 'or' between this task and the one above it.",
    )
    position = models.PositiveSmallIntegerField(
        default=0,
        help_text="Tasks are shown from the lowest number to the highest.",
    )
    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.PUBLISHED,
        help_text="A draft task is hidden from the public, even in a published stage.",
    )
    history = HistoricalRecords()

    objects = TaskQuerySet.as_manager()

    class Meta:
        ordering = ["stage__number", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["stage", "slug"], name="unique_task_slug_per_stage"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return f"{self.stage.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        return f"task-{self.slug}"

    @property
    def print_anchor(self):
        """Unique on the printable guide, where every stage's tasks share one page."""
        return f"stage-{self.stage_id}-{self.anchor}"

    def markdown_renderings(self):
        return {"body": ("body", 2, self.anchor), "print_body": ("body", 3, self.print_anchor)}
