from django import template

from guides.library.search import search_snippet as snippet

register = template.Library()


@register.simple_tag
def search_snippet(resource, text):
    """A result's summary, or with a search `text` the passage that matched, marked."""
    return snippet(resource, text)
