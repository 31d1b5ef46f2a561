"""Which addresses visitors may answer 'Is this page useful?' about, and the item each shows.

The form sends the page's path, nothing else about the page: the content item is found here
from the path, through the same URL patterns and published querysets the pages use, so no id
a visitor could change is ever believed.
"""

from django.apps import apps
from django.urls import Resolver404, resolve
from django.views.generic.base import TemplateResponseMixin

from .models import MAX_PATH_LENGTH

# Public pages live in these URL namespaces; the admin and this feature's own pages do not.
PUBLIC_NAMESPACES = {"portal", "guides", "casestudies", "enquiries"}


def _standalone_page(kwargs):
    page = apps.get_model("portal", "Page")
    pages = page.objects.published().standalone().exclude(slug=page.HOME_SLUG)
    return pages.filter(slug=kwargs["slug"])


def _published(app_label, model_name):
    def lookup(kwargs):
        return apps.get_model(app_label, model_name).objects.published().filter(slug=kwargs["slug"])

    return lookup


def _topic(kwargs):
    return apps.get_model("guides", "Topic").objects.filter(slug=kwargs["slug"])


def _home(kwargs):
    page = apps.get_model("portal", "Page")
    return page.objects.published().filter(slug=page.HOME_SLUG)


def _guide_intro(kwargs):
    page = apps.get_model("portal", "Page")
    return page.objects.published().filter(slug=page.GUIDE_INTRO_SLUG)


# URL name -> the item its page shows, from the address's own parts, as that page finds it.
ITEM_LOOKUPS = {
    "portal:home": _home,
    "portal:page-detail": _standalone_page,
    "guides:overview": _guide_intro,
    "guides:stage-detail": _published("guides", "Stage"),
    "guides:topic-detail": _topic,
    "guides:resource-detail": _published("guides", "Resource"),
    "casestudies:case-study-detail": _published("casestudies", "CaseStudy"),
}
# The models whose pages are answered about, for the admin's summary on their change pages.
ITEM_MODELS = {
    ("portal", "page"),
    ("guides", "stage"),
    ("guides", "topic"),
    ("guides", "resource"),
    ("casestudies", "casestudy"),
}


class NotAPage(ValueError):
    """The path is not one of this site's public pages."""


def answerable(match):
    """Whether a resolved address is a public page (a view that renders an HTML template)."""
    view_class = getattr(match.func, "view_class", None)
    return (
        match.namespace in PUBLIC_NAMESPACES
        and view_class is not None
        and issubclass(view_class, TemplateResponseMixin)
    )


def resolve_page(path):
    """The URL match for a public page's path, or NotAPage."""
    if not isinstance(path, str) or not path.startswith("/") or path.startswith("//"):
        raise NotAPage("not a path on this site")
    if len(path) > MAX_PATH_LENGTH:
        raise NotAPage("too long")
    if any(ord(character) < 32 or character in "\\?#" for character in path):
        raise NotAPage("holds characters no page address has")
    try:
        match = resolve(path)
    except Resolver404:
        raise NotAPage("no page has this address") from None
    if not answerable(match):
        raise NotAPage("not a public page")
    return match


def page_and_item(path):
    """The checked path and the content item its page shows (or None), else NotAPage.

    An address with parts (a slug) is a page only if its item is published; one without is a
    fixed page, whose item, if it has one, may not exist (a home page with no text yet).
    """
    match = resolve_page(path)
    lookup = ITEM_LOOKUPS.get(match.view_name)
    if lookup is None:
        if match.kwargs or match.args:
            raise NotAPage("an address with parts that names no known item")
        return path, None
    item = lookup(match.kwargs).first()
    if item is None and match.kwargs:
        raise NotAPage("no published item has this address")
    return path, item


def has_feedback(model):
    """Whether answers are given about items of `model` (on pages of their own)."""
    return (model._meta.app_label, model._meta.model_name) in ITEM_MODELS
