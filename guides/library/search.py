"""Searching the resource library: full-text search on PostgreSQL, word matching on SQLite.

On PostgreSQL each resource stores a weighted `search_vector` (title A, summary and topic
names B, publisher C, body D). Signal handlers in this module keep it current; bulk work
(loading content, generating demo data) calls `update_search_vectors()` afterwards.
"""

import re
import string

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection
from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Concat, Replace
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Publisher, Resource, Topic

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


def search_vector_expression():
    """The weighted document each resource is searched by, as one SQL expression.

    UPDATE cannot join, so topic and publisher names come in through subqueries.
    """
    topic_names = Subquery(
        Topic.objects.filter(resources=OuterRef("pk"))
        .order_by()
        .values("resources")
        .annotate(names=StringAgg("name", delimiter=Value(" ")))
        .values("names")
    )
    publisher_name = Subquery(Publisher.objects.filter(pk=OuterRef("publisher_id")).values("name"))
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector(topic_names, weight="B", config=CONFIG)
        + SearchVector(publisher_name, weight="C", config=CONFIG)
        + SearchVector("body", weight="D", config=CONFIG)
    )


def update_search_vectors(queryset=None):
    """Recompute the stored search vectors of `queryset` (all resources by default).

    One UPDATE statement whatever the number of rows. Does nothing outside PostgreSQL,
    where search matches words directly and needs no vector.
    """
    if not uses_full_text_search():
        return 0
    if queryset is None:
        queryset = Resource.objects.all()
    return queryset.update(search_vector=search_vector_expression())


def search_words(text):
    """The words of a search, without the quotes and operators PostgreSQL's syntax allows."""
    words = (word.strip(WORD_EDGES) for word in text.split())
    return [word for word in dict.fromkeys(words) if word and word.lower() != "or"]


def search(queryset, text, headline=True):
    """Resources in `queryset` matching `text`, annotated with a `rank` to sort by relevance.

    Full-text search on PostgreSQL (with a highlighted `headline` unless told not to), word
    matching elsewhere.
    """
    if uses_full_text_search():
        return full_text_search(queryset, text, headline=headline)
    return word_search(queryset, text)


def full_text_search(queryset, text, headline=True):
    """PostgreSQL web-search syntax ("quoted phrases", -excluded, or) over the stored vector."""
    query = websearch_query(text)
    queryset = queryset.filter(search_vector=query).annotate(
        rank=SearchRank(F("search_vector"), query)
    )
    if not headline:
        return queryset
    return queryset.annotate(
        headline=SearchHeadline(
            _without_markers(Concat("summary", Value("\n\n"), "body", output_field=TextField())),
            query,
            config=CONFIG,
            start_sel=START_SEL,
            stop_sel=STOP_SEL,
            max_words=SNIPPET_WORDS,
            min_words=15,
        )
    )


def matches_search(queryset, text):
    """The resources in `queryset` that `text` finds, with no rank or snippet: for counting."""
    if uses_full_text_search():
        return queryset.filter(search_vector=websearch_query(text))
    return containing_every_word(queryset, search_words(text))


def websearch_query(text):
    return SearchQuery(text, search_type="websearch", config=CONFIG)


def containing_every_word(queryset, words):
    """Every word must appear in the title, summary, body, publisher or a topic name."""
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(summary__icontains=word)
            | Q(body__icontains=word)
            | Q(publisher__name__icontains=word)
            | Exists(Topic.objects.filter(resources=OuterRef("pk"), name__icontains=word))
        )
    return queryset


def word_search(queryset, text):
    """The fallback where PostgreSQL is not there (SQLite): every word must appear.

    A resource with every word in its title ranks first.
    """
    words = search_words(text)
    if not words:
        return queryset.none().annotate(rank=Value(0))
    in_title = Q()
    for word in words:
        in_title &= Q(title__icontains=word)
    return containing_every_word(queryset, words).annotate(
        rank=Case(When(in_title, then=Value(1)), default=Value(0), output_field=IntegerField())
    )


def _without_markers(expression):
    return Replace(Replace(expression, Value(START_SEL), Value("")), Value(STOP_SEL), Value(""))


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


# Signal handlers: keep each resource's vector current when anything it is built from changes.


def resource_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_search_vectors(Resource.objects.filter(pk=instance.pk))


def resource_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    if action == "pre_clear" and reverse:
        # Clearing a topic's resources: remember which, as post_clear is not told.
        instance._search_resource_ids = list(instance.resources.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        ids = [instance.pk]
    elif action == "post_clear":
        ids = getattr(instance, "_search_resource_ids", [])
    else:
        ids = pk_set or []
    update_search_vectors(Resource.objects.filter(pk__in=ids))


def topic_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        update_search_vectors(Resource.objects.filter(topics=instance))


def topic_deleting(sender, instance, **kwargs):
    instance._search_resource_ids = list(instance.resources.values_list("pk", flat=True))


def topic_deleted(sender, instance, **kwargs):
    ids = getattr(instance, "_search_resource_ids", [])
    update_search_vectors(Resource.objects.filter(pk__in=ids))


def publisher_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        update_search_vectors(Resource.objects.filter(publisher=instance))


def connect_signals():
    """Called from the app config's ready()."""
    uid = "guides.library.search"
    post_save.connect(resource_saved, sender=Resource, dispatch_uid=f"{uid}.resource")
    m2m_changed.connect(
        resource_topics_changed, sender=Resource.topics.through, dispatch_uid=f"{uid}.topics"
    )
    post_save.connect(topic_saved, sender=Topic, dispatch_uid=f"{uid}.topic")
    pre_delete.connect(topic_deleting, sender=Topic, dispatch_uid=f"{uid}.topic-deleting")
    post_delete.connect(topic_deleted, sender=Topic, dispatch_uid=f"{uid}.topic-deleted")
    post_save.connect(publisher_saved, sender=Publisher, dispatch_uid=f"{uid}.publisher")
