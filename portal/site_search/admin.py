"""What people searched for, in the admin: top searches and searches that found nothing.

The list shows each search's words with its searches over the chosen period (7, 30 or 90
days; 30 unless another is chosen) and whether it found anything, most searched first. The
counts are read only; content editors mark a search that found nothing as dealt with and give
the page on this site that now answers it. Rows go when their counts pass the retention
period (counting.py), never by hand.
"""

from datetime import timedelta

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.utils import timezone
from django.utils.html import format_html

from .models import SearchTerm

PERIODS = (7, 30, 90)
DEFAULT_PERIOD = 30


def period_days(value):
    """The period a list's `period` parameter chooses, in days."""
    return int(value) if value in {str(days) for days in PERIODS} else DEFAULT_PERIOD


class PeriodFilter(admin.SimpleListFilter):
    """Counts over the last 7, 30 or 90 days; only searches made in the period are listed."""

    title = "searched in the last"
    parameter_name = "period"

    def lookups(self, request, model_admin):
        return [(str(days), f"{days} days") for days in PERIODS]

    def choices(self, changelist):
        # No "All": every row is counted over one of the periods.
        current = str(period_days(self.value()))
        for value, label in self.lookup_choices:
            yield {
                "selected": value == current,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        since = timezone.localdate() - timedelta(days=period_days(self.value()) - 1)
        return queryset.with_counts(since)


class FoundFilter(admin.SimpleListFilter):
    """Searches that found nothing every time in the period, or found something."""

    title = "results"
    parameter_name = "found"
    NOTHING, SOMETHING = "nothing", "something"

    def lookups(self, request, model_admin):
        return [(self.NOTHING, "Found nothing"), (self.SOMETHING, "Found something")]

    def queryset(self, request, queryset):
        if self.value() == self.NOTHING:
            return queryset.filter(most_found=0)
        if self.value() == self.SOMETHING:
            return queryset.filter(most_found__gt=0)
        return queryset


class MostSearchedFirst(ChangeList):
    """The list's order when no column is chosen: the most searches in the period first. The
    counts exist only once PeriodFilter has added them, so this is the list's, not the model's.
    """

    def _get_default_ordering(self):
        return ["-searches", "words"]


@admin.register(SearchTerm)
class SearchTermAdmin(admin.ModelAdmin):
    list_display = ["words", "searches", "results", "first_searched", "dealt_with", "answer"]
    # The period first: it adds the counts the other filters and the columns read.
    list_filter = [PeriodFilter, FoundFilter, "dealt_with", "first_searched"]
    search_fields = ["words"]
    list_per_page = 50
    fields = ["words", "first_searched", "dealt_with", "answered_by"]
    readonly_fields = ["words", "first_searched"]

    def get_changelist(self, request, **kwargs):
        return MostSearchedFirst

    def changelist_view(self, request, extra_context=None):
        extra_context = {"title": "What people searched for", **(extra_context or {})}
        return super().changelist_view(request, extra_context)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="Searches", ordering="searches")
    def searches(self, term):
        return term.searches

    @admin.display(description="Results", ordering="most_found")
    def results(self, term):
        return "None found" if term.most_found == 0 else f"Up to {term.most_found}"

    @admin.display(description="Page that answers it")
    def answer(self, term):
        if not term.answered_by:
            return "-"
        return format_html('<a href="{}">{}</a>', term.answered_by, term.answered_by)
