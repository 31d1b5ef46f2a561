"""The site search's results page: everything it shows comes from SiteSearchFilterSet."""

from django.views.generic import TemplateView

from portal.core.querystring import filtered_page
from portal.core.time_limit import SearchTimeLimitMixin
from portal.views import BreadcrumbsMixin

from .filters import SiteSearchFilterSet

RESULTS_PER_PAGE = 20


class SearchView(SearchTimeLimitMixin, BreadcrumbsMixin, TemplateView):
    """/search/?q=...: results of every type, filtered by type, sorted and paged by the query
    string. The same for every visitor, so the page cache may keep it.
    """

    template_name = "portal/search.html"

    def get_context_data(self, **kwargs):
        filterset = SiteSearchFilterSet(self.request.GET)
        context = filtered_page(filterset, self.request.GET.get("page"), RESULTS_PER_PAGE)
        filterset.with_snippets(context["page"])
        return super().get_context_data(**context, **kwargs)
