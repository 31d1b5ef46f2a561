"""One answer to 'Is this page useful?', kept with its page and the content item shown there."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone

# Windows the percentage of "useful" answers is given over, in days.
USEFUL_WINDOWS = (30, 90)
MAX_PATH_LENGTH = 300


class Answer(models.TextChoices):
    YES = "yes", "Useful"
    NO = "no", "Not useful"
    PROBLEM = "problem", "Problem reported"


class PageFeedbackQuerySet(models.QuerySet):
    def for_item(self, item):
        """Answers given on the page that shows `item`."""
        return self.filter(
            content_type=ContentType.objects.get_for_model(item, for_concrete_model=False),
            object_id=item.pk,
        )

    def since(self, days, now=None):
        """Answers given in the last `days` days."""
        return self.filter(created__gte=(now or timezone.now()) - timedelta(days=days))

    def this_week(self, now=None):
        """Answers given in the last 7 days: new feedback for the dashboard."""
        return self.since(7, now)

    def expired(self, now=None):
        """Answers older than PAGE_FEEDBACK_RETENTION_DAYS, due to be deleted."""
        cutoff = (now or timezone.now()) - timedelta(days=settings.PAGE_FEEDBACK_RETENTION_DAYS)
        return self.filter(created__lt=cutoff)

    def usefulness(self, now=None):
        """'Useful' as a percentage of yes and no answers, over the last 30 and 90 days.

        One query. For each window: the number of yes/no answers, how many said yes, the
        percentage (a whole number, or None when nobody answered) and the problems reported,
        which are not an answer to the question and so are counted apart.
        """
        now = now or timezone.now()
        counts = {}
        for days in USEFUL_WINDOWS:
            recent = Q(created__gte=now - timedelta(days=days), created__lte=now)
            for answer in Answer:
                counts[f"{answer.value}_{days}"] = Count(
                    "pk", filter=recent & Q(answer=answer.value)
                )
        totals = self.aggregate(**counts)
        result = {}
        for days in USEFUL_WINDOWS:
            yes, no = totals[f"yes_{days}"], totals[f"no_{days}"]
            answers = yes + no
            result[days] = {
                "days": days,
                "answers": answers,
                "useful": yes,
                "percent": round(100 * yes / answers) if answers else None,
                "problems": totals[f"problem_{days}"],
            }
        return result


class PageFeedback(models.Model):
    """A visitor's answer to 'Is this page useful?', with what they said went wrong.

    No personal data: the form asks for none, and what looks like an email address or phone
    number is removed before saving. Deleted after PAGE_FEEDBACK_RETENTION_DAYS.
    """

    path = models.CharField(max_length=MAX_PATH_LENGTH, help_text="The page's address.")
    answer = models.CharField(max_length=10, choices=Answer)
    doing = models.TextField("What were you doing?", blank=True)
    went_wrong = models.TextField("What went wrong?", blank=True)
    created = models.DateTimeField("Sent", auto_now_add=True, db_index=True)
    # The content item the page shows, where it shows one.
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    item = GenericForeignKey("content_type", "object_id")

    objects = PageFeedbackQuerySet.as_manager()

    class Meta:
        verbose_name = "page feedback"
        verbose_name_plural = "page feedback"
        ordering = ["-created", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created"])]

    def __str__(self):
        return f"{self.get_answer_display()}: {self.path}"
