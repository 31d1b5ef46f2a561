from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .models import Page


class PageSitemap(Sitemap):
    def items(self):
        return Page.objects.published().standalone().order_by("slug")

    def lastmod(self, page):
        return page.last_reviewed


class LatestChangesSitemap(Sitemap):
    """The "Latest changes" page; its entries' own pages are in the other sitemaps."""

    changefreq = "daily"

    def items(self):
        return ["portal:latest-changes"]

    def location(self, name):
        return reverse(name)
