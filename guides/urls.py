from django.urls import path

from . import views
from .library import feeds, files
from .library import views as library_views
from .readiness import urls as readiness_urls

app_name = "guides"

urlpatterns = [
    path("how-to-set-up-a-mutual/", views.GuideOverviewView.as_view(), name="overview"),
    path("how-to-set-up-a-mutual/print/", views.GuidePrintView.as_view(), name="print"),
    path("how-to-set-up-a-mutual/progress/", views.update_progress, name="progress"),
    path("how-to-set-up-a-mutual/progress/reset/", views.reset_progress, name="progress-reset"),
    path(
        "how-to-set-up-a-mutual/<slug:slug>/",
        views.StageDetailView.as_view(),
        name="stage-detail",
    ),
    *readiness_urls.urlpatterns,
    path("resources/", library_views.ResourceListView.as_view(), name="resource-list"),
    path("resources/feed/", feeds.ResourceFeed(), name="resource-feed"),
    path(
        "resources/topics/<slug:slug>/",
        library_views.TopicDetailView.as_view(),
        name="topic-detail",
    ),
    path(
        "resources/<slug:slug>/",
        library_views.ResourceDetailView.as_view(),
        name="resource-detail",
    ),
    path("resources/<slug:slug>/download/", files.download, name="resource-download"),
]
