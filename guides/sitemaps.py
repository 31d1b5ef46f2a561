from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class GuideSitemap(Sitemap):
    def items(self):
        return ["guides:overview"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"guide": GuideSitemap}
