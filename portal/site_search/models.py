"""What the site search searches: one document per published item, kept current on save."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, TextField, Value
from django.db.models.functions import Concat
from django.urls import Resolver404, resolve

from portal.core import search


class Kind(models.TextChoices):
    """What a result is, as the site search labels it; `plural` names its filter option."""

    GUIDE = "guide", "Guide"
    RESOURCE = "resource", "Resource"
    CASE_STUDY = "case-study", "Case study"
    MUTUAL = "mutual", "Mutual"
    PAGE = "page", "Page"


# The longest word the vocabulary keeps: longer runs of letters are not words people type.
WORD_MAX_LENGTH = 40

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

    def with_headlines(self, text):
        """The documents, each with what its snippet for `text` needs (a PostgreSQL headline)."""
        return search.with_headlines(self, text, snippet_text=snippet_text())

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
        indexes = [
            models.Index(fields=["kind"]),
            # Every document in the "last updated" order, which each process reads once a
            # content version (filters.query_document_sets): from the index alone on PostgreSQL.
            models.Index(
                fields=["-updated", "title", "id"], include=["kind"], name="search_document_order"
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return self.url

    def snippet(self, text):
        """Its summary, or for a search `text` the passage that matched, marked."""
        return search.snippet(text, self.summary, getattr(self, "headline", None))


class SearchWord(models.Model):
    """One distinct word of the search documents: the vocabulary "Did you mean" suggests from.

    Added as documents are saved (portal/site_search/vocabulary.py); a word whose documents
    have all gone stays until `manage.py rebuild_search_documents` builds the list afresh.
    On PostgreSQL a trigram index makes finding the closest words fast.
    """

    word = models.CharField(max_length=WORD_MAX_LENGTH, unique=True)

    def __str__(self):
        return self.word


class SearchTermQuerySet(models.QuerySet):
    def with_counts(self, since):
        """Each term with its searches since `since` (a date), and `most_found`: the most
        results any day's last search of it found, so 0 means it never found anything.
        """
        recent = Q(counts__day__gte=since)
        return self.annotate(
            searches=models.Sum("counts__searches", filter=recent, default=0),
            most_found=models.Max("counts__results", filter=recent),
        ).filter(searches__gt=0)


class SearchTerm(models.Model):
    """Words people searched for, normalised (portal/site_search/counting.py), and whether an
    editor has dealt with a search that found nothing. Nothing about who searched is kept.
    """

    words = models.CharField(max_length=200, unique=True)
    first_searched = models.DateField(db_index=True)
    dealt_with = models.BooleanField(
        default=False,
        help_text="Tick when the site now answers this search, and give the page that does.",
    )
    answered_by = models.CharField(
        "Page that answers it",
        max_length=500,
        blank=True,
        help_text="An address on this site, such as /resources/fair-deal/.",
    )

    objects = SearchTermQuerySet.as_manager()

    class Meta:
        ordering = ["words"]
        verbose_name = "search people made"
        verbose_name_plural = "searches people made"

    def __str__(self):
        return self.words

    def clean(self):
        if self.dealt_with and not self.answered_by:
            raise ValidationError(
                {"answered_by": "Enter the address of the page that now answers this search"}
            )
        if self.answered_by:
            path = self.answered_by.split("#")[0].split("?")[0]
            try:
                if not path.startswith("/") or path.startswith("//"):
                    raise Resolver404
                resolve(path)
            except Resolver404:
                raise ValidationError(
                    {
                        "answered_by": "Enter an address on this site that starts with /, "
                        "such as /resources/fair-deal/"
                    }
                ) from None


class SearchCount(models.Model):
    """How many times one search was made on one day, and how many results the last one found."""

    term = models.ForeignKey(SearchTerm, on_delete=models.CASCADE, related_name="counts")
    day = models.DateField()
    searches = models.PositiveIntegerField(default=1)
    results = models.PositiveIntegerField(help_text="Results the day's last search found.")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["term", "day"], name="one_search_count_per_day")
        ]
        indexes = [models.Index(fields=["day"])]

    def __str__(self):
        return f"{self.term}: {self.day}"
