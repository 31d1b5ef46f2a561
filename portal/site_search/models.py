"""What the site search searches: one document per published item, kept current on save."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat

from portal.core import search


class Kind(models.TextChoices):
    """What a result is, as the site search labels it; `plural` names its filter option."""

    GUIDE = "guide", "Guide"
    RESOURCE = "resource", "Resource"
    CASE_STUDY = "case-study", "Case study"
    MUTUAL = "mutual", "Mutual"
    PAGE = "page", "Page"


KIND_PLURALS = {
    Kind.GUIDE: "Guide",
    Kind.RESOURCE: "Resources",
    Kind.CASE_STUDY: "Case studies",
    Kind.MUTUAL: "Mutuals",
    Kind.PAGE: "Pages",
}


def snippet_text():
    """What a result's snippet is taken from: its summary, then its body."""
    return Concat("summary", Value("\n\n"), "body", output_field=TextField())


def word_matches(word):
    return Q(title__icontains=word) | Q(summary__icontains=word) | Q(body__icontains=word)


class SearchDocumentQuerySet(models.QuerySet):
    def search(self, text, words=None, excluded=()):
        """Documents found by `text`, each with a `rank` and, on PostgreSQL, a `headline`."""
        return search.search(
            self,
            text,
            vector="search_vector",
            snippet_text=snippet_text(),
            word_matches=word_matches,
            words=words,
            excluded=excluded,
        )

    def found_by(self, text, words=None, excluded=()):
        """The documents `text` finds, with no rank or headline: for counting."""
        return search.found_by(
            self,
            text,
            vector="search_vector",
            word_matches=word_matches,
            words=words,
            excluded=excluded,
        )

    def kind_counts(self):
        """How many documents of each kind: one query."""
        counts = self.order_by().aggregate(
            **{kind.value: models.Count("pk", filter=Q(kind=kind)) for kind in Kind}
        )
        return {kind.value: counts[kind.value] for kind in Kind}


class SearchDocument(models.Model):
    """One published item as the site search finds it: its title (weighted highest), summary
    and body (lowest), where it lives and when it was last updated.

    Only published items have one; portal/site_search/documents.py writes and removes them as
    items are saved and deleted. Not edited in the admin.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    updated = models.DateField()
    # Kept up to date on PostgreSQL (documents.py); unused on SQLite.
    search_vector = SearchVectorField(null=True, editable=False)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"], name="one_search_document_per_item"
            )
        ]
        indexes = [models.Index(fields=["kind"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url

    def snippet(self, text):
        """Its summary, or for a search `text` the passage that matched, marked."""
        return search.snippet(text, self.summary, getattr(self, "headline", None))
