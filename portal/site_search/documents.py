"""How each kind of item becomes a search document, and the signals that keep them current.

A published item has one document; a draft, or an item whose parent is a draft (a task in a
draft stage, a case study about a draft mutual), has none. An active partner has one, which
opens the support page at its section. Saving a stage re-indexes its tasks and saving a mutual
its case studies, since what they show and whether they are public follow.
On PostgreSQL each document's weighted vector (title A, summary B, body C) is written in the
same step; its words join the vocabulary "Did you mean" suggests from (vocabulary.py).
Fixture loading (`raw`) writes nothing; rebuild() indexes everything from scratch.
Writing or deleting documents changes the content version, so every process ranks its
searches afresh (the site search keeps them for the version: filters.py).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchVector
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.urls import reverse

from portal.cache import content_changed_now_and_at_commit
from portal.core.search import CONFIG, uses_full_text_search

from .models import Kind, SearchDocument, SearchWord
from .vocabulary import add_words

# {placeholders} that site pages fill in when shown; they mean nothing to a reader searching.
PLACEHOLDER = re.compile(r"\{[a-z-]+\}")


def join(*texts):
    return "\n\n".join(PLACEHOLDER.sub("", text) for text in texts if text)


@dataclass(frozen=True)
class Indexed:
    """One model the site search covers: which of its rows are public, and their documents."""

    model: str
    kind: str
    public: Callable  # the model's queryset -> the public rows, with what fields() reads
    fields: Callable  # a row -> {title, summary, body, updated}

    @property
    def model_class(self):
        return apps.get_model(self.model)


def stage_fields(stage):
    return {
        "title": f"Stage {stage.number}: {stage.title}",
        "summary": stage.summary,
        "body": join(stage.body, stage.end_result),
        "updated": stage.last_reviewed,
    }


def task_fields(task):
    return {
        "title": task.title,
        "summary": f"Part of stage {task.stage.number} of the guide: {task.stage.title}.",
        "body": join(task.body),
        "updated": task.stage.last_reviewed,
    }


def resource_fields(resource):
    return {
        "title": resource.title,
        "summary": resource.summary,
        "body": join(resource.body),
        "updated": resource.last_reviewed,
    }


def case_study_fields(case_study):
    sections = (getattr(case_study, name) for name, _label in case_study.SECTIONS)
    return {
        "title": case_study.title,
        "summary": case_study.summary,
        "body": join(*sections, case_study.pull_quote),
        "updated": case_study.last_reviewed,
    }


def mutual_fields(mutual):
    facts = [
        mutual.service_area.name if mutual.service_area else "",
        f"From {mutual.parent_body}" if mutual.parent_body else "",
        mutual.place,
        mutual.get_region_display(),
        mutual.status_display,
    ]
    return {
        "title": mutual.name,
        "summary": ". ".join(fact for fact in facts if fact),
        "body": "",
        "updated": mutual.last_reviewed,
    }


def page_fields(page):
    return {
        "title": page.title,
        "summary": page.summary,
        "body": join(page.body),
        "updated": page.last_reviewed,
    }


def partner_fields(partner):
    """A partner as the support page shows it; the result opens the page at its section."""
    return {
        "title": partner.name,
        "summary": f"Who can help: {partner.helps_with}",
        "body": partner.description,
        "updated": partner.last_reviewed,
        "url": f"{reverse('enquiries:support')}#{partner.slug}",
    }


# Partners are sections of the support page, so they are found as pages: a reader looking
# for who can help wants that page, and the type filter keeps the five kinds the site has.
INDEXED = (
    Indexed("guides.Stage", Kind.GUIDE, lambda qs: qs.published(), stage_fields),
    Indexed(
        "guides.Task", Kind.GUIDE, lambda qs: qs.published().select_related("stage"), task_fields
    ),
    Indexed("guides.Resource", Kind.RESOURCE, lambda qs: qs.published(), resource_fields),
    Indexed("casestudies.CaseStudy", Kind.CASE_STUDY, lambda qs: qs.published(), case_study_fields),
    Indexed(
        "casestudies.Mutual",
        Kind.MUTUAL,
        lambda qs: qs.published().select_related("service_area"),
        mutual_fields,
    ),
    Indexed("portal.Page", Kind.PAGE, lambda qs: qs.published().standalone(), page_fields),
    Indexed("enquiries.Partner", Kind.PAGE, lambda qs: qs.active(), partner_fields),
)


def indexed_for(model):
    label = model._meta.label
    return next((indexed for indexed in INDEXED if indexed.model == label), None)


def vector_expression():
    return (
        SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("body", weight="C", config=CONFIG)
    )


def update_vectors(documents):
    """Recompute the stored vectors of `documents` in one statement; nothing on SQLite."""
    if uses_full_text_search():
        documents.update(search_vector=vector_expression())


def index(indexed, pks):
    """Write the documents of the rows `pks` of one model: kept if public, removed if not."""
    model = indexed.model_class
    content_type = ContentType.objects.get_for_model(model)
    public = list(indexed.public(model.objects.filter(pk__in=pks)))
    SearchDocument.objects.filter(content_type=content_type, object_id__in=pks).exclude(
        object_id__in=[row.pk for row in public]
    ).delete()
    documents = []
    for row in public:
        fields = indexed.fields(row)
        if "url" not in fields:
            fields["url"] = row.get_absolute_url()
        document, _ = SearchDocument.objects.update_or_create(
            content_type=content_type,
            object_id=row.pk,
            defaults={"kind": indexed.kind, **fields},
        )
        documents.append(document)
    add_words(documents)
    update_vectors(SearchDocument.objects.filter(content_type=content_type, object_id__in=pks))
    # The item's own save changed the version before its document was written: again, so no
    # process keeps a ranking made in between.
    content_changed_now_and_at_commit()


def add_documents(model, pks, batch_size=1000):
    """Documents for rows of `model` just created in bulk, which sends no signals: written
    in batches of `batch_size`, a few queries each, where index() takes several a row.
    """
    indexed = indexed_for(model)
    content_type = ContentType.objects.get_for_model(model)
    for start in range(0, len(pks), batch_size):
        batch = pks[start : start + batch_size]
        documents = []
        for row in indexed.public(model.objects.filter(pk__in=batch)):
            fields = indexed.fields(row)
            if "url" not in fields:
                fields["url"] = row.get_absolute_url()
            documents.append(
                SearchDocument(
                    content_type=content_type, object_id=row.pk, kind=indexed.kind, **fields
                )
            )
        SearchDocument.objects.bulk_create(documents)
        update_vectors(
            SearchDocument.objects.filter(content_type=content_type, object_id__in=batch)
        )
        add_words(documents)


def index_item(instance):
    """Index one saved item and what depends on it (a stage's tasks, a mutual's case studies)."""
    indexed = indexed_for(type(instance))
    if indexed is None:
        return
    index(indexed, [instance.pk])
    if indexed.model == "guides.Stage":
        index(
            indexed_for(apps.get_model("guides.Task")),
            list(instance.tasks.values_list("pk", flat=True)),
        )
    elif indexed.model == "casestudies.Mutual":
        case_studies = list(instance.case_studies.values_list("pk", flat=True))
        index(indexed_for(apps.get_model("casestudies.CaseStudy")), case_studies)


def rebuild():
    """Index every item from scratch: after bulk writes that send no signals.

    Every document is deleted in one statement and written again in batches (add_documents),
    and the content version changes once. One by one, each with its signal, a rebuild at 10,000
    resources changed the version 20,000 times in 61,000 queries (24 s); now about 100 queries
    (4 s). Run it in a transaction (the command does), so no search sees it half done.
    """
    with connection.cursor() as cursor:
        # Not QuerySet.delete(): with a receiver for the model, it deletes and signals one by one.
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(SearchDocument._meta.db_table)}")
    SearchWord.objects.all().delete()
    for indexed in INDEXED:
        model = indexed.model_class
        add_documents(model, list(model.objects.order_by("pk").values_list("pk", flat=True)))
    content_changed_now_and_at_commit()


def item_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        index_item(instance)


def item_deleted(sender, instance, **kwargs):
    content_type = ContentType.objects.get_for_model(sender)
    SearchDocument.objects.filter(content_type=content_type, object_id=instance.pk).delete()


def document_deleted(sender, **kwargs):
    """However a document goes, what the site search finds changes."""
    content_changed_now_and_at_commit()


def connect_signals():
    """Called from the portal app config's ready()."""
    post_delete.connect(
        document_deleted, sender=SearchDocument, dispatch_uid="portal.site_search.document"
    )
    for indexed in INDEXED:
        model = indexed.model_class
        uid = f"portal.site_search.{indexed.model}"
        post_save.connect(item_saved, sender=model, dispatch_uid=f"{uid}.saved")
        post_delete.connect(item_deleted, sender=model, dispatch_uid=f"{uid}.deleted")
