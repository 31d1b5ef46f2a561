import pytest

from enquiries.models import Partner, RoutingRule
from tests.guides import conftest as guide_fixtures

# The guide's factories, shared rather than copied.
make_stage = guide_fixtures.make_stage
make_topic = guide_fixtures.make_topic


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


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        from email import message_from_bytes, policy

        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append({"to": sorted(envelope.rcpt_tos), "message": message})
        return "250 Message accepted for delivery"

    def to(self, address):
        return [m["message"] for m in self.messages if address in m["to"]]


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def use_smtp(settings, port):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on loopback, with MAILERS pointed at it."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield mailbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """MAILERS pointed at a loopback port nothing listens on."""
    use_smtp(settings, free_port())


def build_enquiry(destination, **fields):
    """Save an Enquiry straight to the database, as the contact form would have."""
    import datetime

    from django.utils import timezone

    from enquiries.models import Enquiry

    number = Enquiry.objects.count() + 1
    defaults = {
        "reference": f"MIS-2026-{number:05d}",
        "due_on": timezone.localdate() + datetime.timedelta(days=7),
        "name": "Sam Jones",
        "email": "sam@council.example.org",
        "contact_method": "email",
        "organisation": "Anytown Borough Council",
        "organisation_type": "local-authority",
        "role": "manager",
        "service_area": "adult-social-care",
        "message": "We want to run our day care service as a co-operative.",
        "destination": destination,
        "rule_name": "Rule 'Co-operatives' matched.",
    }
    return Enquiry.objects.create(**{**defaults, **fields})


@pytest.fixture
def make_enquiry(db):
    return build_enquiry


@pytest.fixture
def make_handler(make_staff):
    """A member of Enquiry handlers (or the group named), linked to a partner."""
    from enquiries.models import PartnerMembership

    def make(partner, username=None, group="Enquiry handlers"):
        user = make_staff(group, username=username or f"handler-{partner.slug}")
        PartnerMembership.objects.create(user=user, partner=partner)
        return user

    return make


@pytest.fixture
def mutuals_team_handler(make_handler, mutuals_team):
    """One of the Mutuals Team's own handlers, who see every enquiry."""
    return make_handler(mutuals_team, group="Mutuals Team handlers")


@pytest.fixture
def co_ops(make_partner):
    return make_partner(
        "Co-operatives UK", slug="co-operatives-uk",
        notification_emails="enquiries@co-operatives-uk.example.org",
    )  # fmt: skip


@pytest.fixture
def eoa(make_partner):
    return make_partner(
        "Employee Ownership Association", slug="employee-ownership-association",
        notification_emails="hello@eoa.example.org\nteam@eoa.example.org",
    )  # fmt: skip


def migrate(targets):
    """Move the test database to the given migrations; the apps as they were then."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    """Leave the database fully migrated for the tests that follow."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
