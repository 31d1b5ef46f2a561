"""Requests refused before any view sees them."""

from django.core.exceptions import BadRequest
from django.http import Http404

NUL = "\x00"


class NulCharacterMiddleware:
    """Refuse a NUL character (%00) in the address or a cookie before it can reach a query.

    PostgreSQL refuses any text holding one, so a NUL that reached a query would be a server
    error: a session cookie is looked up in the database before any view runs. No page has a
    NUL in its address, so that is not found (404); in a cookie it is a bad request (400).
    Query strings are left to the pages, which drop a NUL from searches and filters; the admin
    refuses them itself (portal/admin_site.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path_info:
            raise Http404("No address has a NUL character.")
        if any(NUL in name + value for name, value in request.COOKIES.items()):
            raise BadRequest("A cookie holds a NUL character.")
        return self.get_response(request)
