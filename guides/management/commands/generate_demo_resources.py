import datetime
import random
import re
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.text import slugify

from guides.library.content import LIBRARY_FILE
from guides.library.search_index import update_search_vectors
from guides.models import Publisher, Resource, Stage, Topic
from portal.cache import bump_content_version
from portal.core.content import read_toml
from portal.core.markdown import render_markdown
from portal.core.publishing import Status
from portal.site_search.documents import add_documents

# Demo rows are marked by their slug alone: 'demo-' and a number, which editors never type.
SLUG_PREFIX = "demo-"
DEMO_SLUG = re.compile(r"^demo-(\d+)$")
DEMO_SLUG_REGEX = r"^demo-[0-9]+$"

PUBLISHER_NAMES = [
    "Cabinet Office",
    "Co-operatives UK",
    "Employee Ownership Association",
    "Social Enterprise UK",
    "Government Actuary's Department",
    "HM Revenue and Customs",
    "Department of Health",
    "Mutuals Taskforce",
]

# What a demo document is about, and the topics (by slug) that subject belongs to.
SUBJECTS = [
    ("transferring staff under TUPE", ["tupe"]),
    ("consulting staff before a TUPE transfer", ["tupe", "stakeholder-communications"]),
    ("keeping access to a public service pension", ["pensions"]),
    ("Fair Deal and admitted body status", ["pensions", "legal"]),
    ("pension bonds and guarantees", ["pensions", "business-planning"]),
    ("writing a business plan", ["business-planning", "templates"]),
    ("three-year financial forecasts", ["business-planning"]),
    ("pricing a service for its first contract", ["business-planning", "procurement"]),
    ("bidding for a public contract", ["procurement"]),
    ("contracts reserved for public service mutuals", ["procurement", "legal"]),
    ("talking to commissioners early", ["commissioning", "stakeholder-communications"]),
    ("measuring social value", ["commissioning"]),
    ("choosing a legal form", ["legal"]),
    ("setting up a community interest company", ["legal"]),
    ("employee ownership and staff control", ["legal", "stakeholder-communications"]),
    ("governance and the first board", ["legal", "business-planning"]),
    ("taking over buildings and equipment", ["assets"]),
    ("leasing premises from the council", ["assets", "legal"]),
    ("buying in payroll and finance services", ["back-office-support"]),
    ("IT and data after spinning out", ["back-office-support", "assets"]),
    ("registering for Corporation Tax and PAYE", ["tax"]),
    ("VAT for a new service provider", ["tax"]),
    ("telling service users about the change", ["stakeholder-communications"]),
    ("what the Mutuals Taskforce recommended", ["mutuals-taskforce-publications"]),
]
OPENINGS = {
    Resource.Type.GUIDE: [
        "A guide to",
        "Practical steps for",
        "Getting started with",
    ],
    Resource.Type.TEMPLATE: ["Template for", "Checklist for", "Worked example of"],
    Resource.Type.POLICY_PAPER: ["Policy paper on", "Government approach to"],
    Resource.Type.REPORT: ["Report on", "Lessons learned from", "A review of"],
    Resource.Type.LETTER: ["Letter to councils on", "Letter to commissioners on"],
    Resource.Type.TOOL: ["Calculator for", "Self-assessment tool for"],
    Resource.Type.OTHER: ["Notes on", "Questions and answers on"],
}
SERVICES = [
    "adult social care",
    "children's services",
    "community health services",
    "youth services",
    "probation services",
    "fire and rescue services",
    "libraries and leisure",
    "housing support",
]
READERS = [
    "staff thinking about spinning out",
    "managers leading a spin-out",
    "commissioners in local authorities",
    "the board of a new mutual",
    "trade union representatives",
    "service users and their families",
]
BODIES = [
    "",
    "## Who it is for\n\nTeams that are early in planning and want to know what to ask.",
    "## What it covers\n\n- the main decisions\n- who to involve\n- what to do next",
    "## Before you start\n\nTalk to your commissioners and your staff. This is demo text.",
]
NOUNS = {
    Resource.Type.GUIDE: "a guide",
    Resource.Type.TEMPLATE: "a template",
    Resource.Type.POLICY_PAPER: "a policy paper",
    Resource.Type.REPORT: "a report",
    Resource.Type.LETTER: "a letter",
    Resource.Type.TOOL: "a tool",
    Resource.Type.OTHER: "a document",
}
TYPE_WEIGHTS = [30, 20, 10, 15, 5, 10, 10]
PRECISION_WEIGHTS = [2, 3, 5]


