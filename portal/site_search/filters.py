"""The site search's query string: the words, the type filter with counts and the sort.

Built on portal/core/querystring.py like the finder, so bad input is dropped with a notice and
every results page can be bookmarked. A search with nothing to look for (no words, only
punctuation, only common words) finds nothing and says why instead.
"""

from django.db.models import F, TextChoices
from django.urls import reverse
from django.utils.functional import cached_property

from portal.core.querystring import (
    KnownValuesFilter,
    QueryStringFilterSet,
    SearchTextFilter,
    SortFilter,
)
from portal.core.search import (
    excluded_words,
    meaningful_words,
    search_words,
    uses_full_text_search,
)

from .models import KIND_PLURALS, Kind, SearchDocument

NO_WORDS = "Enter some words to search for, such as ‘pension’ or ‘setting up a mutual’."
ONLY_SYMBOLS = "Your search had no letters or numbers in it. Enter some words to search for."
ONLY_EXCLUDED_WORDS = (
    "Your search only said which words to leave out. Add a word that says what you are looking for."
)
ONLY_COMMON_WORDS = (
    "Your search only had very common words, such as ‘the’ or ‘and’, which we leave out. "
    "Add a word that says what you are looking for."
)


class Sort(TextChoices):
    RELEVANCE = "relevance", "Relevance"
    UPDATED = "updated", "Last updated"


ORDERINGS = {
    Sort.RELEVANCE: [F("rank").desc(), F("updated").desc(), "pk"],
    Sort.UPDATED: [F("updated").desc(), "title", "pk"],
}


class SiteSearchFilterSet(QueryStringFilterSet):
    """Published items of every kind found by the words in `q`, filtered by kind (OR)."""

    q = SearchTextFilter(label="Search this site")
    type = KnownValuesFilter(
        method="filter_kinds",
        label="Type",
        choices=[(kind.value, KIND_PLURALS[kind]) for kind in Kind],
    )
    sort = SortFilter(choices=Sort.choices, label="Sort by")

    FACETS = ("type",)
    DEFAULT_SORT = Sort.UPDATED
    SEARCH_SORTS = (Sort.RELEVANCE,)

    class Meta:
        model = SearchDocument
        fields = []

    def __init__(self, data=None):
        super().__init__(data, queryset=SearchDocument.objects.all())

    @property
    def url(self):
        return reverse("portal:search")

    def filter_kinds(self, queryset, name, value):
        return queryset.filter(kind__in=value)

    @cached_property
    def words(self):
        """The words SQLite must find: those of the search that are not stop words."""
        return meaningful_words(self.values["q"])

    @cached_property
    def excluded(self):
        """The words SQLite must not find: those after a minus sign."""
        return excluded_words(self.values["q"])

    @cached_property
    def problem(self):
        """Why there is nothing to search for, in words; empty when there is."""
        text = self.values["q"]
        if not text:
            return NO_WORDS
        if not search_words(text):
            return ONLY_SYMBOLS
        if not self.words and self.excluded:
            return ONLY_EXCLUDED_WORDS
        if not self.words:
            return ONLY_COMMON_WORDS
        return ""

    def search_text(self):
        """On PostgreSQL the whole text (its syntax means something); elsewhere, its words."""
        return self.values["q"] if uses_full_text_search() else " ".join(self.words)

    def matching(self, exclude=None):
        """Documents found by the search and every filter but `exclude`: for counting."""
        if self.problem:
            return self.queryset.none()
        queryset = self.apply_facets(self.queryset, exclude)
        return queryset.found_by(self.search_text(), words=self.words, excluded=self.excluded)

    def filter_queryset(self, queryset):
        """The results: ranked, in the sort order. Documents carry all a result shows."""
        if self.problem:
            return queryset.none()
        queryset = self.apply_facets(queryset).search(
            self.search_text(), words=self.words, excluded=self.excluded
        )
        return queryset.order_by(*ORDERINGS[self.values["sort"]])

    @cached_property
    def facets(self):
        """The type filter with, beside each type, how many results ticking it gives: one query."""
        if self.problem:
            return [self.facet("type", dict.fromkeys(KIND_PLURALS, 0))]
        counts = self.matching(exclude="type").kind_counts()
        return [self.facet("type", counts)]

    def with_snippets(self, page):
        """Each result on `page` given its `snippet`: what matched, marked."""
        page.object_list = list(page.object_list)
        for document in page.object_list:
            document.snippet_html = document.snippet(self.values["q"])
        return page
