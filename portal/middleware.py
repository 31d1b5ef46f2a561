"""Request handling that has to happen before Django's own middleware, and the client address."""

from django.conf import settings

from . import views

HEALTHZ_PATH = "/healthz"


class HealthCheckMiddleware:
    """Answer /healthz before anything looks at the Host header.

    Load balancers probe each app server by its IP address, which ALLOWED_HOSTS would refuse
    with a 400. The answer says only whether the database responds, so it is safe for any
    host. It sits after SecurityMiddleware, whose HTTPS redirect skips /healthz in production
    (SECURE_REDIRECT_EXEMPT) without reading the host, so the usual headers are still sent.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # path_info, not get_host() or build_absolute_uri(): those validate the host.
        if request.path_info == HEALTHZ_PATH and request.method in ("GET", "HEAD"):
            return views.healthz(request)
        return self.get_response(request)


def client_ip_address(request):
    """The address that sent the request, as the nearest trusted proxy saw it.

    With TRUSTED_PROXY_COUNT = 0 that is REMOTE_ADDR. Each trusted proxy appends the address
    it received the request from to X-Forwarded-For, so with N proxies the client is the Nth
    entry from the right; anything further left was written by the client and is ignored.
    """
    count = settings.TRUSTED_PROXY_COUNT
    remote_addr = request.META.get("REMOTE_ADDR")
    if count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < count:
        # Fewer entries than proxies: the chain is not what was configured; trust nothing.
        return remote_addr
    return forwarded[-count]
