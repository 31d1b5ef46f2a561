"""Handlers reply to the enquirer from the enquiry's page, from scratch or from a saved reply."""

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enquiries.models import EmailDelivery, Enquiry, Message, SavedReply


def run_queued_tasks():
    """Run each queued task in this process, as the worker would."""
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()


def reply_url(enquiry):
    return reverse("admin:enquiries_enquiry_reply", args=[enquiry.pk])


@pytest.fixture
def co_ops_handler(make_handler, co_ops):
    user = make_handler(co_ops)
    user.first_name = "Alex"
    user.last_name = "Fielding"
    user.save()
    return user


@pytest.fixture
def enquiry(make_enquiry, co_ops):
    return make_enquiry(co_ops, status=Enquiry.Status.ASSIGNED)


def test_a_reply_is_stored_emailed_and_sets_waiting(client, co_ops_handler, enquiry):
    client.force_login(co_ops_handler)

    response = client.post(
        reply_url(enquiry), {"body": "Here is our guide to co-ops.", "_send_reply": "1"}
    )

    assert response.status_code == 302
    assert response["Location"] == enquiry.get_admin_url() + "#conversation"
    message = Message.objects.get()
    assert (message.direction, message.author, message.partner, message.body) == (
        "to-enquirer", co_ops_handler, enquiry.destination, "Here is our guide to co-ops.",
    )  # fmt: skip
    assert message.delivery.kind == EmailDelivery.Kind.REPLY
    assert message.delivery.recipients == ["sam@council.example.org"]
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.WAITING
    assert enquiry.first_replied_at == message.created_at
    assert enquiry.reply_due_met_at == message.created_at

    run_queued_tasks()
    [email] = mail.outbox
    assert email.to == ["sam@council.example.org"]
    assert enquiry.reference in email.subject
    body = email.body
    assert "Here is our guide to co-ops." in body
    assert "Alex, Co-operatives UK" in body
    assert "Fielding" not in body
    assert "http://testserver/contact/your-enquiry/" in body
    message.delivery.refresh_from_db()
    assert message.delivery.status == EmailDelivery.Status.SENT


def test_a_reply_meets_the_reply_by_date_so_the_enquiry_is_not_overdue(
    client, co_ops_handler, make_enquiry, co_ops
):
    late = make_enquiry(co_ops, due_on=timezone.localdate() - timezone.timedelta(days=2))
    assert Enquiry.objects.overdue().get() == late
    client.force_login(co_ops_handler)

    client.post(reply_url(late), {"body": "Sorry for the wait.", "_send_reply": "1"})

    assert not Enquiry.objects.overdue().exists()
    late.refresh_from_db()
    assert not late.is_overdue


def test_replying_and_closing_as_answered_in_one_step_asks_for_the_verdict(
    client, co_ops_handler, enquiry
):
    client.force_login(co_ops_handler)

    client.post(
        reply_url(enquiry),
        {"body": "That should answer it.", "close_as": "answered", "_send_reply": "1"},
    )

    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.outcome) == ("closed", "answered")
    kinds = list(enquiry.deliveries.values_list("kind", flat=True))
    assert kinds == ["reply", "verdict"]


def test_an_empty_or_too_long_reply_is_refused_and_kept(client, co_ops_handler, enquiry, settings):
    settings.ENQUIRY_REPLY_MAX_CHARACTERS = 20
    client.force_login(co_ops_handler)

    empty = client.post(reply_url(enquiry), {"body": "  ", "_send_reply": "1"})
    too_long = client.post(reply_url(enquiry), {"body": "x" * 21, "_send_reply": "1"})

    assert empty.status_code == 200
    assert "Enter your reply" in empty.content.decode()
    assert too_long.status_code == 200
    html = too_long.content.decode()
    assert "Your reply must be 20 characters or fewer" in html
    assert "x" * 21 in html  # nothing typed is lost
    assert "You can enter up to 20 characters" in html
    assert not Message.objects.exists()
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.ASSIGNED


