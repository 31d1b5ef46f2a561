from django.core.management.base import BaseCommand

from enquiries.tasks import requeue_failed_emails, requeue_stuck_emails


class Command(BaseCommand):
    help = (
        "Queue again every enquiry email that was given up on (for example after a long mail "
        "server outage) and every one stuck without a task (for example after a worker was "
        "killed mid-send). The worker (manage.py db_worker) sends them."
    )

    def handle(self, *args, **options):
        failed = requeue_failed_emails()
        stuck = requeue_stuck_emails()
        self.stdout.write(
            f"{failed + stuck} email(s) queued to send again: {failed} given up on, {stuck} stuck."
        )
