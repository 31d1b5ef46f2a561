"""Loading shipped content: each app's loader reads its TOML and writes rows through upsert()."""

import tomllib
from dataclasses import dataclass, field

OUTCOMES = ("created", "updated", "unchanged")


@dataclass
class LoadReport:
    """What a load created, updated (with --reset) and left alone, per kind of content."""

    counts: dict = field(default_factory=dict)
    # The primary keys of the rows created or updated, per kind, for work that follows a load.
    written: dict = field(default_factory=dict)

    def add(self, kind, outcome, row=None):
        self.counts.setdefault(kind, dict.fromkeys(OUTCOMES, 0))
        self.counts[kind][outcome] += 1
        if row is not None and outcome != "unchanged":
            self.written.setdefault(kind, []).append(row.pk)

    def lines(self):
        for kind, c in self.counts.items():
            yield (
                f"{kind}: {c['created']} created, {c['updated']} updated, "
                f"{c['unchanged']} unchanged"
            )


def read_toml(path):
    with path.open("rb") as f:
        return tomllib.load(f)


def markdown_text(value):
    """Markdown from a TOML string: trimmed, with one closing newline, or empty."""
    return value.strip() + "\n" if value.strip() else ""


def upsert(model, lookup, values, reset, report, kind, m2m=None):
    """Create a row from shipped content; overwrite an existing one only when reset is asked for.

    `m2m` maps many-to-many fields to the rows they should hold, such as {"topics": [...]}:
    a new row gets them, and a reset puts them back where they differ. The report counts the
    row as created, updated (its values or links changed) or unchanged. Returns the row.
    """
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if created:
        _set_links(obj, m2m)
        if m2m and hasattr(obj, "settle_review_by"):
            # Its review date was set before it had topics, which may shorten it.
            obj.settle_review_by()
        outcome = "created"
    elif reset:
        changed = any(getattr(obj, name) != value for name, value in values.items())
        if changed:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()
        relinked = _set_links(obj, m2m)
        outcome = "updated" if changed or relinked else "unchanged"
    else:
        outcome = "unchanged"
    report.add(kind, outcome, obj)
    return obj


def _set_links(obj, m2m):
    """Make each many-to-many field hold exactly the rows given; say whether any changed."""
    changed = False
    for name, rows in (m2m or {}).items():
        manager = getattr(obj, name)
        if {row.pk for row in manager.all()} != {row.pk for row in rows}:
            manager.set(rows)
            changed = True
    return changed
