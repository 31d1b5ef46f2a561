from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from .models import Page


class BreadcrumbsMixin:
    """Adds GOV.UK breadcrumbs: Home, then whatever get_breadcrumbs() adds."""

    def get_breadcrumbs(self):
        return [{"text": "Home", "href": reverse("portal:home")}]

    def get_context_data(self, **kwargs):
        return super().get_context_data(breadcrumbs=self.get_breadcrumbs(), **kwargs)


class HomeView(TemplateView):
    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["page"] = Page.objects.published().filter(slug=Page.HOME_SLUG).first()
        return context


class PageDetailView(BreadcrumbsMixin, DetailView):
    template_name = "portal/page_detail.html"
    context_object_name = "page"

    def get_queryset(self):
        return Page.objects.published().standalone().exclude(slug=Page.HOME_SLUG)


def healthz(request):
    """200 when the database answers, 503 when it does not: for load balancers and uptime checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def server_error(request):
    """The 500 page, rendered with the request so the header, nonce and footer still work."""
    return render(request, "500.html", status=500)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the hashed file."""
    return HttpResponsePermanentRedirect(static("govuk/assets/images/favicon.ico"))
