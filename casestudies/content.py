"""The shipped service areas, mutuals (the first Mutual Pathfinders and others), what happened
to them next, and case studies."""

from pathlib import Path

from guides.content import shipped_stages
from guides.models import Topic
from portal.core.content import markdown_text, read_toml, upsert
from portal.core.publishing import Status

from .models import CaseStudy, Mutual, Outcome, ServiceArea

CONTENT_FILE = Path(__file__).parent / "content" / "casestudies.toml"

MUTUAL_FACTS = ("parent_body", "legal_form", "place", "region", "progress")
MUTUAL_NUMBERS = ("progress_year", "year_spun_out")


def load_casestudies(reset, report, path=CONTENT_FILE):
    """Create the shipped rows, keyed on slugs; existing ones change only on reset.

    Stages and topics are found by slug; any that are missing are skipped, so the case studies
    still load before the guide or the library has its content.
    """
    content = read_toml(path)
    areas = {
        item["slug"]: upsert(
            ServiceArea,
            {"slug": item["slug"]},
            {"name": item["name"], "position": item["position"]},
            reset,
            report,
            "Service areas",
        )
        for item in content.get("service_area", [])
    }
    mutuals = {}
    for item in content.get("mutual", []):
        values = {name: item.get(name, "") for name in MUTUAL_FACTS}
        values.update({name: item.get(name) for name in MUTUAL_NUMBERS})
        values.update(
            name=item["name"],
            pathfinder=item.get("pathfinder", False),
            service_area=areas.get(item.get("service_area")),
            status=Status.PUBLISHED,
        )
        mutual = upsert(Mutual, {"slug": item["slug"]}, values, reset, report, "Mutuals")
        mutuals[item["slug"]] = mutual
        load_outcomes(mutual, item.get("outcome", []), reset, report)
    stages = shipped_stages()
    topics = Topic.objects.in_bulk(field_name="slug")
    for item in content.get("case_study", []):
        values = {
            "title": item["title"],
            "mutual": mutuals[item["mutual"]],
            "summary": item["summary"],
            "featured": item.get("featured", False),
            "pull_quote": "",
            "quote_attribution": "",
            "last_reviewed": item["last_reviewed"],
            "status": Status.PUBLISHED,
        }
        for name, _label in CaseStudy.SECTIONS:
            values[name] = markdown_text(item.get(name, ""))
        upsert(
            CaseStudy,
            {"slug": item["slug"]},
            values,
            reset,
            report,
            "Case studies",
            m2m={
                "stages": [stages[slug] for slug in item.get("stages", []) if slug in stages],
                "topics": [topics[slug] for slug in item.get("topics", []) if slug in topics],
            },
        )


def load_outcomes(mutual, items, reset, report):
    """What happened next to one mutual, each found again by its key within the mutual.

    A plain run adds the shipped outcomes a mutual lacks, so an existing site gets them without
    --reset; outcomes editors added (which have no key) are left alone.
    """
    for item in items:
        values = {
            "year": item.get("year"),
            "description": item["description"],
            "source": item.get("source", ""),
        }
        upsert(
            Outcome,
            {"mutual": mutual, "content_key": item["key"]},
            values,
            reset,
            report,
            "What happened next",
        )
