"""Made-up case studies (each about its own made-up mutual) for scale work and the benchmark."""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from casestudies.models import CaseStudy, Mutual, Outcome, ServiceArea
from guides.models import Stage, Topic
from portal.cache import bump_content_version
from portal.core.markdown import render_markdown
from portal.core.publishing import Status

# Demo rows are marked by their slug alone, as generate_demo_resources does.
DEMO_SLUG_REGEX = r"^demo-[0-9]+$"
SECTION_TEXT = {
    "service_before": "The team ran the service inside the council. This is demo text.",
    "why_a_mutual": "Staff wanted a say in how the service was run. This is demo text.",
    "how_they_did_it": "## First steps\n\nThey formed a core team and asked for advice.",
    "support": "They had help from a support programme. This is demo text.",
    "results": "The service kept its contract. This is demo text.",
    "lessons": "- start early\n- involve staff\n- talk to commissioners",
}
LEGAL_FORMS = [value for value, _label in Mutual.LegalForm.choices]
REGIONS = [value for value, _label in Mutual.Region.choices]


def demo_case_studies():
    return CaseStudy.objects.filter(slug__regex=DEMO_SLUG_REGEX)


class Command(BaseCommand):
    help = "Add made-up published case studies and their mutuals, or remove them (--delete)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=0)
        parser.add_argument("--delete", action="store_true", help="Remove the demo rows.")
        parser.add_argument("--seed", type=int, help="Make the same rows every time.")
        parser.add_argument("--batch-size", type=int, default=1000)

    def handle(self, *args, count, delete, seed, batch_size, **options):
        if count < 0 or batch_size < 1:
            raise CommandError("Give a count of 0 or more and a batch size of 1 or more.")
        if not (count or delete):
            raise CommandError("Give how many demo case studies to add, or --delete.")
        started = time.monotonic()
        with transaction.atomic():
            if delete:
                demo_case_studies().delete()
                Mutual.objects.filter(slug__regex=DEMO_SLUG_REGEX).delete()
                CaseStudy.history.filter(slug__regex=DEMO_SLUG_REGEX).delete()
                Mutual.history.filter(slug__regex=DEMO_SLUG_REGEX).delete()
            if count:
                self.create(count, random.Random(seed), batch_size)
        # bulk_create and queryset deletes send no signals: tell the page cache here.
        bump_content_version()
        self.stdout.write(
            f"{'Added ' + str(count) if count else 'Removed'} demo case studies "
            f"in {time.monotonic() - started:.1f} seconds."
        )

    def create(self, count, rng, batch_size):
        areas = list(ServiceArea.objects.all())
        stages = list(Stage.objects.all())
        topics = list(Topic.objects.all())
        start = self.next_number()
        mutuals = [
            Mutual(
                name=f"Demo mutual {start + i}",
                slug=f"demo-{start + i}",
                service_area=rng.choice(areas) if areas else None,
                legal_form=rng.choice(LEGAL_FORMS),
                region=rng.choice(REGIONS),
                year_spun_out=rng.randint(2011, 2025),
                staff_count=rng.choice([None, rng.randint(5, 2000)]),
                status=Status.PUBLISHED,
            )
            for i in range(count)
        ]
        # Each spun out in its year and has one dated event after it, so pages that show what
        # happened next are measured with it.
        for mutual in mutuals:
            mutual.progress, mutual.progress_year = Mutual.Progress.SPUN_OUT, mutual.year_spun_out
        mutuals = Mutual.objects.bulk_create(mutuals, batch_size=batch_size)
        Outcome.objects.bulk_create(
            [
                Outcome(
                    mutual=mutual,
                    year=mutual.year_spun_out + 1,
                    description="A made-up event for testing the site at scale",
                )
                for mutual in mutuals
            ],
            batch_size=batch_size,
        )
        rendered = {
            name: render_markdown(text, 1, name.replace("_", "-"))
            for name, text in SECTION_TEXT.items()
        }
        case_studies = CaseStudy.objects.bulk_create(
            [
                CaseStudy(
                    title=f"How demo mutual {start + i} spun out",
                    slug=f"demo-{start + i}",
                    mutual=mutual,
                    summary="A made-up case study for testing the site at scale.",
                    status=Status.PUBLISHED,
                    rendered=rendered,
                    **SECTION_TEXT,
                )
                for i, mutual in enumerate(mutuals)
            ],
            batch_size=batch_size,
        )
        stage_links = CaseStudy.stages.through
        topic_links = CaseStudy.topics.through
        stage_links.objects.bulk_create(
            [
                stage_links(casestudy=case_study, stage=stage)
                for case_study in case_studies
                for stage in rng.sample(stages, min(len(stages), 2))
            ],
            batch_size=batch_size,
        )
        topic_links.objects.bulk_create(
            [
                topic_links(casestudy=case_study, topic=topic)
                for case_study in case_studies
                for topic in rng.sample(topics, min(len(topics), 2))
            ],
            batch_size=batch_size,
        )

    @staticmethod
    def next_number():
        slugs = Mutual.objects.filter(slug__regex=DEMO_SLUG_REGEX).values_list("slug", flat=True)
        return max((int(slug.removeprefix("demo-")) for slug in slugs), default=0) + 1
