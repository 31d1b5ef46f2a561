"""The resource library's pages: the finder, a resource, a topic and the feed."""

from django.shortcuts import get_object_or_404
from django.views.generic import DetailView, TemplateView

from portal.views import BreadcrumbsMixin

from .models import Resource, Topic


class ResourceListView(BreadcrumbsMixin, TemplateView):
    template_name = "guides/resource_list.html"


class ResourceDetailView(BreadcrumbsMixin, DetailView):
    template_name = "guides/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self):
        return Resource.objects.published()


class TopicDetailView(BreadcrumbsMixin, TemplateView):
    template_name = "guides/resource_list.html"

    def get_context_data(self, **kwargs):
        topic = get_object_or_404(Topic, slug=self.kwargs["slug"])
        return super().get_context_data(topic=topic, **kwargs)
