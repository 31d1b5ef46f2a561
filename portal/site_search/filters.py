"""The site search's query string: the words, the type filter with counts and the sort.

Built on portal/core/querystring.py like the finder, so bad input is dropped with a notice and
every results page can be bookmarked. A search with nothing to look for (no words, only
punctuation, only common words) finds nothing and says why instead.

As the finder's, a search's ranking is kept in each process for the content version
(KeptSearches), and the documents of each type and their order by last updated too
(DocumentSets): counts, filters, sorts and pages are worked out in memory, and a page reads only
its own twenty documents, with their snippets, by id.
"""

from array import array
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, TextChoices
from django.utils.functional import cached_property

from portal.cache import KeptForContentVersion
from portal.core.kept_urls import kept_reverse
from portal.core.querystring import (
    KnownValuesFilter,
    QueryStringFilterSet,
    SearchTextFilter,
    SortFilter,
)
from portal.core.search import (
    KeptSearches,
    RankedResults,
    Ranking,
    bitset,
    excluded_words,
    ids_within,
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

    @cached_property
    def url(self):
        """Kept for the request: the form, the page links and the tags each ask for it."""
        return kept_reverse("portal:search")

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
        return searched_text(self.values["q"], self.words)

    def matching(self, exclude=None):
        """Documents found by the search and every filter but `exclude`: for counting."""
        if self.problem:
            return self.queryset.none()
        queryset = self.apply_facets(self.queryset, exclude)
        return queryset.found_by(self.search_text(), words=self.words, excluded=self.excluded)

    def filter_queryset(self, queryset):
        """The results: ranked, in the sort order, as the database would sort them."""
        if self.problem:
            return queryset.none()
        queryset = self.apply_facets(queryset).search(
            self.search_text(), words=self.words, excluded=self.excluded
        )
        return queryset.order_by(*ORDERINGS[self.values["sort"]])

    @cached_property
    def qs(self):
        """The results, for the paginator: put in order from the search's kept ranking, or
        every document's kept order by last updated, so only the page shown is read.
        """
        if self.problem:
            return super().qs
        return RankedResults(self.order, self.within, self.result_count, self.page_of_results)

    @cached_property
    def search(self):
        """The search's ranking: kept for the content version, worked out on first use."""
        return kept_searches().ranking(self.values["q"])

    @cached_property
    def found(self):
        """The documents the search finds, as a bitset (only those DocumentSets knows)."""
        return self.search.found & document_sets().every

    @cached_property
    def within(self):
        """The results: the documents found, of a ticked type if any is, as a bitset."""
        if not self.values["type"]:
            return self.found
        kinds = document_sets().kinds
        ticked = 0
        for kind in self.values["type"]:
            ticked |= kinds.get(kind, 0)
        return self.found & ticked

    @cached_property
    def result_count(self):
        """How many results: counted in memory, so the paginator need not count them again."""
        return 0 if self.problem else self.within.bit_count()

    @cached_property
    def order(self):
        """The results' order as a Ranking whose rows include them all."""
        if self.values["sort"] == Sort.RELEVANCE:
            return self.search
        sets = document_sets()
        # Walking every document, last updated first, for the results takes about
        # len(sets.by_updated) / result_count steps a result: few when the search finds many.
        # For fewer, the results themselves are sorted by their place in that order.
        if self.result_count * UPDATED_WALK_RATIO >= len(sets.by_updated):
            return Ranking(sets.by_updated, sets.every)
        if self.within == self.search.found:
            ids = list(self.search.ranked)
        else:
            ids = ids_within(self.search.ranked, self.within)
        ids.sort(key=sets.position.__getitem__)
        return Ranking(array("q", ids), self.within)

    def page_of_results(self, ids):
        """The documents `ids`, each with what its snippet needs: one query, whatever the
        volume. The body and the vector stay in the database, where the headline is made.
        """
        documents = (
            self.queryset.filter(pk__in=ids)
            .with_headlines(self.values["q"])
            .defer("body", "search_vector")
        )
        by_id = {document.pk: document for document in documents}
        return [by_id[pk] for pk in ids if pk in by_id]

    @cached_property
    def facets(self):
        """The type filter with, beside each type, how many results ticking it gives: counted
        in memory from each type's documents (DocumentSets).
        """
        if self.problem:
            return [self.facet("type", dict.fromkeys(KIND_PLURALS, 0))]
        kinds = document_sets().kinds
        counts = {kind.value: (self.found & kinds.get(kind.value, 0)).bit_count() for kind in Kind}
        return [self.facet("type", counts)]

    def with_snippets(self, page):
        """Each result on `page` given its `snippet`: what matched, marked."""
        page.object_list = list(page.object_list)
        for document in page.object_list:
            document.snippet_html = document.snippet(self.values["q"])
        return page


def found_count(text):
    """How many documents of any type the search `text` finds, from its ranking (kept, so a
    reader who follows a "Did you mean" link to it is not ranked again).
    """
    return (kept_searches().ranking(text).found & document_sets().every).bit_count()


def searched_text(text, words):
    """What the database is asked to find for the search `text` whose meaningful words are
    `words`: on PostgreSQL the whole text, elsewhere the words.
    """
    return text if uses_full_text_search() else " ".join(words)


def rank_documents(text):
    """One query: the ids of every document the search `text` finds, most relevant first."""
    words = meaningful_words(text)
    found = SearchDocument.objects.search(
        searched_text(text, words), words=words, excluded=excluded_words(text)
    )
    return Ranking.of(found.order_by(*ORDERINGS[Sort.RELEVANCE]).values_list("pk", flat=True))


# The results sorted by last updated are found by walking every document in that order when
# the search finds at least one in this many; otherwise by sorting what it finds.
UPDATED_WALK_RATIO = 16


@dataclass(frozen=True)
class DocumentSets:
    """Every document (`every`) and those of each kind (`kinds`) as bitsets; every document's
    id, last updated first (`by_updated`), and each id's place in that order (`position`).
    """

    every: int
    kinds: dict
    by_updated: array
    position: array


def query_document_sets():
    """One query, whatever the volume: every document's id and kind, last updated first."""
    by_updated = array("q")
    ids_by_kind = defaultdict(list)
    rows = SearchDocument.objects.order_by(*ORDERINGS[Sort.UPDATED]).values_list("pk", "kind")
    for pk, kind in rows:
        by_updated.append(pk)
        ids_by_kind[kind].append(pk)
    position = array("i", [0]) * (max(by_updated, default=0) + 1)
    for place, pk in enumerate(by_updated):
        position[pk] = place
    kinds = {kind: bitset(ids) for kind, ids in ids_by_kind.items()}
    return DocumentSets(bitset(by_updated), kinds, by_updated, position)


# Each process keeps them for the content version, which every save of a searched item (and
# of a document, documents.py) changes. At 100,000 documents they take about 2 MB; the kept
# searches at most KEPT_SEARCH_BYTES (portal/core/search.py).
document_sets = KeptForContentVersion(query_document_sets)
kept_searches = KeptForContentVersion(lambda: KeptSearches(rank_documents))
