"""Case studies, the directory of mutuals and its open-data downloads."""

from django.http import JsonResponse
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from guides.models import Resource
from portal.core.querystring import filtered_page, url_with
from portal.exports import csv_response
from portal.views import BreadcrumbsMixin

from . import charts
from .exports import COLUMNS, LICENCE, OGL_NAME, OGL_URL, csv_row, directory_rows
from .filters import CaseStudyFilterSet, MutualFilterSet
from .models import CaseStudy

CASE_STUDIES_PER_PAGE = 10
MUTUALS_PER_PAGE = 50
RELATED_LIMIT = 3
RELATED_RESOURCES_LIMIT = 5


class CaseStudyListView(BreadcrumbsMixin, TemplateView):
    """Case studies filtered by service area, guide stage and legal form; four queries."""

    template_name = "casestudies/case_study_list.html"

    def get_context_data(self, **kwargs):
        filterset = CaseStudyFilterSet(self.request.GET)
        page = self.request.GET.get("page")
        return super().get_context_data(
            **filtered_page(filterset, page, CASE_STUDIES_PER_PAGE), **kwargs
        )


def related_resources(topics):
    """Published resources sharing a topic with the story, most topics in common first."""
    if not topics:
        return []
    return list(Resource.objects.published().sharing_topics(topics)[:RELATED_RESOURCES_LIMIT])


def case_study_context(case_study):
    """What the case study page shows besides the story; the admin preview shares it.

    Five queries however many topics, stages, outcomes or neighbours there are.
    """
    topics = list(case_study.topics.all())
    outcomes = list(case_study.mutual.outcomes.all())
    stages = list(case_study.stages.published().in_order())
    related = CaseStudy.objects.published().with_listing_data()
    related = related.related_to(case_study, [t.pk for t in topics], [s.pk for s in stages])
    return {
        "case_study": case_study,
        "mutual": case_study.mutual,
        "outcomes": outcomes,
        "topics": topics,
        "stages": stages,
        "related_resources": related_resources(topics),
        "related_case_studies": list(related[:RELATED_LIMIT]),
    }


class CaseStudyDetailView(BreadcrumbsMixin, DetailView):
    template_name = "casestudies/case_study_detail.html"
    context_object_name = "case_study"

    def get_queryset(self):
        return CaseStudy.objects.published().with_listing_data()

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        crumbs.append({"text": "Case studies", "href": reverse("casestudies:case-study-list")})
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(case_study_context(self.object))
        return context


class MutualListView(BreadcrumbsMixin, TemplateView):
    """The directory: filters, sortable table, chart and downloads from one query string."""

    template_name = "casestudies/mutual_list.html"

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        crumbs.append({"text": "Case studies", "href": reverse("casestudies:case-study-list")})
        return crumbs

    def get_context_data(self, **kwargs):
        filterset = MutualFilterSet(self.request.GET)
        values, state = filterset.values, filterset.state()
        return super().get_context_data(
            **filtered_page(filterset, self.request.GET.get("page"), MUTUALS_PER_PAGE),
            sort_links=filterset.sort_links(),
            sort_value=values["sort"] if values["sort_chosen"] else "",
            service_area_bars=charts.by_service_area(filterset.qs),
            status_bars=charts.by_status(filterset.qs),
            csv_url=url_with(reverse("casestudies:mutual-export-csv"), state),
            json_url=url_with(reverse("casestudies:mutual-export-json"), state),
            licence_name=OGL_NAME,
            licence_url=OGL_URL,
            **kwargs,
        )


def case_study_url_maker(request):
    def absolute(slug):
        path = reverse("casestudies:case-study-detail", kwargs={"slug": slug})
        return request.build_absolute_uri(path)

    return absolute


def export_csv(request):
    """The filtered directory as CSV: a licence column names the Open Government Licence."""
    mutuals = MutualFilterSet(request.GET).qs
    rows = map(csv_row, directory_rows(mutuals, case_study_url_maker(request)))
    return csv_response("mutuals-directory.csv", COLUMNS, rows)


def export_json(request):
    """The filtered directory as JSON, with the licence and the filters that made it."""
    filterset = MutualFilterSet(request.GET)
    rows = [
        {key: value for key, value in row.items() if key != "licence"}
        for row in directory_rows(filterset.qs, case_study_url_maker(request))
    ]
    data = {
        "licence": LICENCE,
        "licence_name": OGL_NAME,
        "licence_url": OGL_URL,
        "filters": {name: filterset.values[name] for name in filterset.FACETS},
        "count": len(rows),
        "mutuals": rows,
    }
    response = JsonResponse(
        data,
        json_dumps_params={"ensure_ascii": False, "indent": 2},
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mutuals-directory.json"'
    return response
