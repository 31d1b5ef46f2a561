from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from django.urls import reverse

from .models import CaseStudy, Mutual


class CaseStudySitemap(Sitemap):
    def items(self):
        return CaseStudy.objects.published().only("slug", "public_updated_at").order_by("slug")

    def lastmod(self, case_study):
        return case_study.public_updated_at


class CaseStudyIndexSitemap(Sitemap):
    """The case study list and the directory, last modified with their latest entry."""

    LATEST = {
        "casestudies:case-study-list": (CaseStudy, "public_updated_at"),
        "casestudies:mutual-list": (Mutual, "public_updated_at"),
    }

    def items(self):
        return list(self.LATEST)

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        model, field = self.LATEST[item]
        return model.objects.published().aggregate(latest=Max(field))["latest"]


SITEMAPS = {"case-study-lists": CaseStudyIndexSitemap, "case-studies": CaseStudySitemap}
