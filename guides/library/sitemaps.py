from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from portal.core.publishing import Status

from .models import Resource, Topic


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
