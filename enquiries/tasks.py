"""Email about enquiries, sent in the background so the form never waits for the mail server."""

import logging
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.template.loader import render_to_string
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from .models import EmailDelivery, stuck_before

logger = logging.getLogger(__name__)

# What a mail server that is down, slow or refusing us raises.
SEND_ERRORS = (smtplib.SMTPException, OSError)
FINISHED = (EmailDelivery.Status.SENT, EmailDelivery.Status.FAILED)


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


def queue_email_to_enquirer(enquiry, kind):
    """Queue an email to the enquirer from the enquiry's partner, in the caller's transaction."""
    delivery = EmailDelivery.objects.create(
        enquiry=enquiry, kind=kind, partner=enquiry.destination, recipients=[enquiry.email]
    )
    send_enquiry_email.enqueue(delivery.pk)
    return delivery


def queue_reply_email(enquiry):
    """Send the enquirer a reply (the message points at this delivery); inside the transaction."""
    return queue_email_to_enquirer(enquiry, EmailDelivery.Kind.REPLY)


def queue_verdict_email(enquiry):
    """Ask the enquirer how they felt about the help; inside the transaction that closes it."""
    return queue_email_to_enquirer(enquiry, EmailDelivery.Kind.VERDICT)


def queue_enquirer_replied_email(enquiry):
    """Tell the partner the enquirer has written again: a link to the admin, no personal data."""
    partner = enquiry.destination
    if partner is None or not partner.email_list:
        return None
    delivery = EmailDelivery.objects.create(
        enquiry=enquiry,
        kind=EmailDelivery.Kind.ENQUIRER_REPLIED,
        partner=partner,
        recipients=partner.email_list,
    )
    send_enquiry_email.enqueue(delivery.pk)
    return delivery


TO_ENQUIRER = {
    EmailDelivery.Kind.CONFIRMATION,
    EmailDelivery.Kind.REPLY,
    EmailDelivery.Kind.VERDICT,
}


def render_email(delivery):
    from .links import link_for

    enquiry = delivery.enquiry
    context = {
        "enquiry": enquiry,
        "delivery": delivery,
        "partner": delivery.partner,
        "admin_url": settings.SITE_URL.rstrip("/") + enquiry.get_admin_url(),
        "service_name": settings.SERVICE_NAME,
        "service_owner": settings.SERVICE_OWNER_NAME,
        "service_owner_email": settings.SERVICE_OWNER_EMAIL,
        "working_days": settings.ENQUIRY_DUE_WORKING_DAYS,
    }
    if delivery.kind in TO_ENQUIRER and enquiry.email:
        context["enquiry_link"] = link_for(enquiry)
    if delivery.kind == EmailDelivery.Kind.REPLY:
        context["message"] = getattr(delivery, "message", None)
    name = delivery.kind
    subject = render_to_string(f"emails/enquiry_{name}_subject.txt", context)
    body = render_to_string(f"emails/enquiry_{name}_body.txt", context)
    return " ".join(subject.split()), body


def retry_delay(attempts):
    """Wait longer after each failure: 1, 2, 4, 8... minutes, at most an hour by default."""
    delay = settings.ENQUIRY_EMAIL_RETRY_SECONDS * 2 ** (attempts - 1)
    return timedelta(seconds=min(delay, settings.ENQUIRY_EMAIL_RETRY_MAX_SECONDS))


