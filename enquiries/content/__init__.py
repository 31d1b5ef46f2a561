"""Loading the shipped partners and routing rules (partners.toml)."""

from pathlib import Path

from enquiries.models import Partner, RoutingRule
from guides.models import Stage, Topic
from portal.core.content import read_toml, upsert

PARTNERS_FILE = Path(__file__).parent / "partners.toml"


def links(item, stages, topics):
    """The guide stages and topics an item names, skipping any the site does not have."""
    return {
        "stages": [stages[slug] for slug in item.get("stages", []) if slug in stages],
        "topics": [topics[slug] for slug in item.get("topics", []) if slug in topics],
    }


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
        partners[item["slug"]] = upsert(
            Partner, {"slug": item["slug"]}, values, reset, report, "Partners",
            m2m=links(item, stages, topics),
        )  # fmt: skip
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
        upsert(
            RoutingRule, {"name": item["name"]}, values, reset, report, "Routing rules",
            m2m=links(item, stages, topics),
        )  # fmt: skip
