"""Requests refused before any view sees them."""

from django.core.exceptions import BadRequest
from django.http import Http404


class NulCharacterMiddleware:
    """Refuse a NUL character (%00) in the address or a cookie before it can reach a query.

    PostgreSQL refuses any text holding one, so a NUL that reached a query would be a server
    error. No page has one in its address, so that is not found (404); in the query string or
    a cookie it is a bad request (400). Form fields need no check here: Django's form fields
    refuse NUL with a message of their own.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path_info:
            raise Http404("No address has a NUL character.")
        query_string = request.META.get("QUERY_STRING", "")
        if (
            "%00" in query_string
            or "\x00" in query_string
            or any("\x00" in name + value for name, value in request.COOKIES.items())
        ):
            raise BadRequest("NUL character in the query string or a cookie.")
        return self.get_response(request)
