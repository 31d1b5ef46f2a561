"""Addresses as reverse() gives them, kept for each URLconf and script prefix: reverse() took a
twentieth of a millisecond, and every page asks for its navigation's and a list for each of
its results'.
"""

import re

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

# What the slug path converter accepts, which reverse() puts in an address unchanged.
PLAIN_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "slug-placeholder"


def urls_in_force():
    """What reverse() depends on besides its arguments."""
    return get_urlconf() or settings.ROOT_URLCONF, get_script_prefix()


# The address of each URL name with no arguments (kept_reverse).
_kept = {}


def kept_reverse(viewname):
    """reverse(viewname), for a URL that takes no arguments."""
    key = (viewname, *urls_in_force())
    url = _kept.get(key)
    if url is None:
        url = _kept[key] = reverse(viewname)
    return url


class SlugURL:
    """`SlugURL("app:name")(slug)` is `reverse("app:name", kwargs={"slug": slug})`: the
    address around the slug is reversed once for each URLconf and script prefix in force.
    """

    def __init__(self, viewname):
        self.viewname = viewname
        self.around = {}

    def __call__(self, slug):
        if not PLAIN_SLUG.fullmatch(slug):
            return reverse(self.viewname, kwargs={"slug": slug})
        key = urls_in_force()
        around = self.around.get(key)
        if around is None:
            url = reverse(self.viewname, kwargs={"slug": PLACEHOLDER})
            before, _, after = url.rpartition(PLACEHOLDER)
            around = self.around[key] = (before, after)
        return f"{around[0]}{slug}{around[1]}"
