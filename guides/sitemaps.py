from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .library.sitemaps import ResourceSitemap, TopicSitemap
from .models import Stage


class GuideSitemap(Sitemap):
    """The guide's overview, last modified when its most recently updated stage was."""

    def items(self):
        return ["guides:overview"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        return Stage.objects.published().aggregate(latest=Max("public_updated_at"))["latest"]


class StageSitemap(Sitemap):
    def items(self):
        return Stage.objects.published().in_order()

    def lastmod(self, stage):
        return stage.public_updated_at


SITEMAPS = {
    "guide": GuideSitemap,
    "guide-stages": StageSitemap,
    "resources": ResourceSitemap,
    "resource-topics": TopicSitemap,
}
