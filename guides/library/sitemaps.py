from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q

from portal.core.publishing import Status

from .models import Resource, Topic


class ResourceSitemap(Sitemap):
    def items(self):
        return Resource.objects.published().only("slug", "public_updated_at").order_by("slug")

    def lastmod(self, resource):
        return resource.public_updated_at


class TopicSitemap(Sitemap):
    """Topics with a published resource, last modified when the latest of those was updated.

    A topic whose resources are all drafts has an empty page, so search engines are not sent to it.
    """

    def items(self):
        latest = Max("resources__public_updated_at", filter=Q(resources__status=Status.PUBLISHED))
        return (
            Topic.objects.annotate(latest_update=latest)
            .filter(latest_update__isnull=False)
            .only("slug")
            .order_by("name")
        )

    def lastmod(self, topic):
        return topic.latest_update
