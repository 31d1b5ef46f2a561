from django.views.generic import TemplateView

from portal.models import Page
from portal.views import BreadcrumbsMixin


class GuideOverviewView(BreadcrumbsMixin, TemplateView):
    template_name = "guides/overview.html"

    def get_context_data(self, **kwargs):
        intro = Page.objects.published().filter(slug="how-to-set-up-a-mutual").first()
        return super().get_context_data(intro=intro, **kwargs)


class ResourceListView(BreadcrumbsMixin, TemplateView):
    """The resource library; its documents arrive with the resource library work."""

    template_name = "guides/resource_list.html"
