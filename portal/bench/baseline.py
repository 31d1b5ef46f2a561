"""The benchmark's yardstick: a minimal Django view, with no database and no middleware.

Served by gunicorn with the same settings as the site
(`gunicorn "portal.bench.baseline:create_application()"`), it shows what Django itself costs on
this machine; every page is reported as a share of it. Used only by `manage.py benchmark`.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path


def minimal(request):
    return HttpResponse("A fixed, short page.\n", content_type="text/plain")


urlpatterns = [path("", minimal)]


def create_application():
    """Settings of its own, made when gunicorn asks, so importing this module changes nothing."""
    settings.configure(
        DEBUG=False,
        SECRET_KEY="benchmark-baseline-only",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        MIDDLEWARE=[],
        INSTALLED_APPS=[],
        DATABASES={},
    )
    return get_wsgi_application()  # runs django.setup()
