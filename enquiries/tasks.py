"""Email about enquiries, sent in the background so the form never waits for the mail server."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from .models import EmailDelivery

logger = logging.getLogger(__name__)

# What a mail server that is down, slow or refusing us raises.
SEND_ERRORS = (smtplib.SMTPException, OSError)


def queue_emails(enquiry):
    """Record each email the enquiry needs and queue a task to send it.

    Called inside the transaction that saves the enquiry: with the database task backend the
    queued tasks are committed with it, so an enquiry is never saved without its emails.
    """
    deliveries = [
        EmailDelivery(
            enquiry=enquiry,
            kind=EmailDelivery.Kind.CONFIRMATION,
            recipients=[enquiry.email],
        )
    ]
    partners = [enquiry.destination, *enquiry.copied_to.all()]
    deliveries += [
        EmailDelivery(
            enquiry=enquiry,
            kind=EmailDelivery.Kind.NOTIFICATION,
            partner=partner,
            recipients=partner.email_list,
        )
        for partner in partners
        if partner is not None and partner.email_list
    ]
    for delivery in deliveries:
        delivery.save()
        send_enquiry_email.enqueue(delivery.pk)
    return deliveries


def queue_reassignment_email(enquiry, partner):
    """Tell a partner an enquiry has been passed to them; call inside the saving transaction."""
    if not partner.email_list:
        return None
    delivery = EmailDelivery.objects.create(
        enquiry=enquiry,
        kind=EmailDelivery.Kind.REASSIGNED,
        partner=partner,
        recipients=partner.email_list,
    )
    send_enquiry_email.enqueue(delivery.pk)
    return delivery


def render_email(delivery):
    enquiry = delivery.enquiry
    context = {
        "enquiry": enquiry,
        "delivery": delivery,
        "partner": delivery.partner,
        "admin_url": settings.SITE_URL.rstrip("/") + enquiry.get_admin_url(),
        "service_name": settings.SERVICE_NAME,
        "working_days": settings.ENQUIRY_DUE_WORKING_DAYS,
    }
    name = delivery.kind
    subject = render_to_string(f"emails/enquiry_{name}_subject.txt", context)
    body = render_to_string(f"emails/enquiry_{name}_body.txt", context)
    return " ".join(subject.split()), body


def retry_delay(attempts):
    """Wait longer after each failure: 1, 2, 4, 8... minutes, at most an hour by default."""
    delay = settings.ENQUIRY_EMAIL_RETRY_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(delay, settings.ENQUIRY_EMAIL_RETRY_MAX_SECONDS))


@task()
def send_enquiry_email(delivery_id):
    """Send one email; if the mail server fails, queue another try later, up to a limit.

    Django's tasks are never retried by the framework, so the task queues itself again.
    """
    delivery = (
        EmailDelivery.objects.select_related("enquiry", "partner").filter(pk=delivery_id).first()
    )
    if delivery is None or delivery.status in (
        EmailDelivery.Status.SENT,
        EmailDelivery.Status.FAILED,
    ):
        return None
    subject, body = render_email(delivery)
    now = timezone.now()
    delivery.attempts += 1
    delivery.last_attempt_at = now
    try:
        send_mail(subject, body, None, delivery.recipients)
    except SEND_ERRORS as error:
        delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
        if delivery.attempts >= settings.ENQUIRY_EMAIL_MAX_ATTEMPTS:
            delivery.status = EmailDelivery.Status.FAILED
            delivery.next_attempt_at = None
            logger.error("Gave up sending email %s after %s tries", delivery.pk, delivery.attempts)
        else:
            delivery.status = EmailDelivery.Status.RETRYING
            delivery.next_attempt_at = now + retry_delay(delivery.attempts)
        with transaction.atomic():
            delivery.save()
            if delivery.status == EmailDelivery.Status.RETRYING:
                send_enquiry_email.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
        return delivery.status
    delivery.status = EmailDelivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save()
    return delivery.status
