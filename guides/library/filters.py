"""The finder's query string: search, filters, sort and option counts, as one FilterSet.

The finder page, a topic's page and the Atom feed all read their query string through
ResourceFilterSet; portal/core/querystring.py supplies what every list shares.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, TextChoices
from django.db.models.functions import Lower
from django.utils.functional import cached_property

from guides.models import Stage
from portal.cache import KeptForContentVersion
from portal.core.kept_urls import kept_reverse
from portal.core.querystring import (
    KnownValuesFilter,
    QueryStringFilterSet,
    SearchTextFilter,
    SortFilter,
    url_with,
)
from portal.core.search import KeptSearches, RankedResults, Ranking, bitset

from .models import NEWEST_FIRST, Publisher, Resource, Topic


class Sort(TextChoices):
    RELEVANCE = "relevance", "Relevance"
    RECENT = "recent", "Most recent"
    TITLE = "title", "Title A to Z"


ORDERINGS = {
    Sort.RELEVANCE: ["-rank", *NEWEST_FIRST, "pk"],
    Sort.RECENT: [*NEWEST_FIRST, "pk"],
    # Lower() sorts alike on SQLite and PostgreSQL, which order capitals differently.
    Sort.TITLE: [Lower("title"), "pk"],
}

# How each filter's values are matched when its options are counted.
COUNT_LOOKUPS = {
    "topic": "topics__slug",
    "stage": "stages__slug",
    "type": "resource_type",
    "publisher": "publisher__slug",
}


class ResourceFilterSet(QueryStringFilterSet):
    """Published resources from the query string: OR within a filter, AND across filters.

    On a topic's page `topic` is fixed, and a topic in the query string is ignored.
    """

    q = SearchTextFilter(label="Search the library")
    topic = KnownValuesFilter(method="filter_topics", label="Topic")
    stage = KnownValuesFilter(method="filter_stages", label="Guide stage")
    type = KnownValuesFilter(method="filter_types", label="Type")
    publisher = KnownValuesFilter(method="filter_publishers", label="Publisher")
    sort = SortFilter(choices=Sort.choices, label="Sort by")

    FACETS = ("topic", "stage", "type", "publisher")
    DEFAULT_SORT = Sort.RECENT
    SEARCH_SORTS = (Sort.RELEVANCE,)

    class Meta:
        model = Resource
        fields = []

    def __init__(self, data=None, *, topic=None):
        if topic is not None and data is not None:
            data = data.copy()
            data.pop("topic", None)
        super().__init__(data, queryset=Resource.objects.published())
        self.topic = topic
        for name, choices in filter_choices().items():
            self.filters[name].extra["choices"] = choices

    @cached_property
    def url(self):
        """Kept for the request: the form, the page links and the tags each ask for it."""
        if self.topic is not None:
            return self.topic.get_absolute_url()
        return kept_reverse("guides:resource-list")

    def filter_topics(self, queryset, name, value):
        return queryset.with_any_topic(value)

    def filter_stages(self, queryset, name, value):
        return queryset.for_any_stage(value)

    def filter_types(self, queryset, name, value):
        return queryset.filter(resource_type__in=value)

    def filter_publishers(self, queryset, name, value):
        return queryset.filter(publisher__slug__in=value)

    def apply_facets(self, queryset, exclude=None):
        """As every list's filters, and on a topic's page only the topic's resources."""
        if self.topic is not None:
            queryset = queryset.for_topic(self.topic)
        return super().apply_facets(queryset, exclude)

    def matching(self, exclude=None):
        """Resources found by the search and every filter but `exclude`, unranked and unsorted:
        for counting options and for the feed.
        """
        queryset = self.apply_facets(self.queryset, exclude)
        return queryset.found_by(self.values["q"]) if self.values["q"] else queryset

    def filter_queryset(self, queryset):
        """The results: ranked when searched for, in the sort order, with what a listing shows."""
        queryset = self.apply_facets(queryset)
        if self.values["q"]:
            queryset = queryset.search(self.values["q"])
        return queryset.order_by(*ORDERINGS[self.values["sort"]]).as_results()

    @cached_property
    def qs(self):
        """The results, for the paginator. A search sorted by relevance (a search's default)
        is put in order from the search's ranking kept in this process (KeptSearches), so only
        the page shown is read from the database; other sorts are ordered by the database.
        """
        if self.values["q"] and self.values["sort"] == Sort.RELEVANCE:
            _, within, chosen = self._found
            for mask in chosen.values():
                within &= mask
            return RankedResults(self.search, within, self.result_count, self.page_of_results)
        return super().qs

    @cached_property
    def search(self):
        """The search's ranking: kept for the content version, worked out on first use."""
        return kept_searches().ranking(self.values["q"])

    def page_of_results(self, ids):
        """The resources `ids`, as results show them: one query, whatever the volume. The
        ranking found them and gives their order, so they are neither searched for nor sorted.
        """
        queryset = self.queryset.filter(pk__in=ids).with_headlines(self.values["q"])
        queryset = queryset.as_results().order_by()
        by_id = {resource.pk: resource for resource in queryset}
        return [by_id[pk] for pk in ids if pk in by_id]

    @cached_property
    def _found(self):
        """The published resources within reach (the topic's, on a topic's page, and those the
        search finds), and each filter's ticked options, as bitsets (OptionSets).
        """
        sets = option_sets()
        within = sets.published
        if self.topic is not None:
            within &= sets.options["topic"].get(self.topic.slug, 0)
        if self.values["q"]:
            within &= self.search.found
        chosen = {}
        for name in self.FACETS:
            if self.values[name]:
                chosen[name] = 0
                for value in self.values[name]:
                    chosen[name] |= sets.options[name].get(value, 0)
        return sets, within, chosen

    @cached_property
    def result_count(self):
        """How many results: counted in memory, so the paginator need not count them again."""
        _, within, chosen = self._found
        for mask in chosen.values():
            within &= mask
        return within.bit_count()

    @cached_property
    def facets(self):
        """Each filter with, beside every option, how many results ticking it would give.

        Counted in memory from each option's resources (OptionSets, kept for the content
        version), with at most one query, for the ids a search finds, shared with the result
        count. A filter with no options is left out, and so is the topic on a topic's page.
        """
        sets, within, chosen = self._found
        facets = []
        for name in self.FACETS:
            choices = self.filters[name].extra["choices"]
            if not choices or (name == "topic" and self.topic is not None):
                continue
            others = within
            for other, mask in chosen.items():
                if other != name:
                    others &= mask
            # Ticking an option adds it to this filter's ticked ones (OR within a filter).
            already = chosen.get(name, 0)
            counts = {
                value: (others & (sets.options[name].get(value, 0) | already)).bit_count()
                for value, _ in choices
            }
            facets.append(self.facet(name, counts))
        return facets

    @property
    def feed_url(self):
        pairs = self.state(sort=False)
        if self.topic is not None:
            pairs.insert(0, ("topic", self.topic.slug))
        return url_with(kept_reverse("guides:resource-feed"), pairs)

    @property
    def whole_library_url(self):
        """From a topic's page, the whole library with the topic ticked, ready to widen."""
        pairs = [("topic", self.topic.slug), *self.state()]
        return url_with(kept_reverse("guides:resource-list"), pairs)

    def description(self):
        """What the results are filtered by, in words: for the feed's title."""
        labels = {name: self.chosen_labels(name) for name in self.FACETS}
        parts = []
        topics = ([self.topic.name] if self.topic is not None else []) + labels["topic"]
        if topics:
            parts.append(f"about {join_words(dict.fromkeys(topics))}")
        if labels["stage"]:
            parts.append(f"for guide stage {join_words(labels['stage'])}")
        if labels["type"]:
            parts.append(f"of type {join_words(labels['type'])}")
        if labels["publisher"]:
            parts.append(f"from {join_words(labels['publisher'])}")
        if self.values["q"]:
            parts.append(f"matching ‘{self.values['q']}’")
        return ", ".join(parts)

    def chosen_labels(self, name):
        choices = self.filters[name].extra["choices"]
        return [label for value, label in choices if value in self.values[name]]


