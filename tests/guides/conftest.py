import datetime

import pytest

from guides.models import Stage, Task
from portal.core.publishing import Status


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


@pytest.fixture
def make_topic(db):
    """Build a Topic named as given (slug from the name unless given)."""
    from django.utils.text import slugify

    from guides.models import Topic

    def make(name=None, **fields):
        name = name or f"Topic {Topic.objects.count() + 1}"
        defaults = {"slug": slugify(name), "description": f"Documents about {name.lower()}."}
        return Topic.objects.create(name=name, **{**defaults, **fields})

    return make


@pytest.fixture
def make_publisher(db):
    from django.utils.text import slugify

    from guides.models import Publisher

    def make(name="Cabinet Office"):
        return Publisher.objects.get_or_create(name=name, defaults={"slug": slugify(name)})[0]

    return make


@pytest.fixture
def make_resource(db):
    """Build a published Resource; pass topics= and stages= as lists to tag it."""
    from guides.models import Resource

    def make(topics=(), stages=(), **fields):
        count = Resource.objects.count() + 1
        defaults = {
            "title": f"Resource {count}",
            "slug": f"resource-{count}",
            "summary": f"What resource {count} is for.",
            "body": "",
            "resource_type": Resource.Type.GUIDE,
            "status": Status.PUBLISHED,
            "last_reviewed": datetime.date(2026, 11, 23),
        }
        resource = Resource.objects.create(**{**defaults, **fields})
        resource.topics.set(topics)
        resource.stages.set(stages)
        return resource

    return make
