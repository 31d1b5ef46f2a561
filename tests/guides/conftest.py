import datetime

import pytest

from guides.models import Stage, Task
from portal.models import Status


@pytest.fixture
def make_stage(db):
    """Build a Stage; every field has a sensible default and numbers count up from 1."""

    def make(**fields):
        number = fields.pop("number", None) or Stage.objects.count() + 1
        defaults = {
            "number": number,
            "title": f"Stage title {number}",
            "slug": f"stage-{number}",
            "summary": f"What stage {number} is about.",
            "body": "## What to think about\n\nSome questions to ask.",
            "end_result": "- a decision",
            "status": Status.PUBLISHED,
            "last_reviewed": datetime.date(2026, 11, 23),
        }
        return Stage.objects.create(**{**defaults, **fields})

    return make


@pytest.fixture
def make_task(db, make_stage):
    """Build a Task, in a new stage unless one is given."""

    def make(stage=None, **fields):
        stage = stage or make_stage()
        count = Task.objects.count() + 1
        defaults = {
            "title": f"Do task {count}",
            "slug": f"task-{count}",
            "body": "How to do the task.",
            "position": count * 10,
            "status": Status.PUBLISHED,
        }
        return Task.objects.create(stage=stage, **{**defaults, **fields})

    return make


@pytest.fixture
def guide(make_stage, make_task):
    """Three published stages with two tasks each, the second task an 'or' of the first."""
    stages = [make_stage() for _ in range(3)]
    for stage in stages:
        make_task(stage)
        make_task(stage, relation=Task.Relation.OR, optional=True)
    return stages
