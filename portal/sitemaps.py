from django.contrib.sitemaps import Sitemap

from .models import Page


class PageSitemap(Sitemap):
    def items(self):
        return Page.objects.published().standalone().order_by("slug")

    def lastmod(self, page):
        return page.last_updated
