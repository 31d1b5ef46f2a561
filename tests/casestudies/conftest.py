import datetime

import pytest
from django.utils.text import slugify

from casestudies.models import CaseStudy, Mutual, ServiceArea
from portal.core.publishing import Status

# The guide's factories, for case studies tagged with stages and topics.
from tests.guides.conftest import make_resource, make_stage, make_task, make_topic  # noqa: F401


@pytest.fixture
def make_service_area(db):
    def make(name="Health", **fields):
        defaults = {"slug": slugify(name), "position": ServiceArea.objects.count() * 10}
        return ServiceArea.objects.get_or_create(name=name, defaults={**defaults, **fields})[0]

    return make


@pytest.fixture
def make_mutual(db):
    """Build a published Mutual with only its name known unless more is given."""

    def make(**fields):
        count = Mutual.objects.count() + 1
        name = fields.pop("name", f"Mutual {count:03}")
        defaults = {
            "slug": slugify(name),
            "status": Status.PUBLISHED,
            "last_reviewed": datetime.date(2026, 11, 23),
        }
        return Mutual.objects.create(name=name, **{**defaults, **fields})

    return make


@pytest.fixture
def make_case_study(db, make_mutual):
    """Build a published CaseStudy about a new mutual unless one is given."""

    def make(mutual=None, stages=(), topics=(), **fields):
        mutual = mutual or make_mutual()
        count = CaseStudy.objects.count() + 1
        defaults = {
            "title": f"Case study {count:03}",
            "slug": f"case-study-{count:03}",
            "summary": f"What happened in case {count}.",
            "service_before": "The council ran it.",
            "lessons": "## Start early\n\nTalk to staff first.",
            "status": Status.PUBLISHED,
            "last_reviewed": datetime.date(2026, 11, 23),
        }
        case_study = CaseStudy.objects.create(mutual=mutual, **{**defaults, **fields})
        case_study.stages.set(stages)
        case_study.topics.set(topics)
        return case_study

    return make
