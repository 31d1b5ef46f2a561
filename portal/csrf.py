"""Cross-site request forgery checks for small forms on pages that are cached for everyone."""

from functools import wraps

from django.conf import settings
from django.views.decorators.csrf import csrf_exempt

from .views import csrf_failure


def came_from_this_site(request):
    """Whether the browser says this POST was sent from one of this site's own pages.

    Browsers send Sec-Fetch-Site (since 2020-2023) and Origin on every POST; either is enough.
    A client that sends neither (a very old browser, a script) is let through: such a browser
    also predates the SameSite cookies the site sets, and a script has no visitor's session.
    """
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site:
        return fetch_site == "same-origin"
    origin = request.headers.get("origin")
    if origin is None:
        return True
    own = f"{request.scheme}://{request.get_host()}"
    return origin == own or origin in settings.CSRF_TRUSTED_ORIGINS


def same_site_post(view):
    """Protect a form that carries no CSRF token, by where the browser says it came from.

    A per-visitor token in a page would stop that page being shared from the cache. These
    forms only change the sender's own session (the guide's progress checklist), whose cookie
    is SameSite=Lax and so is not sent with a POST from another site anyway.
    """

    @csrf_exempt
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not came_from_this_site(request):
            return csrf_failure(request, reason="The form was not sent from this site.")
        return view(request, *args, **kwargs)

    return wrapped
