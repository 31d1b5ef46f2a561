from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class SupportSitemap(Sitemap):
    """The public pages of the enquiry service: who can help, and the contact form."""

    def items(self):
        return ["enquiries:support"]

    def location(self, item):
        return reverse(item)


SITEMAPS = {"support": SupportSitemap}
