from django.urls import path

from . import views

app_name = "feedback"

urlpatterns = [
    path("", views.send, name="send"),
    path("thank-you/", views.thank_you, name="thank-you"),
]
