from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from enquiries.retention import close_inactive_enquiries, purge_enquiries


class Command(BaseCommand):
    help = (
        "Close, as not pursued, open enquiries with no activity for ENQUIRY_RETENTION_MONTHS; "
        "then remove enquirers' personal data from enquiries closed more than "
        "ENQUIRY_RETENTION_MONTHS ago, with their notes, history and email records. "
        "The scheduler runs both every day. Safe to run again: what is done already is skipped."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="Say what would be done, change nothing."
        )

    def handle(self, *args, dry_run=False, **options):
        months = settings.ENQUIRY_RETENTION_MONTHS
        closed = close_inactive_enquiries(dry_run=dry_run)
        if closed.enquiries:
            since = timezone.localtime(closed.cutoff).strftime("%-d %B %Y")
            verb = "Would close" if dry_run else "Closed"
            self.stdout.write(
                f"{verb} {closed.enquiries} open enquiry(ies) as not pursued: no activity "
                f"since {since} ({months} months ago)."
            )
        report = purge_enquiries(dry_run=dry_run)
        cutoff = timezone.localtime(report.cutoff).strftime("%-d %B %Y")
        if report.nothing_to_do:
            self.stdout.write(
                f"Nothing to purge: no enquiry closed before {cutoff} ({months} months ago) "
                "still holds personal data."
            )
        else:
            verb = "Would remove" if dry_run else "Removed"
            self.stdout.write(
                f"{verb} personal data from {report.enquiries} enquiry(ies) closed before "
                f"{cutoff}: {report.notes} note(s) deleted, {report.history} history record(s) "
                f"and {report.deliveries} email record(s) scrubbed."
            )
            if report.deleted_history:
                self.stdout.write(
                    f"{verb} personal data from {report.deleted_history} history record(s) of "
                    "deleted enquiries."
                )
        if dry_run:
            self.stdout.write("Dry run: nothing was changed.")
