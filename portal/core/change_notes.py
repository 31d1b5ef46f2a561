"""Public change notes: what changed on a content item, and when, in one sentence.

An edit in the admin is either a minor change (a typo, wording), which the public is not told
about, or a major change with a note, which moves the item's public "Last updated" date and is
listed on its page, on the "Latest changes" page and in its feed. Creating an item is its first
publication. Notes on drafts exist but are shown nowhere until the item is published.
"""

from functools import reduce
from operator import or_

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import F
from django.utils import timezone

FIRST_PUBLISHED = "First published"
NOTE_MAX_LENGTH = 300


def publishable_models():
    """Every model built on the shared publishing base, in a fixed order."""
    from .publishing import Publishable

    return sorted(
        (m for m in apps.get_models() if issubclass(m, Publishable)),
        key=lambda m: m._meta.label,
    )


def _is(model):
    """Rows about `model`: by its content type's name, so no content type lookup is needed."""
    return models.Q(content_type__app_label=model._meta.app_label) & models.Q(
        content_type__model=model._meta.model_name
    )


class ChangeNoteQuerySet(models.QuerySet):
    def about(self, items):
        """Notes on any of `items` (saved content objects), newest first: one query."""
        by_model = {}
        for item in items:
            by_model.setdefault(type(item), []).append(item.pk)
        if not by_model:
            return self.none()
        condition = reduce(
            or_, (_is(model) & models.Q(object_id__in=pks) for model, pks in by_model.items())
        )
        return self.filter(condition).order_by("-published_at", "-pk")

    def public(self):
        """Notes on items the public can see, whichever kind: one query, however many kinds."""
        condition = reduce(
            or_,
            (
                _is(model) & models.Q(object_id__in=model.objects.published().values("pk"))
                for model in publishable_models()
            ),
        )
        return self.filter(condition).order_by("-published_at", "-pk")

    def with_items(self):
        """Each note's item, one query per kind of item on the page (a task with its stage)."""
        from django.contrib.contenttypes.prefetch import GenericPrefetch

        querysets = []
        for model in publishable_models():
            queryset = model.objects.all()
            if model._meta.label == "guides.Task":
                queryset = queryset.select_related("stage")
            querysets.append(queryset)
        return self.prefetch_related(GenericPrefetch("item", querysets))


class ChangeNote(models.Model):
    """One dated, public sentence about a major change to a content item."""

    changes_public_pages = True

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    published_at = models.DateTimeField(
        "Date", default=timezone.now, help_text="Shown on the page with the note."
    )
    note = models.CharField(
        max_length=NOTE_MAX_LENGTH,
        help_text="One sentence, in plain text, saying what changed and why it matters.",
    )

    objects = ChangeNoteQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [
            models.Index(
                fields=["content_type", "object_id", "-published_at"],
                name="portal_changenote_item",
            ),
            models.Index(fields=["-published_at"], name="portal_changenote_newest"),
        ]

    def __str__(self):
        return self.note

    @classmethod
    def first_published(cls, item):
        """The note every item starts with, dated when it was created."""
        return cls.objects.create(
            item=item, note=FIRST_PUBLISHED, published_at=item.created or timezone.now()
        )

    @property
    def kind(self):
        """What sort of item the note is about, as the public knows it: "Case study"."""
        return self.item._meta.verbose_name.capitalize()


def page_history(*items):
    """What a content page shows about its changes: its last update and every note, newest first.

    `items` are what the page is made of: the page's own item first, then any shown within
    it (a stage's tasks, a case study's mutual), whose notes are named after them. One query,
    however many notes there are.
    """
    items = [item for item in items if item is not None and item.pk is not None]
    if not items:
        return {"last_updated": None, "notes": []}
    notes = list(ChangeNote.objects.about(items).annotate(model_name=F("content_type__model")))
    parts = {(item._meta.model_name, item.pk): item for item in items[1:]}
    page_began = timezone.localdate(items[0].created)
    shown = []
    for note in notes:
        part = parts.get((note.model_name, note.object_id))
        note.about = str(part) if part is not None else ""
        # A part that was there when the page was first published is no news of its own.
        came_with_the_page = (
            part is not None
            and note.note == FIRST_PUBLISHED
            and timezone.localdate(note.published_at) <= page_began
        )
        if not came_with_the_page:
            shown.append(note)
    return {
        "last_updated": max(item.public_updated_at for item in items),
        "notes": shown,
    }
