"""The site search's results page: everything it shows comes from SiteSearchFilterSet."""

from django.views.generic import TemplateView

from portal.core.querystring import filtered_page, url_with
from portal.core.time_limit import SearchTimeLimitMixin
from portal.views import BreadcrumbsMixin

from .counting import normalise, record_search
from .filters import SiteSearchFilterSet, found_count
from .vocabulary import FEW_RESULTS, suggestion

RESULTS_PER_PAGE = 20
# Sent by the results page's own form and page links with the words already searched for, so
# filtering, sorting and paging the same search is not counted as another search.
SEARCHED = "searched"


def mark_first_page_links(pagination, filterset, text):
    """Links back to page 1 (the only ones without a page number) say what was searched."""
    first = url_with(filterset.url, filterset.state())
    marked = url_with(filterset.url, [*filterset.state(), (SEARCHED, text)])
    if pagination["previous"] == first:
        pagination["previous"] = marked
    for item in pagination["items"]:
        if item.get("href") == first:
            item["href"] = marked


class SearchView(SearchTimeLimitMixin, BreadcrumbsMixin, TemplateView):
    """/search/?q=...: results of every type, filtered by type, sorted and paged by the query
    string. The same for every visitor, so the page cache may keep it.

    A new search is counted (counting.py); one that finds fewer than FEW_RESULTS results is
    offered a "Did you mean" correction from the site's own words (vocabulary.py).
    """

    template_name = "portal/search.html"
    to_count = None  # (words, results) of a new search, counted once its page is made

    def get_context_data(self, **kwargs):
        filterset = SiteSearchFilterSet(self.request.GET)
        context = filtered_page(filterset, self.request.GET.get("page"), RESULTS_PER_PAGE)
        filterset.with_snippets(context["page"])
        text = filterset.values["q"]
        if text and context["pagination"]:
            mark_first_page_links(context["pagination"], filterset, text)
        if not filterset.problem:
            found = context["page"].paginator.count
            if self.is_new_search(filterset):
                self.to_count = (text, found)
            if found < FEW_RESULTS:
                context["suggestion"] = self.suggestion(filterset)
        return super().get_context_data(**context, **kwargs)

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if self.to_count:
            # Counted after the page is rendered, as the last statement of the search's
            # transaction: the count's row (these words, today) is locked from its UPDATE to
            # the commit, so searches for the same words on any server wait only that long.
            response.add_post_render_callback(self.count_search)
        return response

    def count_search(self, response):
        record_search(*self.to_count)
        # A post-render callback that returns something replaces the response with it.
        return None

    def is_new_search(self, filterset):
        """A first results page of words not searched just before: not a page, a sort or a
        filter of the same search.
        """
        data = self.request.GET
        if "page" in data or filterset.values["sort_chosen"]:
            return False
        return normalise(data.get(SEARCHED, "")) != normalise(filterset.values["q"])

    def suggestion(self, filterset):
        """The corrected search as {text, url}, or None when no word has a closer one or the
        corrected search finds no more than this one: a word with no close match stays as it
        is, and a search must find every word, so "xqzzy frob" is not offered "xqzzy front".
        """
        corrected = suggestion(filterset.values["q"], filterset.words)
        if not corrected or found_count(corrected) <= filterset.found.bit_count():
            return None
        return {"text": corrected, "url": url_with(filterset.url, [("q", corrected)])}
