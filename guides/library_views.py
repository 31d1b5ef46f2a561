"""The resource library's pages: the finder, a resource, a topic and the feed."""

from django.shortcuts import get_object_or_404
from django.views.generic import TemplateView

from portal.views import BreadcrumbsMixin

from .models import Topic


class ResourceListView(BreadcrumbsMixin, TemplateView):
    template_name = "guides/resource_list.html"


class TopicDetailView(BreadcrumbsMixin, TemplateView):
    template_name = "guides/resource_list.html"

    def get_context_data(self, **kwargs):
        topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return super().get_context_data(topic=topic, **kwargs)
