"""Made-up enquiries in bulk, so the admin and the benchmark can be tried at realistic volume."""

import datetime
import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from enquiries.choices import ContactMethod, OrganisationType, Role, ServiceArea
from enquiries.kept_counts import enquiries_changed
from enquiries.models import Enquiry, Partner
from guides.models import Stage

# Demo enquiries are marked by their reference, which the form never gives out.
PREFIX = "DEMO-"


def choices_of(text_choices):
    return [value for value, _label in text_choices.choices]


class Command(BaseCommand):
    help = "Add made-up enquiries with bulk inserts, or remove them (--delete)."

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, nargs="?", default=0)
        parser.add_argument("--delete", action="store_true", help="Remove the demo enquiries.")
        parser.add_argument("--seed", type=int, help="Make the same enquiries every time.")
        parser.add_argument("--batch-size", type=int, default=2000)

    def handle(self, *args, count, delete, seed, batch_size, **options):
        if count < 0 or batch_size < 1:
            raise CommandError("Give a count of 0 or more and a batch size of 1 or more.")
        if not (count or delete):
            raise CommandError("Give how many demo enquiries to add, or --delete.")
        started = time.monotonic()
        with transaction.atomic():
            if delete:
                deleted, _ = Enquiry.objects.filter(reference__startswith=PREFIX).delete()
                self.stdout.write(f"Removed {deleted} rows.")
            if count:
                self.create(count, random.Random(seed), batch_size)
                self.stdout.write(f"Added {count} demo enquiries.")
            # bulk_create sends no signals: the kept counts are told here.
            enquiries_changed()
        self.stdout.write(f"Done in {time.monotonic() - started:.1f} seconds.")

    def create(self, count, rng, batch_size):
        partners = list(Partner.objects.all()) or [None]
        stages = [*Stage.objects.all(), None]
        statuses = choices_of(Enquiry.Status)
        now = timezone.now()
        references = Enquiry.objects.filter(reference__startswith=PREFIX)
        start = references.count() + 1
        for offset in range(0, count, batch_size):
            batch = []
            for number in range(start + offset, start + min(offset + batch_size, count)):
                submitted = now - datetime.timedelta(minutes=rng.randint(0, 60 * 24 * 700))
                status = rng.choice(statuses)
                batch.append(
                    Enquiry(
                        reference=f"{PREFIX}{number:08d}",
                        status=status,
                        outcome=Enquiry.Outcome.ANSWERED if status == Enquiry.Status.CLOSED else "",
                        closed_at=now if status == Enquiry.Status.CLOSED else None,
                        submitted_at=submitted,
                        due_on=(submitted + datetime.timedelta(days=7)).date(),
                        name=f"Demo enquirer {number}",
                        email=f"enquirer{number}@example.org",
                        contact_method=rng.choice(choices_of(ContactMethod)),
                        organisation=f"Demo council {number % 300}",
                        organisation_type=rng.choice(choices_of(OrganisationType)),
                        role=rng.choice(choices_of(Role)),
                        service_area=rng.choice(choices_of(ServiceArea)),
                        stage=rng.choice(stages),
                        message="A made-up question for testing at volume.",
                        destination=rng.choice(partners),
                    )
                )
            Enquiry.objects.bulk_create(batch)
