"""Lists driven by the query string: filters that keep what they understand, pages and links.

A list's whole state (search, filters, sort, page) lives in its query string, so any view of it
can be bookmarked and works without JavaScript. Bad input never fails the page: each unknown
value is dropped on its own (never the whole filter) and reported as a notice, so an old or
mistyped link still gives a useful page, and links are rebuilt from what was understood, so
they never pass a bad value on.
"""

import unicodedata
from dataclasses import dataclass, field
from urllib.parse import urlencode

import django_filters
from django import forms
from django.core.paginator import Paginator
from django.http import QueryDict
from django.utils.functional import cached_property

from portal.cache import KeptForContentVersion

MAX_SEARCH_LENGTH = 200
PAGE_NOT_RECOGNISED = "We did not recognise the page number, so we are showing the first page."


class SearchTextField(forms.CharField):
    """Free text made safe to search for: control characters gone, spaces collapsed, capped.

    Too long is not an error: the first MAX_SEARCH_LENGTH characters are searched for, and the
    FilterSet's notices say so.
    """

    def to_python(self, value):
        value = super().to_python(value)
        value = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in value)
        return " ".join(value.split())[:MAX_SEARCH_LENGTH].strip()


class KnownValuesField(forms.MultipleChoiceField):
    """The values it knows, once each and in the order given; unknown ones are left out.

    One bad value in a shared link should not throw away the good ones beside it.
    """

    def clean(self, value):
        values = self.to_python(value)
        known = {str(choice) for choice, _ in self.choices}
        return [value for value in dict.fromkeys(values) if value in known]

    def __deepcopy__(self, memo):
        # Each form copies its fields; the choices are never changed in place, so are shared.
        memo[id(self._choices)] = self._choices
        return super().__deepcopy__(memo)


class SearchTextFilter(django_filters.CharFilter):
    field_class = SearchTextField


class KnownValuesFilter(django_filters.MultipleChoiceFilter):
    """Checkboxes: any of the ticked values (OR); unknown values are dropped, not errors."""

    field_class = KnownValuesField


class SortFilter(django_filters.ChoiceFilter):
    """The sort order. It filters nothing: the FilterSet orders its results last."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", None)
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        return qs


@dataclass
class Option:
    """One checkbox of a filter; `count` is how many results ticking it gives, where counted."""

    value: str
    label: str
    checked: bool = False
    count: int | None = None


@dataclass
class Facet:
    """One filter as the page shows it: a fieldset of checkboxes."""

    name: str
    legend: str
    options: list[Option] = field(default_factory=list)


class QueryStringFilterSet(django_filters.FilterSet):
    """A FilterSet read from a list page's query string.

    Checkbox filters are KnownValuesFilters named in FACETS: any ticked value within a filter,
    every filter together. A FilterSet may also declare `q`, a SearchTextFilter, and `sort`, a
    SortFilter: DEFAULT_SORT applies unless the query string chooses another, and sorts in
    SEARCH_SORTS (such as relevance) apply only to a search, the first being its default.
    `url` is the list's own address, which its links are built on.
    """

    FACETS = ()
    DEFAULT_SORT = ""
    SEARCH_SORTS = ()

    def __init__(self, data=None, **kwargs):
        # An empty query string, not None: an unbound form would have no cleaned data.
        super().__init__(QueryDict() if data is None else data, **kwargs)

    @property
    def url(self):
        raise NotImplementedError("A list's FilterSet names the address of its list.")

    def get_form_class(self):
        """The form for the filters as they are, made once for each list and set of filters'
        choices in a content version: making its fields took longer than the rest of it.
        """
        key = (type(self), *((name, *filter_state(f)) for name, f in self.filters.items()))
        form_classes = kept_form_classes()
        form_class = form_classes.get(key)
        if form_class is None:
            form_class = super().get_form_class()
            if len(form_classes) < KEPT_FORM_CLASSES_LIMIT:
                form_classes[key] = form_class
        return form_class

    @cached_property
    def values(self):
        """What was understood: a list for each filter, the search text as `q`, the sort in
        force as `sort` and whether the query string chose it as `sort_chosen`.
        """
        self.form.is_valid()
        cleaned = self.form.cleaned_data
        values = {name: cleaned.get(name) or [] for name in self.FACETS}
        values["q"] = cleaned.get("q") or ""
        sort = cleaned.get("sort") or ""
        if sort in self.SEARCH_SORTS and not values["q"]:
            sort = ""
        default = self.SEARCH_SORTS[0] if values["q"] and self.SEARCH_SORTS else self.DEFAULT_SORT
        values["sort"] = sort or default
        values["sort_chosen"] = bool(sort)
        return values

    def apply_facets(self, queryset, exclude=None):
        """`queryset` narrowed by every filter with a value, except the one named `exclude`."""
        for name in self.FACETS:
            if name != exclude and self.values[name]:
                queryset = self.filters[name].filter(queryset, self.values[name])
        return queryset

    def filter_queryset(self, queryset):
        return self.apply_facets(queryset)

    def facet(self, name, counts=None):
        """Filter `name`'s legend and options, the chosen ones ticked, with `counts` if given."""
        counts = counts or {}
        return Facet(
            name,
            self.filters[name].label,
            [
                Option(value, label, value in self.values[name], counts.get(value))
                for value, label in self.filters[name].extra["choices"]
            ],
        )

    @cached_property
    def facets(self):
        """Every filter as the page shows it; worked out when a page first shows them."""
        return [self.facet(name) for name in self.FACETS]

    def notices(self):
        """What was ignored or changed in the query string, in words a visitor understands."""
        notices = []
        search = " ".join(self.data.get("q", "").split())
        if "q" in self.filters and len(search) > MAX_SEARCH_LENGTH:
            notices.append(
                f"Your search was longer than {MAX_SEARCH_LENGTH} characters, "
                f"so we searched for the first {MAX_SEARCH_LENGTH}."
            )
        for name in self.FACETS:
            if any(value and value not in self.values[name] for value in self.data.getlist(name)):
                label = self.filters[name].label.lower()
                notices.append(f"We ignored a {label} filter we did not recognise.")
        sort = self.data.get("sort", "")
        if "sort" in self.filters and sort and sort not in self.sort_values():
            notices.append("We ignored a sort order we did not recognise.")
        return notices

    def sort_values(self):
        return [str(value) for value, _ in self.filters["sort"].extra["choices"]]

    def state(self, without=None, sort=True):
        """The understood query as (name, value) pairs: search, filters, then a chosen sort.

        `without` leaves one pair out; a sort that needs a search goes when the search does.
        """
        values = self.values
        pairs = []
        if values["q"] and without != ("q", values["q"]):
            pairs.append(("q", values["q"]))
        for name in self.FACETS:
            pairs += [(name, value) for value in values[name] if (name, value) != without]
        chosen = values["sort"] if values["sort_chosen"] else ""
        searching = any(name == "q" for name, _ in pairs)
        if sort and chosen and (chosen not in self.SEARCH_SORTS or searching):
            pairs.append(("sort", chosen))
        return pairs

    def link(self, pairs):
        """The list's address with the query string `pairs`."""
        return url_with(self.url, pairs)

    @property
    def is_filtered(self):
        return bool(self.state(sort=False))

    @cached_property
    def selected_tags(self):
        """Each understood search and filter value, as a link to the same list without it."""
        tags = []
        if self.values["q"]:
            without = self.state(without=("q", self.values["q"]))
            tags.append({"label": f"Search: {self.values['q']}", "href": self.link(without)})
        for name in self.FACETS:
            legend = self.filters[name].label
            for value, label in self.filters[name].extra["choices"]:
                if value in self.values[name]:
                    without = self.state(without=(name, value))
                    tags.append({"label": f"{legend}: {label}", "href": self.link(without)})
        return tags

    @property
    def sort_options(self):
        """The sort select's options; a default left alone submits no value, so a search typed
        next sorts by relevance.
        """
        current, chosen = self.values["sort"], self.values["sort_chosen"]
        return [
            {
                "value": "" if value == current and not chosen else value,
                "text": label,
                "selected": value == current,
            }
            for value, label in self.filters["sort"].extra["choices"]
            if self.values["q"] or value not in self.SEARCH_SORTS
        ]


