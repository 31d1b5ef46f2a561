"""Loading the content shipped in each app's content/ folder."""

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .models import Page, Status

PAGES_FILE = Path(__file__).parent / "content" / "pages.toml"


@dataclass
class LoadReport:
    """What a load created, updated (with --reset) and left alone, per kind of content."""

    counts: dict = field(default_factory=dict)

    def add(self, kind, outcome):
        self.counts.setdefault(kind, {"created": 0, "updated": 0, "unchanged": 0})
        self.counts[kind][outcome] += 1

    def lines(self):
        for kind, c in self.counts.items():
            yield (
                f"{kind}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged"
            )


def read_toml(path):
    with path.open("rb") as f:
        return tomllib.load(f)


def upsert(model, lookup, values, reset, report, kind):
    """Create a row from shipped content; overwrite an existing one only when reset is asked for."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        report.add(kind, "created")
    elif reset and any(getattr(obj, name) != value for name, value in values.items()):
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        report.add(kind, "updated")
    else:
        report.add(kind, "unchanged")
    return obj


def load_pages(reset, report):
    for item in read_toml(PAGES_FILE)["page"]:
        values = {
            "title": item["title"],
            "summary": item.get("summary", ""),
            "body": item["body"].strip() + "\n",
            "last_reviewed": item["last_reviewed"],
            "status": Status.PUBLISHED,
        }
        upsert(Page, {"slug": item["slug"]}, values, reset, report, "Pages")
