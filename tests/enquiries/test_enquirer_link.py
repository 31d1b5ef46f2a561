"""The enquirer's private link: what it opens, what it never shows, and when it stops working."""

import json
import os
import re
import shutil
import subprocess
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enquiries.links import SALT, email_hash, make_token
from enquiries.models import EmailDelivery, Enquiry, Message
from enquiries.retention import purge_enquiries


def run_queued_tasks():
    for result in DBTaskResult.objects.ready().order_by("enqueued_at"):
        result.task.call(*result.args_kwargs["args"], **result.args_kwargs["kwargs"])
        result.delete()


def page_url(enquiry):
    return reverse("enquiries:conversation", kwargs={"token": make_token(enquiry)})


@pytest.fixture
def handler(make_handler, co_ops):
    user = make_handler(co_ops)
    user.first_name = "Alex"
    user.last_name = "Fielding"
    user.save()
    return user


@pytest.fixture
def enquiry(make_enquiry, co_ops, handler):
    enquiry = make_enquiry(co_ops, status=Enquiry.Status.WAITING)
    enquiry.notes.create(author=handler, text="Internal: their chief executive is leaving.")
    Message.objects.create(
        enquiry=enquiry,
        direction=Message.Direction.TO_ENQUIRER,
        author=handler,
        partner=co_ops,
        body="Have you read our guide to co-ops?",
        created_at=timezone.now() - timedelta(hours=1),
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(
        reply_due_met_at=timezone.now(), first_replied_at=timezone.now()
    )
    enquiry.refresh_from_db()
    return enquiry


@pytest.fixture(autouse=True)
def empty_cache(fresh_cache):
    """Rate limits are counted in the cache."""


def test_the_confirmation_email_carries_a_link_that_opens_the_enquiry(
    client, enquiry_data, co_ops, fresh_cache
):
    from enquiries.forms import EnquiryForm

    form = EnquiryForm(data=enquiry_data)
    assert form.is_valid()
    saved = form.save()
    run_queued_tasks()
    [confirmation] = [m for m in mail.outbox if m.to == ["sam@council.example.org"]]
    link = re.search(r"http://testserver(/contact/your-enquiry/\S+/)", confirmation.body).group(1)

    response = client.get(link)

    assert response.status_code == 200
    assert saved.reference in response.content.decode()


def test_the_page_shows_the_enquiry_and_replies_but_never_notes_or_statuses(client, enquiry):
    response = client.get(page_url(enquiry))

    html = response.content.decode()
    assert response.status_code == 200
    assert f"Your enquiry {enquiry.reference}" in html
    assert "run our day care service as a co-operative" in html
    assert "Have you read our guide to co-ops?" in html
    assert "Alex, Co-operatives UK replied" in html
    assert "Fielding" not in html
    assert "handler-co-operatives-uk" not in html
    assert "chief executive" not in html
    assert "Waiting for the enquirer" not in html
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="robots" content="noindex, nofollow">' in html
    assert "Is this page useful?" not in html


def test_the_page_is_never_kept_in_the_page_cache(client, enquiry, page_cache):
    url = page_url(enquiry)
    client.get(url)
    Message.objects.update(body="Changed since")

    assert "Changed since" in client.get(url).content.decode()


def test_an_answer_is_stored_reopens_the_clock_and_tells_the_partner(client, enquiry, co_ops):
    before = enquiry.due_on
    response = client.post(page_url(enquiry), {"message": "Yes, and we have a question."})

    assert response.status_code == 302
    answer = Message.objects.get(direction=Message.Direction.FROM_ENQUIRER)
    assert (answer.body, answer.partner, answer.author) == (
        "Yes, and we have a question.", co_ops, None,
    )  # fmt: skip
    enquiry.refresh_from_db()
    assert enquiry.status == Enquiry.Status.IN_PROGRESS
    assert enquiry.reply_due_met_at is None
    assert enquiry.due_on > timezone.localdate()
    assert enquiry.due_on != before or before > timezone.localdate()
    run_queued_tasks()
    [notification] = mail.outbox
    assert notification.to == ["enquiries@co-operatives-uk.example.org"]
    assert enquiry.reference in notification.subject
    assert f"http://testserver{enquiry.get_admin_url()}" in notification.body
    for personal in ("Sam", "sam@council", "Anytown", "we have a question"):
        assert personal not in notification.body
        assert personal not in notification.subject
    page = client.get(response["Location"]).content.decode()
    assert "Your message has been sent" in page
    assert "Yes, and we have a question." in page


def test_an_answer_that_is_empty_or_too_long_is_refused_and_kept(client, enquiry, settings):
    settings.ENQUIRY_MESSAGE_MAX_CHARACTERS = 10

    empty = client.post(page_url(enquiry), {"message": " "})
    too_long = client.post(page_url(enquiry), {"message": "y" * 11})

    assert empty.status_code == 200 and "Enter your message" in empty.content.decode()
    html = too_long.content.decode()
    assert "Your message must be 10 characters or fewer" in html
    assert "y" * 11 in html
    assert "govuk-character-count" in html
    assert not Message.objects.filter(direction=Message.Direction.FROM_ENQUIRER).exists()


def test_the_honeypot_keeps_nothing(client, enquiry):
    response = client.post(page_url(enquiry), {"message": "Buy now", "website": "spam.example"})

    assert response.status_code == 302
    assert not Message.objects.filter(direction=Message.Direction.FROM_ENQUIRER).exists()
    assert not EmailDelivery.objects.exists()


def test_answers_are_limited_per_enquiry_even_from_new_links(client, enquiry, settings):
    settings.ENQUIRY_ANSWER_RATE_LIMIT = "2/h"
    for number in range(2):
        assert client.post(page_url(enquiry), {"message": f"Note {number}"}).status_code == 302

    response = client.post(page_url(enquiry), {"message": "Third"}, REMOTE_ADDR="203.0.113.50")

    assert response.status_code == 429
    assert "Third" in response.content.decode()  # kept in the box
    assert Message.objects.filter(direction=Message.Direction.FROM_ENQUIRER).count() == 2


def test_answers_are_limited_per_address(client, make_enquiry, co_ops, settings):
    settings.ENQUIRY_ANSWER_RATE_LIMIT = "1/h"
    first, second = make_enquiry(co_ops), make_enquiry(co_ops)

    assert client.post(page_url(first), {"message": "One"}).status_code == 302
    assert client.post(page_url(second), {"message": "Two"}).status_code == 429


def test_a_tampered_link_answers_404_with_a_way_to_a_new_enquiry(client, enquiry):
    token = make_token(enquiry)

    response = client.get(reverse("enquiries:conversation", kwargs={"token": token[:-2] + "xx"}))

    assert response.status_code == 404
    html = response.content.decode()
    assert "This link does not work" in html
    assert reverse("enquiries:contact") in html
    assert response["Cache-Control"] == "private, no-store"


def test_an_expired_link_answers_410(client, enquiry, settings):
    token = make_token(enquiry)
    settings.ENQUIRY_RETENTION_MONTHS = 0

    response = client.get(reverse("enquiries:conversation", kwargs={"token": token}))

    assert response.status_code == 410
    assert "This link has expired" in response.content.decode()


def test_a_link_expires_a_retention_period_after_it_was_sent_while_the_enquiry_is_kept(
    client, enquiry, settings
):
    """As the expired page and the privacy notice say: a link's age counts from its email, so
    the confirmation's link may stop working before the enquiry's details are removed."""
    settings.ENQUIRY_RETENTION_MONTHS = 24
    sent = time.time() - 25 * 31 * 24 * 60 * 60
    with mock.patch("django.core.signing.time.time", return_value=sent):
        token = make_token(enquiry)

    response = client.get(reverse("enquiries:conversation", kwargs={"token": token}))

    assert response.status_code == 410
    enquiry.refresh_from_db()
    assert enquiry.anonymised_at is None and enquiry.email
    assert "Each link to your enquiry works for 24 months after we sent it" in (
        response.content.decode()
    )


def test_a_link_signed_for_another_address_opens_nothing(client, enquiry):
    forged = signing.dumps({"e": enquiry.pk, "h": email_hash("someone@else.example")}, salt=SALT)

    assert (
        client.get(reverse("enquiries:conversation", kwargs={"token": forged})).status_code == 410
    )


def test_a_link_for_one_enquiry_never_opens_or_answers_another(client, enquiry, make_enquiry, eoa):
    other = make_enquiry(eoa, message="Another person's question")
    other_token = make_token(other)

    html = client.get(page_url(enquiry)).content.decode()
    assert "Another person's question" not in html
    # Someone else's link is theirs alone: with no account, a link is the only key.
    forged = signing.dumps({"e": other.pk, "h": email_hash(enquiry.email + ".x")}, salt=SALT)
    assert (
        client.get(reverse("enquiries:conversation", kwargs={"token": forged})).status_code == 410
    )
    # A link whose signature was altered was never ours.
    tampered = other_token[:-1] + ("B" if other_token.endswith("A") else "A")
    assert (
        client.post(
            reverse("enquiries:conversation", kwargs={"token": tampered}), {"message": "hi"}
        ).status_code
        == 404
    )
    assert not Message.objects.filter(enquiry=other).exists()


def test_the_purge_removes_the_messages_and_kills_the_link(client, enquiry):
    url = page_url(enquiry)
    Enquiry.objects.filter(pk=enquiry.pk).update(
        status=Enquiry.Status.CLOSED, outcome="answered",
        closed_at=timezone.now() - timedelta(days=800),
    )  # fmt: skip

    purge_enquiries()

    assert not Message.objects.exists()
    enquiry.refresh_from_db()
    # The reply times go too: the list's periods never reach back as far as the purge.
    assert (enquiry.first_replied_at, enquiry.reply_due_met_at, enquiry.verdict_given) == (
        None, None, None,
    )  # fmt: skip
    response = client.get(url)
    assert response.status_code == 410


def test_a_recently_closed_enquiry_reopens_when_the_enquirer_writes(client, enquiry):
    enquiry.status, enquiry.outcome = Enquiry.Status.CLOSED, "answered"
    enquiry.save()
    assert "we will open it again" in client.get(page_url(enquiry)).content.decode()

    client.post(page_url(enquiry), {"message": "One more thing."})

    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.outcome, enquiry.closed_at) == ("in-progress", "", None)


