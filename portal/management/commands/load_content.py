from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.module_loading import import_string

from portal.core.content import LoadReport

# Each app's loader, in dependency order.
LOADERS = [
    "portal.content.load_pages",
    "guides.content.load_guide",
    "guides.library.content.load_library",
    "casestudies.content.load_casestudies",
    "enquiries.content.load_partners",
    "guides.readiness.content.load_readiness",
]


class Command(BaseCommand):
    help = (
        "Load the content the site ships with. Safe to run again: existing rows, "
        "including edits made in admin, are left alone unless --reset is given."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Overwrite existing rows, including admin edits, with the shipped content.",
        )

    def handle(self, *args, reset=False, **options):
        report = LoadReport()
        with transaction.atomic():
            for loader in LOADERS:
                import_string(loader)(reset=reset, report=report)
        for line in report.lines():
            self.stdout.write(line)
        self.stdout.write(self.style.SUCCESS("Content loaded."))
