from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path
from django.views.generic import TemplateView

from casestudies.sitemaps import SITEMAPS as CASE_STUDY_SITEMAPS
from enquiries.sitemaps import SITEMAPS as ENQUIRY_SITEMAPS
from enquiries.views import ContactView
from guides.sitemaps import SITEMAPS as GUIDE_SITEMAPS

from . import changes, views
from .site_search.views import SearchView
from .sitemaps import LatestChangesSitemap, PageSitemap

admin.site.site_header = "Mutuals Information Service admin"
admin.site.site_title = "Mutuals Information Service admin"
admin.site.index_title = "Manage the site's content and enquiries"

sitemaps = {
    "pages": PageSitemap,
    "latest-changes": LatestChangesSitemap,
    **GUIDE_SITEMAPS,
    **CASE_STUDY_SITEMAPS,
    **ENQUIRY_SITEMAPS,
}

portal_patterns = (
    [
        path("", views.HomeView.as_view(), name="home"),
        path("contact/", ContactView.as_view(), name="contact"),
        path("search/", SearchView.as_view(), name="search"),
        path("latest-changes/", changes.LatestChangesView.as_view(), name="latest-changes"),
        path("latest-changes/feed/", changes.LatestChangesFeed(), name="latest-changes-feed"),
        path("<slug:slug>/", views.PageDetailView.as_view(), name="page-detail"),
    ],
    "portal",
)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots",
    ),
    path("favicon.ico", views.favicon, name="favicon"),
    # What nginx shows, with status 429, to a client asking for too many uncached pages
    # (deploy/nginx/portal.conf).
    path(
        "too-many-requests/",
        TemplateView.as_view(template_name="too_many_requests.html"),
        name="too-many-requests",
    ),
    path("sitemap.xml", sitemap_views.sitemap, {"sitemaps": sitemaps}, name="sitemap"),
    path("", include("guides.urls")),
    path("", include("casestudies.urls")),
    path("", include("enquiries.urls")),
    path("page-feedback/", include("portal.feedback.urls")),
    # Last, so a page's slug never hides another app's address.
    path("", include(portal_patterns)),
]

handler400 = "portal.views.bad_request"
handler500 = "portal.views.server_error"