def demo_resources():
    return Resource.objects.filter(slug__regex=DEMO_SLUG_REGEX)


def count_of(number):
    return f"{number} demo resource{'' if number == 1 else 's'}"


def next_demo_number():
    """One past the highest demo number in use, so a second run adds rather than clashes."""
    numbers = [
        int(match.group(1))
        for slug in demo_resources().values_list("slug", flat=True).iterator()
        if (match := DEMO_SLUG.match(slug))
    ]
    return max(numbers, default=0) + 1


def topics_by_slug():
    if not Topic.objects.exists():
        # The shipped topics, so generated resources file under the library's real headings.
        shipped = read_toml(LIBRARY_FILE)["topic"]
        Topic.objects.bulk_create(
            [Topic(name=t["name"], slug=t["slug"], description=t["description"]) for t in shipped]
        )
    return {topic.slug: topic for topic in Topic.objects.all()}


def publishers():
    if not Publisher.objects.exists():
        Publisher.objects.bulk_create(
            [Publisher(name=name, slug=slugify(name)) for name in PUBLISHER_NAMES]
        )
    return list(Publisher.objects.all())


class DemoGenerator:
    """Composes varied, plausible resources from the word lists above."""

    def __init__(self, rng):
        self.rng = rng
        self.topics = topics_by_slug()
        self.publishers = publishers()
        self.stages = list(Stage.objects.all())
        self.renderings = {}

    def rendered(self, resource):
        """What save() would store, made once per distinct text: bulk_create skips save()."""
        result = {}
        for name, (field, demote, prefix) in resource.markdown_renderings().items():
            key = (getattr(resource, field), demote, prefix)
            if key not in self.renderings:
                self.renderings[key] = render_markdown(*key)
            result[name] = self.renderings[key]
        return result

    def pick_topics(self, subject_slugs):
        chosen = [self.topics[slug] for slug in subject_slugs if slug in self.topics]
        if not chosen or self.rng.random() < 0.3:
            chosen.append(self.rng.choice(list(self.topics.values())))
        return list(dict.fromkeys(chosen))[:3]

    def publication_date(self):
        if self.rng.random() < 0.15:
            return None, Resource.DatePrecision.DAY
        precision = self.rng.choices(list(Resource.DatePrecision), PRECISION_WEIGHTS)[0]
        day = datetime.date(2008, 1, 1) + datetime.timedelta(days=self.rng.randrange(5 * 365))
        if precision == Resource.DatePrecision.YEAR:
            day = day.replace(month=1, day=1)
        elif precision == Resource.DatePrecision.MONTH:
            day = day.replace(day=1)
        return day, precision

    def build(self, number):
        rng = self.rng
        resource_type = rng.choices(list(Resource.Type), TYPE_WEIGHTS)[0]
        subject, subject_topics = rng.choice(SUBJECTS)
        service, reader = rng.choice(SERVICES), rng.choice(READERS)
        title = f"{rng.choice(OPENINGS[resource_type])} {subject}"
        if rng.random() < 0.5:
            title += f" in {service}"
        published_on, precision = self.publication_date()
        resource = Resource(
            title=title[:200],
            slug=f"{SLUG_PREFIX}{number}",
            summary=(
                f"Demo resource {number}: {NOUNS[resource_type]} on {subject}, "
                f"written for {reader} in {service}."
            ),
            body=rng.choice(BODIES),
            resource_type=resource_type,
            publisher=rng.choice(self.publishers) if rng.random() < 0.85 else None,
            published_on=published_on,
            published_precision=precision,
            external_url=(f"https://example.org/demo/{number}" if rng.random() < 0.4 else ""),
            not_legal_advice=rng.random() < 0.2,
            status=Status.PUBLISHED if rng.random() < 0.9 else Status.DRAFT,
            last_reviewed=datetime.date(2026, 11, 23) - datetime.timedelta(days=rng.randrange(720)),
        )
        resource.rendered = self.rendered(resource)
        topics = self.pick_topics(subject_topics)
        stages = rng.sample(self.stages, k=min(len(self.stages), rng.randrange(3)))
        return resource, topics, stages

    def create(self, count, batch_size):
        first = next_demo_number()
        built = [self.build(number) for number in range(first, first + count)]
        resources = Resource.objects.bulk_create(
            [resource for resource, _, _ in built], batch_size=batch_size
        )
        if not all(resource.pk for resource in resources):
            # Backends that do not return ids from bulk inserts: look them up by slug.
            ids = dict(
                demo_resources()
                .filter(slug__in=[r.slug for r in resources])
                .values_list("slug", "pk")
            )
            for resource in resources:
                resource.pk = ids[resource.slug]
        topic_links = Resource.topics.through
        stage_links = Resource.stages.through
        topic_links.objects.bulk_create(
            [
                topic_links(resource_id=resource.pk, topic_id=topic.pk)
                for resource, (_, topics, _) in zip(resources, built, strict=True)
                for topic in topics
            ],
            batch_size=batch_size,
        )
        stage_links.objects.bulk_create(
            [
                stage_links(resource_id=resource.pk, stage_id=stage.pk)
                for resource, (_, _, stages) in zip(resources, built, strict=True)
                for stage in stages
            ],
            batch_size=batch_size,
        )
        # bulk_create sends no signals, so the search vectors and the site search's documents
        # are written here.
        update_search_vectors(demo_resources().filter(pk__in=[r.pk for r in resources]))
        add_documents(Resource, [r.pk for r in resources], batch_size)
        return resources


