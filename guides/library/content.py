"""The resource library's shipped topics, publishers and resources."""

from pathlib import Path

from guides.content import shipped_stages
from portal.core.content import markdown_text, read_toml, upsert
from portal.core.publishing import Status

from .models import Publisher, Resource, Topic
from .search_index import update_search_vectors

LIBRARY_FILE = Path(__file__).parent.parent / "content" / "library.toml"


def existing_or_slug(model, item, field):
    """Find a shipped row by slug, or by its unique name if an editor has changed its slug."""
    if model.objects.filter(slug=item["slug"]).exists():
        return {"slug": item["slug"]}
    renamed = model.objects.filter(**{field: item[field]}).values_list("pk", flat=True).first()
    return {"pk": renamed} if renamed else {"slug": item["slug"]}


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
    # The loader's bulk writes skip the signals that keep search vectors current.
    written = report.written.get("Resources", [])
    if written:
        update_search_vectors(Resource.objects.filter(pk__in=written))
