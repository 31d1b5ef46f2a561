"""The site pages app's model: the home page, the privacy notice and the other site-wide pages."""

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from portal.core.change_notes import ChangeNote
from portal.core.publishing import Publishable, PublishableQuerySet

# Answers to "Is this page useful?" live in portal/feedback/; imported so Django finds them.
from .feedback.models import PageFeedback

__all__ = ["ChangeNote", "Page", "PageFeedback"]

# The site search's documents live in portal/site_search/; imported so Django finds them.
from .site_search.models import SearchCount, SearchDocument, SearchTerm, SearchWord  # noqa: F401


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
        "such as '24 months', {service-owner} for who runs the service, {contact-email} for "
        "its email address and {data-controller} for the data controller: the page always "
        "shows the current settings.",
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
