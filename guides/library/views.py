"""The resource library's pages: the finder, a topic, and one resource."""

from urllib.parse import urlsplit

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import cached_property
from django.views.generic import DetailView, TemplateView

from portal.core.querystring import filtered_page
from portal.core.time_limit import SearchTimeLimitMixin
from portal.views import BreadcrumbsMixin

from .filters import ResourceFilterSet
from .models import Resource, Topic

RESULTS_PER_PAGE = 20


class ResourceListView(SearchTimeLimitMixin, BreadcrumbsMixin, TemplateView):
    """The finder: search, filters with counts, sorting and pages, all from the query string;
    its queries under the search time limit.
    """

    template_name = "guides/resource_list.html"
    topic = None

    def get_context_data(self, **kwargs):
        filterset = ResourceFilterSet(self.request.GET, topic=self.topic)
        page = self.request.GET.get("page")
        return super().get_context_data(
            **filtered_page(filterset, page, RESULTS_PER_PAGE), **kwargs
        )


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


RELATED_RESOURCES_LIMIT = 5


def related_resources(resource, topics):
    """Other published resources sharing a topic: most topics in common first, then newest."""
    if not topics:
        return []
    related = Resource.objects.published().sharing_topics(topics, besides=resource)
    return list(related[:RELATED_RESOURCES_LIMIT])


def download_link_text(resource):
    """'Download the business plan template (DOCX, 48 KB)': title, format and size.

    A plain sentence-case title reads better lower-cased after "the"; a title with a name or an
    acronym in it (capitals after the first letter) is quoted as it is.
    """
    title = resource.title.strip()
    first_word, *rest = title.split() or [""]
    tail = first_word[1:]
    if (not tail or tail.islower()) and not any(word[:1].isupper() for word in rest):
        article = "" if first_word.lower() in {"a", "an", "the"} else "the "
        name = f"{article}{title[:1].lower()}{title[1:]}"
    else:
        name = f"‘{title}’"
    return f"Download {name} ({resource.file_description})"


def link_domain(url):
    """The website a link goes to, as people know it: 'gov.uk' for https://www.gov.uk/x."""
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.")


def resource_detail_context(resource):
    """Everything the resource page shows besides the resource; the admin preview shares it.

    Four queries at most (topics, stages, related resources and, unless already loaded, the
    publisher) however many topics or related resources there are.
    """
    topics = list(resource.topics.all())
    return {
        "resource": resource,
        "publisher": resource.publisher,
        "topics": topics,
        "stages": list(resource.stages.published().in_order()),
        "related_resources": related_resources(resource, topics),
        "download_text": download_link_text(resource) if resource.file else "",
        "external_domain": link_domain(resource.external_url) if resource.external_url else "",
    }


class ResourceDetailView(BreadcrumbsMixin, DetailView):
    """One published document: what it is, where to get it and what else is like it."""

    template_name = "guides/resource_detail.html"
    context_object_name = "resource"

    def get_queryset(self):
        return Resource.objects.published().select_related("publisher")

    def get_breadcrumbs(self):
        crumbs = super().get_breadcrumbs()
        crumbs.append({"text": "Resources", "href": reverse("guides:resource-list")})
        return crumbs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(resource_detail_context(self.object))
        return context
