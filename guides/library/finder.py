"""The resource library's finder: the query string parsed, filtered, counted, sorted and paged.

Every piece of state lives in the query string. Unknown or malformed values are dropped one by
one (never the whole filter) and reported as notices, so a bad link still gives a useful page.
"""

from urllib.parse import urlencode

import django_filters
from django.db.models import Count, Exists, OuterRef, Q, TextChoices
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.functional import cached_property

from guides.models import Stage
from portal.cache import content_version
from portal.core.querystring import (
    MAX_SEARCH_LENGTH,
    Facet,
    KnownValuesFilter,
    Option,
    SearchTextFilter,
    paginate,
    pagination_links,
)

from .models import Publisher, Resource, Topic
from .search import (
    highlighted_snippet,
    mark_words,
    matches_search,
    search,
    search_words,
    uses_full_text_search,
)

PER_PAGE = 20
MAX_QUERY_LENGTH = MAX_SEARCH_LENGTH
FEED_LENGTH = 20


class Sort(TextChoices):
    RELEVANCE = "relevance", "Relevance"
    RECENT = "recent", "Most recent"
    TITLE = "title", "Title A to Z"


def has_related(relation, lookup, values):
    """Resources with at least one related row whose `lookup` is among `values`, without joins.

    A subquery keeps one row per resource, so counts and ordering are never duplicated.
    """
    through = getattr(Resource, relation).through
    return Exists(through.objects.filter(resource=OuterRef("pk"), **{f"{lookup}__in": values}))


class ResourceFilterSet(django_filters.FilterSet):
    """Validates the finder's query string: OR within a filter, AND across filters."""

    q = SearchTextFilter(method="filter_search", label="Search the library")
    topic = KnownValuesFilter(method="filter_topics", label="Topic")
    stage = KnownValuesFilter(method="filter_stages", label="Guide stage")
    type = KnownValuesFilter(method="filter_types", label="Type", choices=Resource.Type.choices)
    publisher = KnownValuesFilter(method="filter_publishers", label="Publisher")
    sort = django_filters.ChoiceFilter(
        choices=Sort.choices, method="filter_nothing", label="Sort by", empty_label=None
    )

    FACETS = ("topic", "stage", "type", "publisher")

    class Meta:
        model = Resource
        fields = []

    def __init__(self, data=None, *, options, fixed_topic=None, **kwargs):
        super().__init__(data or {}, queryset=Resource.objects.published(), **kwargs)
        self.fixed_topic = fixed_topic
        self.headlines = True
        for name in self.FACETS:
            self.filters[name].extra["choices"] = [(o.value, o.label) for o in options[name]]

    def filter_search(self, queryset, name, value):
        return search(queryset, value, headline=self.headlines)

    def filter_topics(self, queryset, name, value):
        return queryset.filter(has_related("topics", "topic__slug", value))

    def filter_stages(self, queryset, name, value):
        return queryset.filter(has_related("stages", "stage__slug", value))

    def filter_types(self, queryset, name, value):
        return queryset.filter(resource_type__in=value)

    def filter_publishers(self, queryset, name, value):
        return queryset.filter(publisher__slug__in=value)

    def filter_nothing(self, queryset, name, value):
        """Sorting is done in filter_queryset, once the search has given each result a rank."""
        return queryset

    @cached_property
    def values(self):
        """The cleaned value of every field: lists for the filters, text for q and sort."""
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        values = {name: cleaned.get(name) or [] for name in self.FACETS}
        values["q"] = cleaned.get("q") or ""
        sort = cleaned.get("sort") or ""
        if sort == Sort.RELEVANCE and not values["q"]:
            sort = ""
        values["sort"] = sort or (Sort.RELEVANCE if values["q"] else Sort.RECENT)
        values["sort_chosen"] = bool(sort)
        return values

    def matching(self, exclude=None, annotate=True):
        """Published resources matching the search and every filter except `exclude`.

        With `annotate`, a search adds its rank and highlighted snippet to each result;
        counting needs neither.
        """
        queryset = self.queryset
        if self.fixed_topic is not None:
            queryset = queryset.filter(has_related("topics", "topic", [self.fixed_topic.pk]))
        for name in self.FACETS:
            if name != exclude and self.values[name]:
                queryset = self.filters[name].filter(queryset, self.values[name])
        if self.values["q"] and annotate:
            queryset = self.filters["q"].filter(queryset, self.values["q"])
        elif self.values["q"]:
            queryset = matches_search(queryset, self.values["q"])
        return queryset

    def filter_queryset(self, queryset):
        queryset = self.matching()
        newest = queryset.newest_first().query.order_by
        if self.values["sort"] == Sort.TITLE:
            return queryset.order_by(Lower("title"), "pk")
        if self.values["sort"] == Sort.RELEVANCE:
            return queryset.order_by("-rank", *newest, "pk")
        return queryset.order_by(*newest, "pk")

    def notices(self):
        """What was ignored or changed in the query string, in words a visitor understands."""
        notices = []
        raw_q = " ".join(self.data.get("q", "").split())
        if len(raw_q) > MAX_QUERY_LENGTH:
            notices.append(
                f"Your search was longer than {MAX_QUERY_LENGTH} characters, "
                f"so we searched for the first {MAX_QUERY_LENGTH}."
            )
        for name in self.FACETS:
            ignored = [v for v in self.data.getlist(name) if v and v not in self.values[name]]
            if ignored:
                label = self.filters[name].label.lower()
                notices.append(f"We ignored a {label} filter we did not recognise.")
        raw_sort = self.data.get("sort", "")
        if raw_sort and raw_sort not in Sort.values:
            notices.append("We ignored a sort order we did not recognise.")
        return notices


