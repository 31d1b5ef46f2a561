from django.urls import path

from . import views

app_name = "enquiries"

urlpatterns = [
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("contact/check-your-answers/", views.CheckAnswersView.as_view(), name="check"),
    path("contact/confirmation/", views.ConfirmationView.as_view(), name="confirmation"),
    path("support/", views.SupportView.as_view(), name="support"),
    path(
        "contact/your-enquiry/<str:token>/",
        views.ConversationView.as_view(),
        name="conversation",
    ),
    path(
        "contact/your-enquiry/<str:token>/verdict/",
        views.VerdictView.as_view(),
        name="verdict",
    ),
]
