from django.urls import path

from . import views

app_name = "guides"

urlpatterns = [
    path("how-to-set-up-a-mutual/", views.GuideOverviewView.as_view(), name="overview"),
    path("resources/", views.ResourceListView.as_view(), name="resource-list"),
]
