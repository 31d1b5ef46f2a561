"""Loading the shipped partners and routing rules (partners.toml)."""

from pathlib import Path

from enquiries.models import Partner, RoutingRule
from guides.models import Stage, Topic
from portal.core.content import LoadReport, read_toml, upsert

PARTNERS_FILE = Path(__file__).parent / "partners.toml"


def set_links_if_needed(obj, outcome, reset, **related):
    """Set many-to-many links on a new row, or on an existing one when reset is asked for."""
    if outcome == "unchanged" and not reset:
        return outcome
    changed = False
    for name, rows in related.items():
        manager = getattr(obj, name)
        if {r.pk for r in manager.all()} != {r.pk for r in rows}:
            manager.set(rows)
            changed = True
    return "updated" if outcome == "unchanged" and changed else outcome


def upsert_with_links(model, lookup, values, reset, report, kind, **related):
    scratch = LoadReport()
    obj = upsert(model, lookup, values, reset, scratch, kind)
    outcome = next(name for name, n in scratch.counts[kind].items() if n)
    if outcome == "created" or reset:
        outcome = set_links_if_needed(obj, outcome, reset, **related)
    report.add(kind, outcome)
    return obj


def load_partners(reset, report, path=PARTNERS_FILE):
    """Create the shipped partners and routing rules; edits made in admin survive a reload."""
    content = read_toml(path)
    stages = {s.slug: s for s in Stage.objects.all()}
    topics = {t.slug: t for t in Topic.objects.all()}
    partners = {}
    for item in content["partner"]:
        values = {
            "name": item["name"],
            "description": item["description"],
            "helps_with": item["helps_with"],
            "website": item.get("website", ""),
            "notification_emails": "\n".join(item["emails"]),
            "is_fallback": item.get("fallback", False),
            "is_active": True,
        }
        partners[item["slug"]] = upsert_with_links(
            Partner,
            {"slug": item["slug"]},
            values,
            reset,
            report,
            "Partners",
            stages=[stages[s] for s in item.get("stages", []) if s in stages],
            topics=[topics[t] for t in item.get("topics", []) if t in topics],
        )
    for item in content.get("rule", []):
        values = {
            "priority": item["priority"],
            "destination": partners[item["destination"]],
            "roles": item.get("roles", []),
            "organisation_types": item.get("organisation_types", []),
            "keywords": ", ".join(item.get("keywords", [])),
            "copy_mutuals_team": item.get("copy_mutuals_team", False),
            "is_active": True,
        }
        upsert_with_links(
            RoutingRule,
            {"name": item["name"]},
            values,
            reset,
            report,
            "Routing rules",
            stages=[stages[s] for s in item.get("stages", []) if s in stages],
            topics=[topics[t] for t in item.get("topics", []) if t in topics],
        )
