"""The guide's shipped stages and tasks, and the resource library's topics and resources."""

import importlib.util
from pathlib import Path

from portal.core.content import markdown_text, read_toml, upsert
from portal.core.publishing import Status

from .models import Publisher, Resource, Stage, Task, Topic

STAGES_FILE = Path(__file__).parent / "content" / "stages.toml"
LIBRARY_FILE = Path(__file__).parent / "content" / "library.toml"


def stage_lookup(item):
    """Find a shipped stage by slug, or by number if an editor has changed its slug."""
    if Stage.objects.filter(slug=item["slug"]).exists():
        return {"slug": item["slug"]}
    renamed = Stage.objects.filter(number=item["number"]).values_list("pk", flat=True).first()
    return {"pk": renamed} if renamed else {"slug": item["slug"]}


def load_guide(reset, report, path=STAGES_FILE):
    """Create the shipped stages and tasks, keyed on slugs; existing ones change only on reset."""
    for item in read_toml(path)["stage"]:
        values = {
            "number": item["number"],
            "title": item["title"],
            "summary": item["summary"],
            "body": markdown_text(item.get("body", "")),
            "end_result": markdown_text(item.get("end_result", "")),
            "last_reviewed": item["last_reviewed"],
            "status": Status.PUBLISHED,
        }
        stage = upsert(Stage, stage_lookup(item), values, reset, report, "Stages")
        for position, task in enumerate(item.get("task", []), start=1):
            values = {
                "title": task["title"],
                "body": markdown_text(task.get("body", "")),
                "optional": task.get("optional", False),
                "relation": task.get("relation", ""),
                "position": position * 10,
                "status": Status.PUBLISHED,
            }
            upsert(Task, {"stage": stage, "slug": task["slug"]}, values, reset, report, "Tasks")


def existing_or_slug(model, item, field):
    """Find a shipped row by slug, or by its unique name if an editor has changed its slug."""
    if model.objects.filter(slug=item["slug"]).exists():
        return {"slug": item["slug"]}
    renamed = model.objects.filter(**{field: item[field]}).values_list("pk", flat=True).first()
    return {"pk": renamed} if renamed else {"slug": item["slug"]}


def shipped_stages():
    """The shipped stages by their shipped slug, found even if an editor has renamed one."""
    stages = {}
    for item in read_toml(STAGES_FILE)["stage"]:
        stage = Stage.objects.filter(**stage_lookup(item)).first()
        if stage:
            stages[item["slug"]] = stage
    return stages


def update_search_vectors(resource_pks):
    """Refresh the full-text index for the resources this load wrote, where search is built."""
    # guides.search may not exist yet; an error inside it should still surface.
    if not resource_pks or importlib.util.find_spec("guides.search") is None:
        return
    update = getattr(importlib.import_module("guides.search"), "update_search_vectors", None)
    if update:
        update(Resource.objects.filter(pk__in=resource_pks))


def load_library(reset, report, path=LIBRARY_FILE):
    """Create the shipped topics, publishers and resources, keyed on slugs.

    Existing rows, and the tags of existing resources, change only on reset.
    """
    content = read_toml(path)
    topics = {
        item["slug"]: upsert(
            Topic,
            existing_or_slug(Topic, item, "name"),
            {"name": item["name"], "description": item["description"]},
            reset,
            report,
            "Topics",
        )
        for item in content.get("topic", [])
    }
    publishers = {
        item["slug"]: upsert(
            Publisher,
            existing_or_slug(Publisher, item, "name"),
            {"name": item["name"]},
            reset,
            report,
            "Publishers",
        )
        for item in content.get("publisher", [])
    }
    stages = shipped_stages()
    for item in content.get("resource", []):
        values = {
            "title": item["title"],
            "summary": item["summary"],
            "body": markdown_text(item.get("body", "")),
            "resource_type": item["resource_type"],
            "publisher": publishers[item["publisher"]] if item.get("publisher") else None,
            "published_on": item.get("published_on"),
            "published_precision": item.get("published_precision", Resource.DatePrecision.DAY),
            "not_legal_advice": item.get("not_legal_advice", False),
            "last_reviewed": item["last_reviewed"],
            "status": Status.PUBLISHED,
        }
        upsert(
            Resource,
            existing_or_slug(Resource, item, "title"),
            values,
            reset,
            report,
            "Resources",
            m2m={
                "topics": [topics[slug] for slug in item["topics"]],
                "stages": [stages[slug] for slug in item["stages"] if slug in stages],
            },
        )
    update_search_vectors(report.written.get("Resources", []))
