from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from simple_history.models import HistoricalRecords

from .markdown import MarkdownRejected, render_checked, render_markdown


class TimeStampedModel(models.Model):
    created = models.DateTimeField(auto_now_add=True)
    modified = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        sources = self._markdown_sources()
        checked = getattr(self, "_checked_rendering", None)
        if checked and checked[0] == sources:
            self.rendered = checked[1]
        else:
            self.rendered = {
                name: render_markdown(text, demote, id_prefix)
                for name, (_field, text, demote, id_prefix) in sources.items()
            }
        super().save(*args, **kwargs)


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

    # The sanitised HTML of each rendering `markdown_renderings()` names, made on save so that
    # no page ever renders Markdown while a visitor waits.
    rendered = models.JSONField(default=dict, blank=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def markdown_renderings(self):
        """Each way a page shows this object's Markdown: {name: (field, demote, id_prefix)}."""
        return {}

    @property
    def html(self):
        """The stored HTML of each rendering, for templates: `{{ page.html.body }}`."""
        # Only save() writes `rendered`, and only with sanitised output.
        return {name: mark_safe(html) for name, html in self.rendered.items()}  # noqa: S308

    def _markdown_sources(self):
        return {
            name: (field, getattr(self, field), demote, id_prefix)
            for name, (field, demote, id_prefix) in self.markdown_renderings().items()
        }

    def clean(self):
        """Reject Markdown that is too long, too deep or too slow, on the field it is in."""
        super().clean()
        sources = self._markdown_sources()
        rendered, errors = {}, {}
        for name, (field, text, demote, id_prefix) in sources.items():
            if field in errors:
                continue
            try:
                rendered[name] = render_checked(text, demote, id_prefix)
            except MarkdownRejected as rejected:
                errors[field] = str(rejected)
        if errors:
            raise ValidationError(errors)
        self._checked_rendering = (sources, rendered)


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
        "'[link text](/address/)' for a link. HTML shows as typed, not as markup. "
        "Type {enquiry-retention-period} to show how long closed enquiries are kept, "
        "such as '24 months': the page always shows the current setting.",
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

    def markdown_renderings(self):
        # The guide's intro also opens the printable guide, where ids take a prefix.
        return {"body": ("body", 0, ""), "print_body": ("body", 0, "intro")}
