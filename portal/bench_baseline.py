"""The benchmark's yardstick: a minimal Django view, with no database and no middleware.

Served by gunicorn with the same settings as the site (`gunicorn portal.bench_baseline`), it
shows what Django itself costs on this machine; every page is reported as a share of it.
Used only by `manage.py benchmark`.
"""

import django
from django.conf import settings

settings.configure(
    DEBUG=False,
    SECRET_KEY="benchmark-baseline-only",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
)
django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402 - needs the settings above
from django.http import HttpResponse  # noqa: E402
from django.urls import path  # noqa: E402


def minimal(request):
    return HttpResponse("A fixed, short page.\n", content_type="text/plain")


urlpatterns = [path("", minimal)]

application = get_wsgi_application()
