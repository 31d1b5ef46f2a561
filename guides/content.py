"""The guide's shipped stages and tasks."""

from pathlib import Path

from portal.core.content import markdown_text, read_toml, upsert
from portal.core.publishing import Status

from .models import Stage, Task

STAGES_FILE = Path(__file__).parent / "content" / "stages.toml"


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


def shipped_stages():
    """The shipped stages by their shipped slug, found even if an editor has renamed one."""
    stages = {}
    for item in read_toml(STAGES_FILE)["stage"]:
        stage = Stage.objects.filter(**stage_lookup(item)).first()
        if stage:
            stages[item["slug"]] = stage
    return stages
