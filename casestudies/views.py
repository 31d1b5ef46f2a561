from django.views.generic import TemplateView

from portal.views import BreadcrumbsMixin


class CaseStudyListView(BreadcrumbsMixin, TemplateView):
    """Case studies of mutuals; the studies themselves arrive with the case studies work."""

    template_name = "casestudies/case_study_list.html"