def filter_state(filter_):
    """What a filter's form field is made from, hashable: its label and arguments."""
    arguments = (
        (name, tuple(value) if isinstance(value, list) else value)
        for name, value in filter_.extra.items()
    )
    return filter_.label, tuple(arguments)


# Each list's form classes for the filters' choices (QueryStringFilterSet.get_form_class). The
# choices are part of the key, so a class never outlives them; keeping the classes for the
# content version only bounds how many are kept as the options change.
kept_form_classes = KeptForContentVersion(dict)
# At most this many: a filter argument compared by identity, such as a widget, would miss.
KEPT_FORM_CLASSES_LIMIT = 100


def url_with(url, pairs):
    return f"{url}?{urlencode(pairs)}" if pairs else url


def paginate(queryset, page_param, per_page, count=None):
    """The requested page, or the nearest real one with a notice saying why ("" if none).

    `count`, if the caller knows how many results there are, saves counting them again.
    """
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count
    try:
        number = int(page_param or 1)
    except (TypeError, ValueError):
        return paginator.page(1), PAGE_NOT_RECOGNISED
    if number < 1:
        return paginator.page(1), PAGE_NOT_RECOGNISED
    if number > paginator.num_pages:
        pages = paginator.num_pages
        notice = (
            f"There {'is' if pages == 1 else 'are'} only {pages} page{'' if pages == 1 else 's'} "
            "of results, so we are showing the last one."
        )
        return paginator.page(pages), notice
    return paginator.page(number), ""


def pagination_links(page, url, state):
    """GOV.UK pagination: previous, numbered pages with gaps, next; every link keeping `state`.

    None when there is only one page, so no navigation is shown.
    """
    if page.paginator.num_pages < 2:
        return None

    def href(number):
        return url_with(url, [*state, ("page", number)] if number > 1 else state)

    items = []
    for number in page.paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
        if number == Paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": number, "href": href(number), "current": number == page.number})
    return {
        "previous": href(page.previous_page_number()) if page.has_previous() else None,
        "next": href(page.next_page_number()) if page.has_next() else None,
        "items": items,
    }


def filtered_page(filterset, page_param, per_page):
    """What a filtered list page shows: the FilterSet (with its facets), the requested page of
    results, notices of anything ignored in the query string, and page links keeping the rest.
    A FilterSet with a `result_count` (the finder's, counted in memory) saves the count query.
    """
    count = getattr(filterset, "result_count", None)
    page, page_notice = paginate(filterset.qs, page_param, per_page, count)
    return {
        "filterset": filterset,
        "page": page,
        "notices": [*filterset.notices(), *([page_notice] if page_notice else [])],
        "pagination": pagination_links(page, filterset.url, filterset.state()),
    }
