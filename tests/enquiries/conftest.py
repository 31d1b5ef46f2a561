import pytest

from enquiries.models import Partner, RoutingRule
from tests.guides.conftest import make_stage, make_topic  # noqa: F401 (shared fixtures)


@pytest.fixture
def make_partner(db):
    """Build a Partner; every field has a default."""

    def make(name=None, **fields):
        count = Partner.objects.count() + 1
        name = name or f"Partner {count}"
        slug = fields.pop("slug", None) or f"partner-{count}"
        defaults = {
            "slug": slug,
            "description": f"What {name} does.",
            "helps_with": f"Things {name} knows about",
            "notification_emails": f"enquiries@{slug}.example.org",
        }
        stages = fields.pop("stages", ())
        partner = Partner.objects.create(name=name, **{**defaults, **fields})
        partner.stages.set(stages)
        return partner

    return make


@pytest.fixture
def mutuals_team(make_partner):
    return make_partner(
        "Cabinet Office Mutuals Team", slug="mutuals-team", is_fallback=True,
        notification_emails="mutuals@mutuals-team.example.org",
    )  # fmt: skip


@pytest.fixture
def make_rule(db):
    def make(destination, topics=(), stages=(), **fields):
        defaults = {"name": f"Rule {RoutingRule.objects.count() + 1}", "priority": 100}
        rule = RoutingRule.objects.create(destination=destination, **{**defaults, **fields})
        rule.topics.set(topics)
        rule.stages.set(stages)
        return rule

    return make


@pytest.fixture
def shipped(db):
    """The site's shipped content, partners and routing rules included."""
    from io import StringIO

    from django.core.management import call_command

    call_command("load_content", stdout=StringIO())


@pytest.fixture
def enquiry_data(mutuals_team, make_stage, make_topic):
    """A valid set of answers to the contact form."""
    stage = make_stage(slug="explore-the-idea", title="Explore the idea")
    make_topic("Legal")
    return {
        "name": "Sam Jones",
        "email": "sam@council.example.org",
        "phone": "",
        "contact_method": "email",
        "organisation": "Anytown Borough Council",
        "organisation_type": "local-authority",
        "role": "manager",
        "service_area": "adult-social-care",
        "stage": stage.slug,
        "topics": ["legal"],
        "message": "We want to convert our day care service into a co-operative.",
        "privacy": "on",
        "website": "",
    }


@pytest.fixture
def fresh_cache():
    """An empty cache, so rate-limit counts from other tests never leak in."""
    from django.core.cache import cache

    cache.clear()
    yield cache
    cache.clear()
