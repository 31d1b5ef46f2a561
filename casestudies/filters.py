"""Query-string filters for the case study list and the directory of mutuals.

Unknown values are dropped one by one and reported, never turned into an error page, so an old
or mistyped link still gives a useful page.
"""

from dataclasses import dataclass
from urllib.parse import urlencode

import django_filters
from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.db.models.functions import Lower
from django.http import QueryDict
from django.utils.functional import cached_property

from guides.finder import KnownValuesFilter
from guides.models import Stage

from .models import CaseStudy, Mutual, ServiceArea


@dataclass
class Option:
    value: str
    label: str
    checked: bool = False


class KnownValuesFilterSet(django_filters.FilterSet):
    """A FilterSet of checkbox filters that keeps the known values and reports the rest."""

    FACETS = ()

    def __init__(self, data=None, **kwargs):
        # An empty query string, not None: an unbound form would have no cleaned data.
        super().__init__(QueryDict() if data is None else data, **kwargs)

    @cached_property
    def values(self):
        self.form.is_valid()
        return {name: self.form.cleaned_data.get(name) or [] for name in self.FACETS}

    def filter_queryset(self, queryset):
        for name in self.FACETS:
            if self.values[name]:
                queryset = self.filters[name].filter(queryset, self.values[name])
        return queryset

    def facets(self):
        """Each filter's legend and options, the chosen ones ticked."""
        return [
            {
                "name": name,
                "legend": self.filters[name].label,
                "options": [
                    Option(value, label, value in self.values[name])
                    for value, label in self.filters[name].extra["choices"]
                ],
            }
            for name in self.FACETS
        ]

    def notices(self):
        notices = []
        for name in self.FACETS:
            if any(v not in self.values[name] for v in self.data.getlist(name)):
                label = self.filters[name].label.lower()
                notices.append(f"We ignored a {label} filter we did not recognise.")
        return notices

    def state(self):
        """The understood filters as query-string pairs, so links never carry bad values."""
        return [(name, value) for name in self.FACETS for value in self.values[name]]

    @property
    def is_filtered(self):
        return bool(self.state())


def service_area_choices():
    return list(ServiceArea.objects.values_list("slug", "name"))


class CaseStudyFilterSet(KnownValuesFilterSet):
    service_area = KnownValuesFilter(method="filter_service_areas", label="Service area")
    stage = KnownValuesFilter(method="filter_stages", label="Guide stage")
    legal_form = KnownValuesFilter(
        method="filter_legal_forms", label="Legal form", choices=Mutual.LegalForm.choices
    )

    FACETS = ("service_area", "stage", "legal_form")

    class Meta:
        model = CaseStudy
        fields = []

    def __init__(self, data=None, **kwargs):
        queryset = CaseStudy.objects.published().with_listing_data().order_by("title", "pk")
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["service_area"].extra["choices"] = service_area_choices()
        stages = Stage.objects.published().in_order()
        self.filters["stage"].extra["choices"] = [
            (s.slug, f"{s.number}. {s.title}") for s in stages
        ]

    def filter_service_areas(self, queryset, name, value):
        return queryset.filter(mutual__service_area__slug__in=value)

    def filter_stages(self, queryset, name, value):
        # A subquery, so a study illustrating two chosen stages is listed once.
        through = CaseStudy.stages.through
        chosen = through.objects.filter(casestudy=OuterRef("pk"), stage__slug__in=value)
        return queryset.filter(Exists(chosen))

    def filter_legal_forms(self, queryset, name, value):
        return queryset.filter(mutual__legal_form__in=value)


class DirectorySort:
    """The directory's sortable columns: the value in the query string and its ordering."""

    DEFAULT = "name"
    COLUMNS = {"name": "Name", "region": "Region", "year": "Year spun out"}

    @staticmethod
    def ordering(sort):
        descending = sort.startswith("-")
        column = sort.lstrip("-")
        name = Lower("name").desc() if descending and column == "name" else Lower("name")
        if column == "region":
            # Not known comes last whichever way the column is sorted.
            unknown = Case(When(region="", then=Value(1)), default=Value(0))
            # Region values sort in the same order as their names.
            region = F("region").desc() if descending else F("region").asc()
            return [unknown, region, Lower("name"), "pk"]
        if column == "year":
            year = F("year_spun_out")
            year = year.desc(nulls_last=True) if descending else year.asc(nulls_last=True)
            return [year, Lower("name"), "pk"]
        return [name, "pk"]

    @classmethod
    def values(cls):
        return [*cls.COLUMNS, *(f"-{c}" for c in cls.COLUMNS)]


class MutualFilterSet(KnownValuesFilterSet):
    service_area = KnownValuesFilter(method="filter_service_areas", label="Service area")
    region = KnownValuesFilter(
        method="filter_regions", label="Region", choices=Mutual.Region.choices
    )
    status = KnownValuesFilter(
        method="filter_progress", label="Status", choices=Mutual.Progress.choices
    )
    legal_form = KnownValuesFilter(
        method="filter_legal_forms", label="Legal form", choices=Mutual.LegalForm.choices
    )

    FACETS = ("service_area", "region", "status", "legal_form")

    class Meta:
        model = Mutual
        fields = []

    def __init__(self, data=None, **kwargs):
        queryset = Mutual.objects.published().with_listing_data()
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["service_area"].extra["choices"] = service_area_choices()

    def filter_service_areas(self, queryset, name, value):
        return queryset.filter(service_area__slug__in=value)

    def filter_regions(self, queryset, name, value):
        return queryset.filter(region__in=value)

    def filter_progress(self, queryset, name, value):
        return queryset.filter(progress__in=value)

    def filter_legal_forms(self, queryset, name, value):
        return queryset.filter(legal_form__in=value)

    @cached_property
    def sort(self):
        raw = self.data.get("sort", "")
        return raw if raw in DirectorySort.values() else DirectorySort.DEFAULT

    @property
    def sort_chosen(self):
        return self.data.get("sort", "") in DirectorySort.values()

    def notices(self):
        notices = super().notices()
        if self.data.get("sort") and not self.sort_chosen:
            notices.append("We ignored a sort order we did not recognise.")
        return notices

    @property
    def qs(self):
        return super().qs.order_by(*DirectorySort.ordering(self.sort))

    def sort_links(self, url):
        """Each sortable column's header link: the same filters, this column, the other way."""
        links = {}
        for column, label in DirectorySort.COLUMNS.items():
            current = self.sort.lstrip("-") == column
            descending = self.sort.startswith("-")
            next_sort = f"-{column}" if current and not descending else column
            pairs = [*self.state(), ("sort", next_sort)]
            links[column] = {
                "label": label,
                "href": f"{url}?{urlencode(pairs)}",
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
                "next": "descending" if next_sort.startswith("-") else "ascending",
            }
        return links

    def query_string(self, with_sort=True):
        pairs = self.state()
        if with_sort and self.sort_chosen:
            pairs.append(("sort", self.sort))
        return urlencode(pairs)
