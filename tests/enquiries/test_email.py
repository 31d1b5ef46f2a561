import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max

from enquiries.forms import EnquiryForm
from enquiries.models import EmailDelivery, Enquiry
from enquiries.tasks import send_enquiry_email
from tests.factories import submit_enquiry

from .conftest import use_smtp


def delayed_tasks():
    """Tasks queued to run later (the others carry the backend's 'no delay' marker)."""
    return DBTaskResult.objects.exclude(run_after=get_date_max())


def save_enquiry(data, **changes):
    form = EnquiryForm(data={**data, **changes})
    assert form.is_valid(), form.errors
    return form.save()


def run_worker():
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def run_queued_tasks():
    """Run each queued task in this process, as the worker would."""
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()


@pytest.fixture
def co_operatives_uk(make_partner, make_rule):
    partner = make_partner(
        "Co-operatives UK",
        slug="co-operatives-uk",
        notification_emails="enquiries@co-operatives-uk.example.org\nhelp@co-operatives-uk.example.org",
    )
    make_rule(partner, keywords="co-operative, co-op", copy_mutuals_team=True)
    return partner


def test_saving_an_enquiry_queues_one_email_per_recipient_group(enquiry_data, co_operatives_uk):
    enquiry = save_enquiry(enquiry_data)

    deliveries = list(enquiry.deliveries.order_by("pk"))
    assert [(d.kind, d.recipients) for d in deliveries] == [
        ("confirmation", ["sam@council.example.org"]),
        ("notification", ["enquiries@co-operatives-uk.example.org",
                          "help@co-operatives-uk.example.org"]),
        ("notification", ["mutuals@mutuals-team.example.org"]),
    ]  # fmt: skip
    assert all(d.status == "pending" for d in deliveries)
    assert DBTaskResult.objects.ready().count() == 3


def test_confirmation_and_notification_reach_a_real_smtp_server(enquiry_data, co_operatives_uk,
                                                                smtp_server):  # fmt: skip
    enquiry = save_enquiry(enquiry_data)

    run_queued_tasks()

    [confirmation] = smtp_server.to("sam@council.example.org")
    assert enquiry.reference in confirmation["Subject"]
    body = confirmation.get_content()
    assert "Dear Sam Jones" in body
    assert enquiry.reference in body
    assert "passed your enquiry to Co-operatives UK" in body
    assert enquiry.due_on.strftime("%-d %B %Y") in body
    assert "convert our day care service into a co-operative" in body

    [notification] = smtp_server.to("enquiries@co-operatives-uk.example.org")
    assert notification["Subject"] == (
        f"New enquiry {enquiry.reference} from the Mutuals Information Service"
    )
    assert "Sam" not in notification["Subject"] and "Anytown" not in notification["Subject"]
    assert f"http://testserver/admin/enquiries/enquiry/{enquiry.pk}/change/" in (
        notification.get_content()
    )
    assert smtp_server.to("help@co-operatives-uk.example.org") == [notification]
    assert len(smtp_server.to("mutuals@mutuals-team.example.org")) == 1
    assert set(EmailDelivery.objects.values_list("status", flat=True)) == {"sent"}
    assert set(EmailDelivery.objects.values_list("attempts", flat=True)) == {1}


def test_a_failed_send_is_recorded_and_tried_again_later(enquiry_data, smtp_down, settings):
    settings.ENQUIRY_EMAIL_RETRY_SECONDS = 60
    enquiry = save_enquiry(enquiry_data, message="A question about pensions")
    delivery = enquiry.deliveries.get(kind="confirmation")
    before = timezone.now()

    send_enquiry_email.call(delivery.pk)

    delivery.refresh_from_db()
    assert delivery.status == "retrying"
    assert delivery.attempts == 1
    assert "ConnectionRefusedError" in delivery.last_error
    retry = delayed_tasks().get()
    assert retry.args_kwargs["args"] == [delivery.pk]
    assert retry.run_after >= before + timezone.timedelta(seconds=60)
    assert retry.run_after == delivery.next_attempt_at


def test_the_wait_doubles_after_each_failure_and_sending_stops_at_the_limit(
    enquiry_data, smtp_down, settings
):
    settings.ENQUIRY_EMAIL_MAX_ATTEMPTS = 3
    delivery = save_enquiry(enquiry_data).deliveries.get(kind="confirmation")
    waits = []

    for _ in range(3):
        send_enquiry_email.call(delivery.pk)
        delivery.refresh_from_db()
        if delivery.next_attempt_at:
            waits.append(delivery.next_attempt_at - delivery.last_attempt_at)

    assert [w.total_seconds() for w in waits] == [60, 120]
    assert delivery.status == "failed"
    assert delivery.attempts == 3
    assert delayed_tasks().count() == 2


def test_a_sent_email_is_never_sent_twice(enquiry_data, smtp_server):
    delivery = save_enquiry(enquiry_data).deliveries.get(kind="confirmation")

    send_enquiry_email.call(delivery.pk)
    send_enquiry_email.call(delivery.pk)

    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True)
def test_with_the_mail_server_down_nothing_is_lost(client, enquiry_data, co_operatives_uk,
                                                  smtp_down, settings, fresh_cache):  # fmt: skip
    response, _token = submit_enquiry(client, enquiry_data)
    assert response.status_code == 302
    enquiry = Enquiry.objects.get()

    run_worker()

    assert set(enquiry.deliveries.values_list("status", flat=True)) == {"retrying"}
    assert DBTaskResult.objects.ready().count() == 0  # the retries wait their turn

    # The mail server is back, and the retries fall due.
    from aiosmtpd.controller import Controller

    from .conftest import Mailbox, free_port

    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        run_worker()
    finally:
        controller.stop()

    assert set(enquiry.deliveries.values_list("status", flat=True)) == {"sent"}
    assert set(enquiry.deliveries.values_list("attempts", flat=True)) == {2}
    [notification] = mailbox.to("enquiries@co-operatives-uk.example.org")
    assert enquiry.reference in notification["Subject"]
    assert len(mailbox.to("sam@council.example.org")) == 1


def test_emails_given_up_on_can_be_queued_again(enquiry_data, smtp_server):
    from io import StringIO

    delivery = save_enquiry(enquiry_data).deliveries.get(kind="confirmation")
    DBTaskResult.objects.all().delete()
    EmailDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=10)
    out = StringIO()

    call_command("resend_enquiry_emails", stdout=out)
    run_queued_tasks()

    delivery.refresh_from_db()
    assert out.getvalue() == "1 email(s) queued to send again: 1 given up on, 0 stuck.\n"
    assert delivery.status == "sent"
    assert delivery.attempts == 1
    assert len(smtp_server.to("sam@council.example.org")) == 1