class Command(BaseCommand):
    help = (
        "Add N made-up resources, slugged demo-1, demo-2 and so on, to try the library at "
        "scale. --delete removes them. For development only, never a live site."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=0, help="How many to add.")
        parser.add_argument(
            "--delete", action="store_true", help="Remove every demo resource (before adding)."
        )
        parser.add_argument("--seed", type=int, help="Make the same resources every time.")
        parser.add_argument(
            "--batch-size", type=int, default=1000, help="Rows per insert (default 1000)."
        )

    def handle(self, *args, count, delete, seed, batch_size, **options):
        if count < 0 or batch_size < 1:
            raise CommandError("Give a count of 0 or more and a batch size of 1 or more.")
        if not (count or delete):
            raise CommandError("Give how many demo resources to add, or --delete.")
        started = time.monotonic()
        with transaction.atomic():
            if delete:
                _, deleted = demo_resources().delete()
                # Deleting records a history entry for each; demo rows should leave no trace.
                Resource.history.filter(slug__regex=DEMO_SLUG_REGEX).delete()
                self.stdout.write(f"Removed {count_of(deleted.get('guides.Resource', 0))}.")
            if count:
                created = DemoGenerator(random.Random(seed)).create(count, batch_size)
                self.stdout.write(
                    f"Added {count_of(len(created))}, {created[0].slug} to {created[-1].slug}, "
                    f"in {time.monotonic() - started:.1f} seconds."
                )
        # Bulk writes send no signals, so pages and finder options kept for the old content
        # are retired here.
        bump_content_version()
