"""How a search's words become a database query and a highlighted snippet.

On PostgreSQL the search is full-text over each resource's stored vector (search_index.py);
on SQLite every word typed must appear. ResourceQuerySet.search() chooses between them.
"""

import re
import string

from django.contrib.postgres.search import SearchHeadline, SearchQuery
from django.db import connection
from django.db.models import TextField, Value
from django.db.models.functions import Concat, Replace
from django.utils.html import escape
from django.utils.safestring import mark_safe

CONFIG = "english"
# Highlight markers that cannot occur in the text (they are removed from it first), so the
# snippet can be escaped as a whole and only these become <mark> tags.
START_SEL, STOP_SEL = "\x02", "\x03"
SNIPPET_WORDS = 35
# Markdown punctuation that reads as noise in a plain-text snippet.
MARKDOWN_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
MARKDOWN_NOISE = re.compile(r"(^|\s)#{1,6}\s|[*_`>]+|^\s*[-+]\s", re.MULTILINE)
WORD_EDGES = string.punctuation + "“”‘’"


def uses_full_text_search():
    return connection.vendor == "postgresql"


def search_words(text):
    """The words of a search, without the quotes and operators PostgreSQL's syntax allows."""
    words = (word.strip(WORD_EDGES) for word in text.split())
    return [word for word in dict.fromkeys(words) if word and word.lower() != "or"]


def websearch_query(text):
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def search_headline(query):
    """The passage of a resource's summary and body that `query` matched, words marked."""
    text = Concat("summary", Value("\n\n"), "body", output_field=TextField())
    without_markers = Replace(
        Replace(text, Value(START_SEL), Value("")), Value(STOP_SEL), Value("")
    )
    return SearchHeadline(
        without_markers,
        query,
        config=CONFIG,
        start_sel=START_SEL,
        stop_sel=STOP_SEL,
        max_words=SNIPPET_WORDS,
        min_words=15,
    )


def search_snippet(resource, text):
    """What a result shows under its title: its summary, or for a search what matched, marked.

    `resource` comes from ResourceQuerySet.search(text), which gives it a headline on PostgreSQL.
    """
    if not text:
        return resource.summary
    if uses_full_text_search():
        return highlighted_snippet(resource.headline)
    return mark_words(resource.summary, search_words(text))


def highlighted_snippet(headline):
    """A ts_headline result as safe HTML: everything escaped except our own <mark> tags."""
    text = MARKDOWN_LINK.sub(r"\1", headline)
    text = MARKDOWN_NOISE.sub(r"\1", text)
    text = " ".join(text.split())
    html = escape(text).replace(START_SEL, "<mark>").replace(STOP_SEL, "</mark>")
    return mark_safe(html)  # noqa: S308 - escaped above; only our markers became tags


def mark_words(text, words):
    """`text` escaped, with each of `words` wrapped in <mark> wherever it appears."""
    words = sorted({w for w in words if w}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)
    parts, last = [], 0
    for match in pattern.finditer(text):
        parts.append(escape(text[last : match.start()]))
        parts.append(f"<mark>{escape(match.group())}</mark>")
        last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every piece of text is escaped
