"""Query-string filters for the case study list and the directory of mutuals.

Built on portal/core/querystring.py, as the resource finder is: unknown values are dropped one
by one and reported, never turned into an error page.
"""

from django.db.models import Case, Exists, F, OuterRef, Value, When
from django.db.models.functions import Lower
from django.urls import reverse

from guides.models import Stage
from portal.core.querystring import KnownValuesFilter, QueryStringFilterSet, SortFilter

from .models import CaseStudy, Mutual, ServiceArea


def service_area_choices():
    return list(ServiceArea.objects.values_list("slug", "name"))


class CaseStudyFilterSet(QueryStringFilterSet):
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

    @property
    def url(self):
        return reverse("casestudies:case-study-list")

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


class MutualFilterSet(QueryStringFilterSet):
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
    pathfinder = KnownValuesFilter(
        method="filter_pathfinders",
        label="Mutual Pathfinders",
        choices=[
            ("yes", "First Mutual Pathfinders, named in 2010"),
            ("no", "Other mutuals"),
        ],
    )
    sort = SortFilter(choices=[(value, value) for value in DirectorySort.values()])

    FACETS = ("service_area", "region", "status", "legal_form", "pathfinder")
    DEFAULT_SORT = DirectorySort.DEFAULT
    HINTS = {
        "status": "Each status is dated with the year it was true, such as ‘Developing, in "
        "2010’. Ticking one finds it whatever its year.",
        "pathfinder": "The Cabinet Office named the first Mutual Pathfinders in 2010 to show "
        "staff what was possible.",
    }

    class Meta:
        model = Mutual
        fields = []

    def __init__(self, data=None, **kwargs):
        queryset = Mutual.objects.published().with_listing_data()
        super().__init__(data, queryset=queryset, **kwargs)
        self.filters["service_area"].extra["choices"] = service_area_choices()

    @property
    def url(self):
        return reverse("casestudies:mutual-list")

    def filter_service_areas(self, queryset, name, value):
        return queryset.filter(service_area__slug__in=value)

    def filter_regions(self, queryset, name, value):
        return queryset.filter(region__in=value)

    def filter_progress(self, queryset, name, value):
        return queryset.filter(progress__in=value)

    def filter_legal_forms(self, queryset, name, value):
        return queryset.filter(legal_form__in=value)

    def filter_pathfinders(self, queryset, name, value):
        if set(value) == {"yes", "no"}:
            return queryset
        return queryset.filter(pathfinder=value[0] == "yes")

    def facet(self, name, counts=None):
        """The filter as the page shows it, with a hint under its legend where one helps."""
        facet = super().facet(name, counts)
        facet.hint = self.HINTS.get(name, "")
        return facet

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*DirectorySort.ordering(self.values["sort"]))

    def sort_links(self):
        """Each sortable column's header link: the same filters, this column, the other way."""
        links = {}
        sort = self.values["sort"]
        for column, label in DirectorySort.COLUMNS.items():
            current = sort.lstrip("-") == column
            descending = sort.startswith("-")
            next_sort = f"-{column}" if current and not descending else column
            links[column] = {
                "label": label,
                "href": self.link([*self.state(sort=False), ("sort", next_sort)]),
                "aria_sort": ("descending" if descending else "ascending") if current else "none",
                "next": "descending" if next_sort.startswith("-") else "ascending",
            }
        return links
