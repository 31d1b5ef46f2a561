"""The finder's search: the shared interface in portal/core/search.py, over each resource's
stored vector (search_index.py) on PostgreSQL, and on SQLite every word typed must appear.
ResourceQuerySet.search() and found_by() call it.
"""

from django.db.models import TextField, Value
from django.db.models.functions import Concat

from portal.core.search import (  # noqa: F401 - the finder's names for the shared interface
    CONFIG,
    START_SEL,
    STOP_SEL,
    headline,
    highlighted_snippet,
    mark_words,
    search_words,
    snippet,
    uses_full_text_search,
    websearch_query,
)


def snippet_text():
    """What a resource's snippet is taken from: its summary, then its body."""
    return Concat("summary", Value("\n\n"), "body", output_field=TextField())


def search_headline(query):
    """The passage of a resource's summary and body that `query` matched, words marked."""
    return headline(snippet_text(), query)


def search_snippet(resource, text):
    """What a result shows under its title: its summary, or for a search what matched, marked.

    `resource` comes from ResourceQuerySet.search(text), which gives it a headline on PostgreSQL.
    """
    return snippet(text, resource.summary, getattr(resource, "headline", None))
