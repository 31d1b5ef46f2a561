"""The resource library's finder pages: the whole library and one topic."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from portal.views import BreadcrumbsMixin

from .finder import Finder
from .models import Topic


class ResourceListView(BreadcrumbsMixin, TemplateView):
    """The finder: search, filters with counts, sorting and pages, all from the query string."""

    template_name = "guides/resource_list.html"
    topic = None

    def get_context_data(self, **kwargs):
        return super().get_context_data(finder=Finder(self.request.GET, topic=self.topic), **kwargs)


class TopicDetailView(ResourceListView):
    """One topic's page: its description, and the finder fixed to the topic."""

    @cached_property
    def topic(self):
        return get_object_or_404(Topic, slug=self.kwargs["slug"])

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        crumbs.append({"text": "Resource library", "href": reverse("guides:resource-list")})
        return crumbs

    def get_context_data(self, **kwargs):
        return super().get_context_data(topic=self.topic, **kwargs)