def test_a_saved_reply_fills_the_box_without_sending(client, co_ops_handler, enquiry):
    saved = SavedReply.objects.create(
        title="Co-op guide", body="Dear {first-name}, about {reference}: read our guide."
    )
    client.force_login(co_ops_handler)

    page = client.get(enquiry.get_admin_url()).content.decode()
    assert "Co-op guide" in page
    response = client.post(
        reply_url(enquiry), {"saved_reply": saved.pk, "body": "", "_use_saved_reply": "1"}
    )

    assert response.status_code == 200
    assert f"Dear Sam, about {enquiry.reference}: read our guide." in response.content.decode()
    assert not Message.objects.exists()
    assert not EmailDelivery.objects.exists()


def test_the_change_page_shows_the_conversation_apart_from_notes(client, co_ops_handler, enquiry):
    enquiry.notes.create(text="Internal: phoned the council.")
    Message.objects.create(
        enquiry=enquiry, direction="from-enquirer", partner=enquiry.destination, body="Thanks!"
    )
    client.force_login(co_ops_handler)

    html = client.get(enquiry.get_admin_url()).content.decode()

    conversation = html[html.index('id="conversation"') :]
    assert "Thanks!" in conversation
    assert "From the enquirer" in conversation
    assert "Internal: phoned the council." not in conversation


def test_another_partners_handler_cannot_reply_or_read_the_conversation(
    client, make_handler, eoa, enquiry
):
    Message.objects.create(
        enquiry=enquiry, direction="to-enquirer", partner=enquiry.destination, body="Secret"
    )
    client.force_login(make_handler(eoa))

    assert client.get(enquiry.get_admin_url()).status_code == 404
    response = client.post(reply_url(enquiry), {"body": "Hijack", "_send_reply": "1"})
    assert response.status_code == 404
    assert list(Message.objects.values_list("body", flat=True)) == ["Secret"]


def test_messages_are_visible_only_through_the_enquiry_rule(
    make_handler, co_ops, eoa, mutuals_team, mutuals_team_handler, enquiry
):
    Message.objects.create(enquiry=enquiry, direction="to-enquirer", body="Ours")

    assert Message.objects.visible_to(make_handler(co_ops)).count() == 1
    assert Message.objects.visible_to(make_handler(eoa)).count() == 0
    assert Message.objects.visible_to(mutuals_team_handler).count() == 1


def test_opening_the_reply_address_goes_back_to_the_conversation_and_sends_nothing(
    client, co_ops_handler, enquiry
):
    client.force_login(co_ops_handler)
    response = client.get(reply_url(enquiry))

    assert response.status_code == 302
    assert response["Location"] == enquiry.get_admin_url() + "#conversation"
    assert not Message.objects.filter(enquiry=enquiry).exists()


def test_saved_replies_are_the_mutuals_teams_to_edit(client, co_ops_handler, mutuals_team_handler):
    add = reverse("admin:enquiries_savedreply_add")
    changelist = reverse("admin:enquiries_savedreply_changelist")
    client.force_login(co_ops_handler)
    assert client.get(changelist).status_code == 200
    assert client.get(add).status_code == 403

    client.force_login(mutuals_team_handler)
    response = client.post(add, {"title": "Thanks", "body": "Thank you, {first-name}."})
    assert response.status_code == 302
    assert SavedReply.objects.get().title == "Thanks"


def test_subject_access_includes_the_conversation(client, mutuals_team_handler, enquiry,
                                                  co_ops_handler):  # fmt: skip
    import json

    Message.objects.create(enquiry=enquiry, direction="to-enquirer", author=co_ops_handler,
                           partner=enquiry.destination, body="Our reply")  # fmt: skip
    Message.objects.create(enquiry=enquiry, direction="from-enquirer", body="Their answer")
    client.force_login(mutuals_team_handler)

    response = client.post(
        reverse("admin:enquiries_enquiry_subject_access"), {"email": enquiry.email}
    )

    [record] = json.loads(response.content)["enquiries"]
    assert [(m["direction"], m["text"], m["author"]) for m in record["messages"]] == [
        ("To the enquirer", "Our reply", "handler-co-operatives-uk"),
        ("From the enquirer", "Their answer", None),
    ]


def test_the_staff_csv_never_holds_message_text(client, co_ops_handler, enquiry):
    Message.objects.create(enquiry=enquiry, direction="from-enquirer", body="Private words")
    client.force_login(co_ops_handler)

    response = client.get(reverse("admin:enquiries_enquiry_export"))

    csv = response.content.decode()
    assert enquiry.reference in csv
    assert "Private words" not in csv
