from django.core.management.base import BaseCommand
from django.db import transaction

from enquiries.models import EmailDelivery
from enquiries.tasks import send_enquiry_email


class Command(BaseCommand):
    help = (
        "Queue again every enquiry email that was given up on, for example after a long mail "
        "server outage. The worker (manage.py db_worker) sends them."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            failed = list(EmailDelivery.objects.select_for_update().filter(status="failed"))
            for delivery in failed:
                delivery.status = EmailDelivery.Status.PENDING
                delivery.attempts = 0
                delivery.next_attempt_at = None
                delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
                send_enquiry_email.enqueue(delivery.pk)
        self.stdout.write(f"{len(failed)} email(s) queued to send again.")
