from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import render
from django.template import loader
from django.templatetags.static import static
from django.utils import timezone
from django.utils.timesince import timeuntil
from django.views.generic import DetailView, TemplateView

from .context_processors import service
from .core.kept_urls import kept_reverse
from .models import Page


class BreadcrumbsMixin:
    """Adds GOV.UK breadcrumbs: Home, then whatever get_breadcrumbs() adds."""

    def get_breadcrumbs(self):
        return [{"text": "Home", "href": kept_reverse("portal:home")}]

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


def render_without_request(request, template_name, status):
    """An error page that works when the session or the database does not.

    Rendering with the request would run every context processor, and the messages and auth
    ones load the session from the database: if that is what failed, the error page fails too
    and the visitor gets the app server's bare page. Only what the layout needs is passed:
    the header navigation (no database).
    """
    body = loader.get_template(template_name).render(service(request))
    return HttpResponse(body, status=status)


def server_error(request):
    return render_without_request(request, "500.html", status=500)


def bad_request(request, exception=None):
    """400 for a request Django refuses, such as a body over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    return render_without_request(request, "400.html", status=400)


def sign_in_locked_out(request, original_response=None, credentials=None):
    """django-axes' answer once a username has failed to sign in too often from an address."""
    cool_off = settings.AXES_COOLOFF_TIME
    now = timezone.now()
    context = {
        "wait": timeuntil(now + cool_off, now),
        "retry_at": timezone.localtime(now + cool_off),
    }
    return render(request, "locked_out.html", context, status=429)


def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the hashed file."""
    icon = "govuk/assets/images/favicon.ico" if settings.GOVUK_BRANDING else "images/favicon.ico"
    return HttpResponsePermanentRedirect(static(icon))
