from django.urls import path

from . import views

app_name = "casestudies"

urlpatterns = [
    path("case-studies/", views.CaseStudyListView.as_view(), name="case-study-list"),
    path(
        "case-studies/<slug:slug>/",
        views.CaseStudyDetailView.as_view(),
        name="case-study-detail",
    ),
    path("mutuals/", views.MutualListView.as_view(), name="mutual-list"),
    path("mutuals/export.csv", views.export_csv, name="mutual-export-csv"),
    path("mutuals/export.json", views.export_json, name="mutual-export-json"),
]
