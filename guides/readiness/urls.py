from django.urls import path

from . import views

# Included in guides/urls.py, so the names are "guides:readiness-...".
urlpatterns = [
    path("are-you-ready/", views.start, name="readiness-start"),
    path("are-you-ready/questions/<slug:slug>/", views.question, name="readiness-question"),
    path("are-you-ready/check-your-answers/", views.check, name="readiness-check"),
    path("are-you-ready/your-result/", views.result, name="readiness-result"),
    path(
        "are-you-ready/your-result/checklist/", views.add_to_checklist, name="readiness-checklist"
    ),
    path("are-you-ready/your-result/ask-us/", views.ask_us, name="readiness-ask"),
    path("are-you-ready/start-again/", views.start_again, name="readiness-start-again"),
]
