from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .library.sitemaps import ResourceSitemap, TopicSitemap
from .models import Stage
from .readiness.models import Question


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


class ReadinessSitemap(Sitemap):
    """The readiness check's start page, while it has questions to ask; the question and
    result pages are personal to each reader, so they are not listed.
    """

    def items(self):
        return ["guides:readiness-start"] if Question.objects.published().exists() else []

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "guide": GuideSitemap,
    "guide-stages": StageSitemap,
    "readiness": ReadinessSitemap,
    "resources": ResourceSitemap,
    "resource-topics": TopicSitemap,
}