def join_words(words, conjunction="or"):
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def query_filter_choices():
    """Each filter's (value, label) options: only those with a published resource.

    One query per filter, whatever the number of options.
    """
    published = Resource.objects.published()
    topics = Topic.objects.filter(Exists(published.filter(topics=OuterRef("pk"))))
    stages = Stage.objects.published().filter(Exists(published.filter(stages=OuterRef("pk"))))
    publishers = Publisher.objects.filter(Exists(published.filter(publisher=OuterRef("pk"))))
    types_used = set(published.order_by().values_list("resource_type", flat=True).distinct())
    return {
        "topic": [(t.slug, t.name) for t in topics.order_by("name")],
        "stage": [(s.slug, f"{s.number}. {s.title}") for s in stages.in_order()],
        "type": [(v, str(label)) for v, label in Resource.Type.choices if v in types_used],
        "publisher": [(p.slug, p.name) for p in publishers.order_by("name")],
    }


@dataclass(frozen=True)
class OptionSets:
    """The published resources, and for each filter option the published resources it has,
    as bitsets: what the finder's option counts are worked out from.
    """

    published: int
    options: dict


def query_option_sets():
    """One query for the published resources and one per filter, whatever the volume."""
    published = Resource.objects.published().order_by()
    options = {}
    for name, lookup in COUNT_LOOKUPS.items():
        ids_by_value = defaultdict(list)
        for pk, value in published.values_list("pk", lookup):
            if value is not None:  # a resource with none of this filter's options
                ids_by_value[value].append(pk)
        options[name] = {value: bitset(ids) for value, ids in ids_by_value.items()}
    return OptionSets(bitset(published.values_list("pk", flat=True)), options)


def rank_search(text):
    """One query: the ids of every published resource `text` finds, most relevant first."""
    relevance = ORDERINGS[Sort.RELEVANCE]
    found = Resource.objects.published().search(text).order_by(*relevance)
    return Ranking.of(found.values_list("pk", flat=True))


# Each process keeps the options and their sets for the current content version: they change
# only when an editor saves something, and finding them scans every published resource. Counts
# follow an editor's save as soon as the version does (within a second on every server).
filter_choices = KeptForContentVersion(query_filter_choices)
option_sets = KeptForContentVersion(query_option_sets)
# The finder's searches, ranked by rank_search; portal/core/search.py bounds what they hold.
kept_searches = KeptForContentVersion(lambda: KeptSearches(rank_search))
