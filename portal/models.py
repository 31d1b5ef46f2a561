from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)


class Publishable(TimeStampedModel):
    """Content the Mutuals Team drafts, previews, publishes and reviews from time to time.

    A subclass may redeclare `status` for a different default, or set `last_reviewed = None`
    when its rows are reviewed as part of something else.
    """

    status = models.CharField(
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text="Drafts are hidden from the public. Use 'Preview' to check one first.",
    )
    last_reviewed = models.DateField(
        default=timezone.localdate,
        help_text="Shown as 'Last reviewed'. Change it when you check that the content is right.",
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True


class PageQuerySet(PublishableQuerySet):
    def standalone(self):
        """Pages served at their own address, not embedded in another app's page."""
        return self.exclude(slug__in=Page.EMBEDDED_SLUGS)


class Page(Publishable):
    """A site-wide page such as the home page, the accessibility statement or the privacy notice."""

    HOME_SLUG = "home"
    GUIDE_INTRO_SLUG = "how-to-set-up-a-mutual"
    # Intro text that another app shows on its own page (the guide overview).
    EMBEDDED_SLUGS = (GUIDE_INTRO_SLUG,)

    title = models.CharField(
        max_length=200,
        help_text="The main heading and browser tab title. Use sentence case.",
    )
    slug = models.SlugField(
        max_length=100,
        unique=True,
        help_text="The page's web address, for example 'privacy' for /privacy/. "
        "Changing it breaks links to the page.",
    )
    summary = models.CharField(
        max_length=300,
        blank=True,
        help_text="One or two sentences shown under the heading and to search engines.",
    )
    body = models.TextField(
        blank=True,
        help_text="The page text in Markdown: '## Heading' for a heading, '- item' for a list, "
        "'[link text](/address/)' for a link. HTML is removed.",
    )
    last_reviewed = models.DateField(
        "Last updated",
        default=timezone.localdate,
        help_text="Shown on the page as 'Last updated'. Change it when the content changes.",
    )
    history = HistoricalRecords()

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.slug == self.HOME_SLUG:
            return reverse("portal:home")
        return reverse("portal:page-detail", kwargs={"slug": self.slug})