def start_attempt(delivery_id, now):
    """Claim a delivery for one try and record the try before the mail server is contacted.

    None when there is nothing to do: already sent or given up on, or being sent by another
    task right now. The try is committed first, so a worker that dies mid-send leaves a
    delivery marked "Sending" since `now`, which the sweep finds once it is stuck.
    """
    with transaction.atomic():
        delivery = (
            EmailDelivery.objects.select_for_update(of=("self",))
            .select_related("enquiry", "partner")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or delivery.status in FINISHED:
            return None
        if delivery.status == EmailDelivery.Status.SENDING and not delivery.is_stuck:
            return None
        delivery.status = EmailDelivery.Status.SENDING
        delivery.attempts += 1
        delivery.last_attempt_at = now
        delivery.next_attempt_at = now
        delivery.save(update_fields=["status", "attempts", "last_attempt_at", "next_attempt_at"])
    return delivery


def record_failure(delivery, error, now, retry):
    """Keep the reason; try again later if it may help, else give up."""
    delivery.last_error = f"{type(error).__name__}: {error}"[:2000]
    if retry and delivery.attempts < settings.ENQUIRY_EMAIL_MAX_ATTEMPTS:
        delivery.status = EmailDelivery.Status.RETRYING
        delivery.next_attempt_at = now + retry_delay(delivery.attempts)
    else:
        delivery.status = EmailDelivery.Status.FAILED
        delivery.next_attempt_at = None
        logger.error(
            "Gave up sending email %s after %s tries: %s",
            delivery.pk,
            delivery.attempts,
            delivery.last_error,
        )
    with transaction.atomic():
        delivery.save()
        if delivery.status == EmailDelivery.Status.RETRYING:
            send_enquiry_email.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)
    return delivery.status


@task()
def send_enquiry_email(delivery_id):
    """Send one email; if the mail server fails, queue another try later, up to a limit.

    Django's tasks are never retried by the framework, so the task queues itself again. Any
    other error (an address the mail library refuses, a broken template) cannot be cured by
    waiting: it is logged and the email is given up on at once, with the reason, so nothing
    is left waiting for ever. Delivery is at least once: a worker killed after the mail
    server took the email but before it was marked sent sends it again.
    """
    now = timezone.now()
    delivery = start_attempt(delivery_id, now)
    if delivery is None:
        return None
    try:
        subject, body = render_email(delivery)
        send_mail(subject, body, None, delivery.recipients)
    except SEND_ERRORS as error:
        return record_failure(delivery, error, now, retry=True)
    except Exception as error:
        logger.exception("Could not send email %s", delivery.pk)
        return record_failure(delivery, error, now, retry=False)
    delivery.status = EmailDelivery.Status.SENT
    delivery.sent_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.last_error = ""
    delivery.save()
    return delivery.status


def queued_delivery_ids():
    """Deliveries with a send task waiting in the queue, which a worker will pick up."""
    waiting = DBTaskResult.objects.filter(
        status=TaskResultStatus.READY, task_path=send_enquiry_email.module_path
    ).values_list("args_kwargs", flat=True)
    return {args_kwargs["args"][0] for args_kwargs in waiting if args_kwargs["args"]}


def requeue_stuck_emails(now=None):
    """Queue again every email whose task was lost; one already waiting in the queue is left.

    A send task still marked running when its email is stuck belonged to a worker that
    died; it is marked failed, so the task list does not show it running for ever.
    """
    now = now or timezone.now()
    with transaction.atomic():
        stuck = list(
            EmailDelivery.objects.stuck(now)
            .exclude(pk__in=queued_delivery_ids())
            .select_for_update()
            .values_list("pk", flat=True)
        )
        DBTaskResult.objects.filter(
            status=TaskResultStatus.RUNNING,
            task_path=send_enquiry_email.module_path,
            started_at__lt=stuck_before(now),
        ).update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            traceback="The worker stopped before the task finished; the email was queued again.",
        )
        for delivery_id in stuck:
            send_enquiry_email.enqueue(delivery_id)
    if stuck:
        logger.warning("Queued %s stuck email(s) to send again", len(stuck))
    return len(stuck)


@task()
def sweep_stuck_emails():
    """Run every few minutes by the scheduler: no email waits for ever for a lost task."""
    return requeue_stuck_emails()


def requeue_failed_emails():
    """Queue again every email that was given up on, with a fresh set of tries."""
    with transaction.atomic():
        failed = list(
            EmailDelivery.objects.select_for_update().filter(status=EmailDelivery.Status.FAILED)
        )
        now = timezone.now()
        for delivery in failed:
            delivery.status = EmailDelivery.Status.PENDING
            delivery.attempts = 0
            delivery.next_attempt_at = now
            delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
            send_enquiry_email.enqueue(delivery.pk)
    return len(failed)
