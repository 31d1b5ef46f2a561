"""Publishing: content the Mutuals Team drafts, previews and publishes, stored ready to show.

Every publishable model renders its Markdown into sanitised HTML when it is saved, so no page
ever renders Markdown while a visitor waits.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.safestring import mark_safe

from .markdown import MarkdownRejected, render_checked, render_markdown


class TimeStampedModel(models.Model):
    """When a row was created and last changed."""

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

    A subclass names its Markdown in `markdown_renderings()`; save() stores the HTML of each
    in `rendered`, and templates show it through `html`. A subclass may redeclare `status` for
    a different default, or set `last_reviewed = None` when its rows are reviewed as part of
    something else.
    """

    # Saving or deleting one changes what visitors see, so it empties the page cache
    # (portal/cache.py).
    changes_public_pages = True

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

    # Moved only by a major change (portal/core/change_notes.py), never by a typo's fix.
    public_updated_at = models.DateTimeField(
        "Last updated",
        default=timezone.now,
        editable=False,
        help_text="Shown on the page as 'Last updated'. Only a major change moves it.",
    )
    publish_at = models.DateTimeField(
        "Publish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="For a draft: the date and time (UK time) to publish it. It goes live within "
        "a minute of that time. Leave empty to publish it yourself.",
    )
    unpublish_at = models.DateTimeField(
        "Unpublish at",
        null=True,
        blank=True,
        db_index=True,
        help_text="The date and time (UK time) to take it down and make it a draft again. "
        "Leave empty to keep it published.",
    )
    change_notes = GenericRelation("portal.ChangeNote")

    # The sanitised HTML of each rendering `markdown_renderings()` names, made on save.
    rendered = models.JSONField(default=dict, blank=True, editable=False)

    objects = PublishableQuerySet.as_manager()

    # What clean() last checked and rendered, as (sources, rendered). save() stores that
    # rendering while the sources are unchanged, so an admin save renders the text once.
    _checked_rendering = None

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        """Store the HTML of each rendering: clean()'s if the text is as it checked it.

        A new row is its first publication: it gets the change note "First published".
        """
        if self.status == Status.PUBLISHED:
            self.publish_at = None
        elif self.publish_at is None:
            # A draft that is not going to be published has nothing to take down.
            self.unpublish_at = None
        adding = self._state.adding
        sources = self._markdown_sources()
        if self._checked_rendering and self._checked_rendering[0] == sources:
            self.rendered = self._checked_rendering[1]
        else:
            self.rendered = {
                name: render_markdown(text, demote, id_prefix)
                for name, (_field, text, demote, id_prefix) in sources.items()
            }
        super().save(*args, **kwargs)
        if adding:
            from .change_notes import ChangeNote

            ChangeNote.first_published(self)

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
