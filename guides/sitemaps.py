from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse

from portal.core.publishing import Status

from .models import Resource, Stage, Topic


class GuideSitemap(Sitemap):
    """The guide's overview, last modified when its most recently reviewed stage was."""

    def items(self):
        return ["guides:overview"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Stage.objects.published().aggregate(latest=Max("last_reviewed"))["latest"]


class StageSitemap(Sitemap):
    def items(self):
        return Stage.objects.published().in_order()

    def lastmod(self, stage):
        return stage.last_reviewed


class ResourceSitemap(Sitemap):
    def items(self):
        return Resource.objects.published().only("slug", "last_reviewed").order_by("slug")

    def lastmod(self, resource):
        return resource.last_reviewed


class TopicSitemap(Sitemap):
    """Topics with a published resource, last modified when the latest of those was reviewed.

    A topic whose resources are all drafts has an empty page, so search engines are not sent to it.
    """

    def items(self):
        latest = Max("resources__last_reviewed", filter=Q(resources__status=Status.PUBLISHED))
        return (
            Topic.objects.annotate(latest_review=latest)
            .filter(latest_review__isnull=False)
            .only("slug")
            .order_by("name")
        )

    def lastmod(self, topic):
        return topic.latest_review


SITEMAPS = {
    "guide": GuideSitemap,
    "guide-stages": StageSitemap,
    "resources": ResourceSitemap,
    "resource-topics": TopicSitemap,
}