def test_an_enquiry_closed_long_ago_offers_a_new_enquiry_with_its_reference(client, enquiry):
    Enquiry.objects.filter(pk=enquiry.pk).update(
        status=Enquiry.Status.CLOSED, outcome="answered",
        closed_at=timezone.now() - timedelta(days=31),
    )  # fmt: skip

    html = client.get(page_url(enquiry)).content.decode()
    response = client.post(page_url(enquiry), {"message": "Hello again"})

    new_enquiry = f"{reverse('enquiries:contact')}?reference={enquiry.reference}"
    assert f'href="{new_enquiry}"' in html
    assert 'name="message"' not in html
    assert response.status_code == 200
    assert not Message.objects.filter(direction=Message.Direction.FROM_ENQUIRER).exists()
    contact = client.get(new_enquiry).content.decode()
    assert f"About my earlier enquiry {enquiry.reference}: " in contact


VNU_JAR = (
    settings.BASE_DIR / ".build" / "vnu" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
)


@pytest.mark.system
@pytest.mark.skipif(
    not (shutil.which("java") and VNU_JAR.exists()) and not os.environ.get("CI"),
    reason="needs Java and the HTML checker in .build/vnu (make test installs it)",
)
def test_each_state_of_the_enquirers_page_is_valid_html(client, enquiry, tmp_path, settings):
    settings.ENQUIRY_MESSAGE_MAX_CHARACTERS = 10
    pages = {
        "open": client.get(page_url(enquiry)),
        "answer with an error": client.post(page_url(enquiry), {"message": "z" * 11}),
        "tampered link": client.get(
            reverse("enquiries:conversation", kwargs={"token": "not-a-token"})
        ),
    }
    Enquiry.objects.filter(pk=enquiry.pk).update(status="closed", outcome="answered",
                                                  closed_at=timezone.now())  # fmt: skip
    enquiry.refresh_from_db()
    pages["verdict asked"] = client.get(page_url(enquiry))
    pages["verdict with an error"] = client.post(
        reverse("enquiries:verdict", kwargs={"token": make_token(enquiry)}), {"score": ""}
    )
    Enquiry.objects.filter(pk=enquiry.pk).update(closed_at=timezone.now() - timedelta(days=40))
    pages["closed long ago"] = client.get(page_url(enquiry))
    files = {}
    for number, (name, response) in enumerate(pages.items()):
        path = tmp_path / f"{number}.html"
        path.write_bytes(response.content)
        files[path.name] = name

    result = subprocess.run(
        ["java", "-jar", str(VNU_JAR), "--errors-only", "--no-langdetect", "--format", "json"]
        + sorted(str(tmp_path / file) for file in files),
        capture_output=True,
        text=True,
        timeout=300,
    )

    errors = [
        f"{files[m['url'].rsplit('/', 1)[-1]]}: {m['message']} [{m.get('extract', '').strip()}]"
        for m in json.loads(result.stderr)["messages"]
    ]
    assert not errors, "\n".join(errors)
