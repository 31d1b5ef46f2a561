"""The stored full-text index: each resource's weighted `search_vector`, on PostgreSQL only.

Title A, summary and topic names B, publisher C, body D. The signal handlers here keep each
vector current as what it is built from changes; bulk work (loading content, generating demo
data) sends no signals, so it calls update_search_vectors() afterwards.
"""

from django.contrib.postgres.search import SearchVector
from django.db.models import OuterRef, StringAgg, Subquery, Value
from django.db.models.signals import m2m_changed, post_save, pre_delete

from .models import Publisher, Resource, Topic
from .search import CONFIG, uses_full_text_search


def search_vector_expression(leaving_out_topic=None):
    """The weighted document each resource is searched by, as one SQL expression.

    UPDATE cannot join, so topic and publisher names come in through subqueries.
    `leaving_out_topic` builds the vectors as they will be once that topic is gone.
    """
    topics = Topic.objects.filter(resources=OuterRef("pk"))
    if leaving_out_topic is not None:
        topics = topics.exclude(pk=leaving_out_topic.pk)
    topic_names = Subquery(
        topics.order_by()
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


def update_search_vectors(queryset=None, leaving_out_topic=None):
    """Recompute the stored search vectors of `queryset` (all resources by default).

    One UPDATE statement whatever the number of rows. Does nothing outside PostgreSQL,
    where search matches words directly and needs no vector.
    """
    if not uses_full_text_search():
        return 0
    if queryset is None:
        queryset = Resource.objects.all()
    return queryset.update(search_vector=search_vector_expression(leaving_out_topic))


# Signal handlers: keep each resource's vector current when anything it is built from changes.


def resource_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        update_search_vectors(Resource.objects.filter(pk=instance.pk))


def resource_topics_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A resource's topics changed: from the resource's side, or from a topic's (`reverse`)."""
    if not reverse:
        if action in ("post_add", "post_remove", "post_clear"):
            update_search_vectors(Resource.objects.filter(pk=instance.pk))
    elif action in ("post_add", "post_remove"):
        update_search_vectors(Resource.objects.filter(pk__in=pk_set))
    elif action == "pre_clear":
        # Once cleared, nothing says which resources had the topic, so they are updated now,
        # in the same transaction, as they will read without it.
        topic_resources = Resource.objects.filter(topics=instance)
        update_search_vectors(topic_resources, leaving_out_topic=instance)


def topic_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        update_search_vectors(Resource.objects.filter(topics=instance))


def topic_deleting(sender, instance, **kwargs):
    """Before a topic goes (in the deletion's transaction), its resources read without it."""
    update_search_vectors(Resource.objects.filter(topics=instance), leaving_out_topic=instance)


def publisher_saved(sender, instance, raw=False, created=False, **kwargs):
    if not raw and not created:
        update_search_vectors(Resource.objects.filter(publisher=instance))


def connect_signals():
    """Called from the app config's ready()."""
    uid = "guides.library.search_index"
    post_save.connect(resource_saved, sender=Resource, dispatch_uid=f"{uid}.resource")
    m2m_changed.connect(
        resource_topics_changed, sender=Resource.topics.through, dispatch_uid=f"{uid}.topics"
    )
    post_save.connect(topic_saved, sender=Topic, dispatch_uid=f"{uid}.topic")
    pre_delete.connect(topic_deleting, sender=Topic, dispatch_uid=f"{uid}.topic-deleting")
    post_save.connect(publisher_saved, sender=Publisher, dispatch_uid=f"{uid}.publisher")