# Each process keeps the filter options of the current content version: they change only when
# an editor saves something, and finding them scans every published resource.
_options_by_version = {}


def load_options():
    """Each filter's options, fresh objects for this request to tick and count."""
    version = content_version()
    values = _options_by_version.get(version)
    if values is None:
        values = query_options()
        _options_by_version.clear()
        _options_by_version[version] = values
    return {
        name: [Option(value, label, count=0) for value, label in pairs]
        for name, pairs in values.items()
    }


def query_options():
    """Each filter's (value, label) pairs: only those with a published resource, so none is
    always empty. One query per filter, whatever the number of options.
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


# How each filter's values are matched, for counting options in a single aggregate query.
COUNT_LOOKUPS = {
    "topic": "topics__slug",
    "stage": "stages__slug",
    "type": "resource_type",
    "publisher": "publisher__slug",
}


MANY_TO_MANY_FACETS = {"topic", "stage"}


def count_options(filterset, name, options):
    """How many results ticking each option of filter `name` would give, in one query.

    That is: resources matching the search and the other filters, and either this filter's
    current selection or the option (ticking adds to an OR).
    """
    if not options:
        return
    lookup = COUNT_LOOKUPS[name]
    selected = filterset.values[name]
    already = Q(**{f"{lookup}__in": selected}) if selected else Q(pk__in=[])
    base = filterset.matching(exclude=name, annotate=False).order_by()
    # Each resource has one row per option it has, so a row is counted once per option unless
    # a many-to-many filter's selection also matches it: only then is DISTINCT (a sort per
    # option) needed.
    distinct = name in MANY_TO_MANY_FACETS and bool(selected)
    counts = base.aggregate(
        **{
            f"option_{index}": Count(
                "pk", filter=Q(**{lookup: option.value}) | already, distinct=distinct
            )
            for index, option in enumerate(options)
        }
    )
    for index, option in enumerate(options):
        option.count = counts[f"option_{index}"]


def join_words(words, conjunction="or"):
    words = list(words)
    if len(words) < 2:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


class Finder:
    """Everything the finder page, topic page and feed need from one query string."""

    def __init__(self, data, topic=None):
        if topic is not None:
            # The topic page fixes the topic; a topic in its query string would be invisible.
            data = data.copy()
            data.pop("topic", None)
        self.data = data
        self.topic = topic
        self.options = load_options()
        self.filterset = ResourceFilterSet(data, options=self.options, fixed_topic=topic)
        self.values = self.filterset.values
        for name in ResourceFilterSet.FACETS:
            for option in self.options[name]:
                option.checked = option.value in self.values[name]

    # The query string, rebuilt from what was understood, so links never carry bad values.

    def state(self, without=None, sort=True):
        pairs = []
        if self.values["q"] and without != ("q", self.values["q"]):
            pairs.append(("q", self.values["q"]))
        for name in ResourceFilterSet.FACETS:
            pairs += [(name, v) for v in self.values[name] if (name, v) != without]
        has_q = any(key == "q" for key, _ in pairs)
        chosen = self.values["sort"] if self.values["sort_chosen"] else ""
        if sort and chosen and (chosen != Sort.RELEVANCE or has_q):
            pairs.append(("sort", chosen))
        return pairs

    @property
    def url(self):
        if self.topic is not None:
            return self.topic.get_absolute_url()
        return reverse("guides:resource-list")

    def url_with(self, pairs):
        return f"{self.url}?{urlencode(pairs)}" if pairs else self.url

    @property
    def is_filtered(self):
        return bool(self.state(sort=False))

    @property
    def clear_url(self):
        return self.url

    @property
    def feed_url(self):
        pairs = self.state(sort=False)
        if self.topic is not None:
            pairs.insert(0, ("topic", self.topic.slug))
        base = reverse("guides:resource-feed")
        return f"{base}?{urlencode(pairs)}" if pairs else base

    @property
    def whole_library_url(self):
        """From a topic page, the whole library with the topic ticked, ready to widen."""
        pairs = [("topic", self.topic.slug), *self.state()]
        return f"{reverse('guides:resource-list')}?{urlencode(pairs)}"

    # What the page shows.

    @cached_property
    def facets(self):
        facets = []
        for name in ResourceFilterSet.FACETS:
            if name == "topic" and self.topic is not None:
                continue  # fixed by the topic page
            options = self.options[name]
            count_options(self.filterset, name, options)
            facets.append(Facet(name, self.filterset.filters[name].label, options))
        return [facet for facet in facets if facet.options]

    @cached_property
    def selected_tags(self):
        """Each chosen value as a link to the same results without it."""
        tags = []
        if self.values["q"]:
            without = self.state(without=("q", self.values["q"]))
            tags.append({"label": f"Search: {self.values['q']}", "href": self.url_with(without)})
        for name in ResourceFilterSet.FACETS:
            label = self.filterset.filters[name].label
            for option in self.options[name]:
                if option.checked:
                    without = self.state(without=(name, option.value))
                    tags.append(
                        {"label": f"{label}: {option.label}", "href": self.url_with(without)}
                    )
        return tags

    @cached_property
    def _paged(self):
        queryset = self.filterset.qs.select_related("publisher").prefetch_related("topics")
        page, notice = paginate(queryset, self.data.get("page"), PER_PAGE)
        words = search_words(self.values["q"])
        for resource in page.object_list:
            resource.snippet = self.snippet(resource, words)
        return page, notice

    @property
    def results(self):
        """The page of results asked for, each with a `snippet` to show under its title."""
        return self._paged[0]

    def snippet(self, resource, words):
        if not self.values["q"]:
            return resource.summary
        if uses_full_text_search():
            return highlighted_snippet(resource.headline)
        return mark_words(resource.summary, words)

    @cached_property
    def notices(self):
        page_notice = self._paged[1]
        return [*self.filterset.notices(), *([page_notice] if page_notice else [])]

    @property
    def sort_options(self):
        options = [(value, label) for value, label in Sort.choices]
        if not self.values["q"]:
            options = [o for o in options if o[0] != Sort.RELEVANCE]
        current, chosen = self.values["sort"], self.values["sort_chosen"]
        # A default left alone submits no value, so a search typed next sorts by relevance.
        return [
            {
                "value": "" if value == current and not chosen else value,
                "text": label,
                "selected": value == current,
            }
            for value, label in options
        ]

    @property
    def pagination(self):
        return pagination_links(self.results, self.url, self.state())

    def description(self):
        """What the results are filtered by, in words: for feed titles and page descriptions."""
        parts = []
        labels = {
            name: [o.label for o in self.options[name] if o.checked]
            for name in ResourceFilterSet.FACETS
        }
        topics = ([self.topic.name] if self.topic else []) + labels["topic"]
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

    def feed_items(self):
        self.filterset.headlines = False
        return (
            self.filterset.matching()
            .newest_first()
            .select_related("publisher")
            .prefetch_related("topics")[:FEED_LENGTH]
        )
