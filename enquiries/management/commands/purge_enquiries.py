from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from enquiries.retention import purge_enquiries


class Command(BaseCommand):
    help = (
        "Remove enquirers' personal data from enquiries closed more than "
        "ENQUIRY_RETENTION_MONTHS ago, with their notes, history and email records. "
        "Safe to run again: what is done already is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be removed, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        report = purge_enquiries(dry_run=dry_run)
        cutoff = timezone.localtime(report.cutoff).strftime("%-d %B %Y")
        months = settings.ENQUIRY_RETENTION_MONTHS
        if report.nothing_to_do:
            self.stdout.write(
                f"Nothing to purge: no enquiry closed before {cutoff} ({months} months ago) "
                "still holds personal data."
            )
            return
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} personal data from {report.enquiries} enquiry(ies) closed before {cutoff}: "
            f"{report.notes} note(s) deleted, {report.history} history record(s) and "
            f"{report.deliveries} email record(s) scrubbed."
        )
        if report.deleted_history:
            self.stdout.write(
                f"{verb} personal data from {report.deleted_history} history record(s) of "
                "deleted enquiries."
            )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
