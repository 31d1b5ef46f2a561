from django.contrib.sitemaps import Sitemap
from django.urls import reverse


class NamedPagesSitemap(Sitemap):
    """Pages of the enquiry service found by their URL names."""

    url_names = ()

    def items(self):
        return list(self.url_names)

    def location(self, item):
        return reverse(item)


class ContactSitemap(NamedPagesSitemap):
    """The contact form, at /contact/."""

    url_names = ("enquiries:contact",)


class SupportSitemap(NamedPagesSitemap):
    """Who can help."""

    url_names = ("enquiries:support",)


SITEMAPS = {"contact": ContactSitemap, "support": SupportSitemap}
