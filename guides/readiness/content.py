"""The readiness check's shipped questions and rules (guides/content/readiness.toml).

A question is found by its slug. A plain load creates missing questions with their options and
leaves existing ones, options and all, as editors left them. With --reset a question's text
goes back to the file, and its shipped options are put back by their place in the file; an
option an editor added is kept.
"""

from pathlib import Path

from portal.core.content import read_toml, upsert
from portal.core.publishing import Status

from ..content import shipped_stages
from ..library.models import Topic
from ..models import Task
from .models import Option, Question

READINESS_FILE = Path(__file__).parent.parent / "content" / "readiness.toml"


def shipped_tasks(stages, keys):
    """Tasks named "stage-slug/task-slug", found even if an editor renamed the stage."""
    found = []
    for key in keys:
        stage_slug, task_slug = key.split("/")
        task = Task.objects.filter(stage=stages[stage_slug], slug=task_slug).first()
        if task is None:
            raise ValueError(f"readiness.toml names a task that does not exist: {key}")
        found.append(task)
    return found


def load_readiness(reset, report, path=READINESS_FILE):
    stages = shipped_stages()
    topics = {topic.slug: topic for topic in Topic.objects.all()}
    for position, item in enumerate(read_toml(path)["question"], start=1):
        values = {
            "text": item["text"],
            "hint": item.get("hint", ""),
            "kind": item["kind"],
            "error_message": item.get("error_message", ""),
            "position": position * 10,
            "status": Status.PUBLISHED,
        }
        existed = Question.objects.filter(slug=item["slug"]).exists()
        question = upsert(Question, {"slug": item["slug"]}, values, reset, report, "Questions")
        if existed and not reset:
            continue
        current = list(question.options.order_by("position", "pk"))
        for index, shipped in enumerate(item["option"]):
            values = {
                "question": question,
                "label": shipped["label"],
                "hint": shipped.get("hint", ""),
                "position": (index + 1) * 10,
                "exclusive": shipped.get("exclusive", False),
                "stage": stages[shipped["stage"]] if shipped.get("stage") else None,
            }
            links = {
                "tasks_done": shipped_tasks(stages, shipped.get("tasks_done", [])),
                "tasks_recommended": shipped_tasks(stages, shipped.get("tasks_recommended", [])),
                "topics": [topics[slug] for slug in shipped.get("topics", [])],
            }
            lookup = {"pk": current[index].pk} if index < len(current) else {"pk": None}
            if lookup["pk"] is None:
                option = Option.objects.create(**values)
                for name, rows in links.items():
                    getattr(option, name).set(rows)
                report.add("Answer options", "created", option)
            else:
                upsert(Option, lookup, values, reset, report, "Answer options", m2m=links)
