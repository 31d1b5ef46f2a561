"""Keeping personal data no longer than the privacy notice says, and subject access requests."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from enquiries.models import EmailDelivery, Enquiry, EnquiryNote
from enquiries.retention import months_before

SUBJECT_ACCESS = reverse("admin:enquiries_enquiry_subject_access")
CHANGELIST = reverse("admin:enquiries_enquiry_changelist")


def purge(*args):
    out = StringIO()
    call_command("purge_enquiries", *args, stdout=out)
    return out.getvalue()


def close(enquiry, months_ago, outcome="answered"):
    """Close an enquiry through the model, then move its closing date back in time."""
    enquiry.status, enquiry.outcome = Enquiry.Status.CLOSED, outcome
    enquiry.save()
    closed_at = months_before(timezone.now(), months_ago)
    Enquiry.objects.filter(pk=enquiry.pk).update(closed_at=closed_at)
    return enquiry


@pytest.fixture
def old_and_new(co_ops, make_enquiry, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    long_ago = timezone.now() - datetime.timedelta(days=800)
    expired = close(make_enquiry(co_ops, email="old@example.org", phone="01632 960 001",
                                 submitted_at=long_ago), months_ago=25)  # fmt: skip
    EnquiryNote.objects.create(enquiry=expired, text="Spoke to Sam Jones on 01632 960 001.")
    EmailDelivery.objects.create(
        enquiry=expired, kind="confirmation", recipients=["old@example.org"],
        last_error="Recipient refused: old@example.org",
    )  # fmt: skip
    recent = close(make_enquiry(co_ops, email="recent@example.org"), months_ago=23)
    still_open = make_enquiry(co_ops, email="open@example.org", submitted_at=long_ago)
    return expired, recent, still_open


def test_purge_removes_personal_data_from_enquiries_closed_too_long_ago(old_and_new):
    expired, recent, still_open = old_and_new
    history_rows = expired.history.count()

    output = purge()

    assert output.startswith("Removed personal data from 1 enquiry(ies) closed before")
    assert f"1 note(s) deleted, {history_rows} history record(s) and 1 email record(s)" in output
    expired.refresh_from_db()
    assert (expired.name, expired.email, expired.phone, expired.organisation, expired.message) == (
        "", "", "", "", ""
    )  # fmt: skip
    assert expired.anonymised_at is not None
    assert (expired.status, expired.outcome, expired.destination.slug) == (
        "closed", "answered", "co-operatives-uk"
    )  # fmt: skip
    assert not expired.notes.exists()
    assert set(expired.history.values_list("name", "email", "phone", "organisation")) == {
        ("", "", "", "")
    }
    assert expired.history.count() == history_rows  # scrubbed, and no new copy written
    delivery = expired.deliveries.get()
    assert (delivery.recipients, delivery.last_error) == ([], "")

    for kept in (recent, still_open):
        before = kept.email
        kept.refresh_from_db()
        assert kept.email == before and kept.name == "Sam Jones" and kept.anonymised_at is None
        assert set(kept.history.values_list("email", flat=True)) == {before}


def test_purge_a_second_time_finds_nothing_to_do(old_and_new):
    purge()
    assert purge().startswith("Nothing to purge: no enquiry closed before")


def test_a_dry_run_says_what_would_go_and_changes_nothing(old_and_new):
    expired, _, _ = old_and_new

    output = purge("--dry-run")

    assert output.startswith("Would remove personal data from 1 enquiry(ies)")
    assert "Dry run: nothing was changed." in output
    expired.refresh_from_db()
    assert expired.email == "old@example.org" and expired.notes.count() == 1
    assert expired.history.filter(email="old@example.org").exists()
    assert purge().startswith("Removed personal data from 1 enquiry(ies)")


def test_purge_scrubs_the_history_of_deleted_enquiries(co_ops, make_enquiry):
    gone = make_enquiry(co_ops, email="gone@example.org")
    pk = gone.pk
    gone.delete()

    assert "from 2 history record(s) of deleted enquiries" in purge()
    history = Enquiry.history.filter(id=pk)
    assert set(history.values_list("email", "name")) == {("", "")}
    assert purge().startswith("Nothing to purge")


def test_the_retention_period_comes_from_the_setting(old_and_new, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 12
    assert purge().startswith("Removed personal data from 2 enquiry(ies)")


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime.datetime(2026, 3, 31, 9, 30), 1, datetime.datetime(2026, 2, 28, 9, 30)),
        (datetime.datetime(2026, 1, 15), 24, datetime.datetime(2024, 1, 15)),
        (datetime.datetime(2026, 5, 31), 27, datetime.datetime(2024, 2, 29)),
    ],
)
def test_months_before_counts_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected


@pytest.fixture
def team_client(client, mutuals_team_handler):
    client.force_login(mutuals_team_handler)
    return client


def test_the_mutuals_team_downloads_everything_held_about_an_email_address(
    team_client, co_ops, eoa, make_enquiry
):
    first = make_enquiry(co_ops, email="Ann@Example.org", phone="01632 960 001")
    first.status = "in-progress"
    first.save()
    EnquiryNote.objects.create(enquiry=first, text="Called back.")
    EmailDelivery.objects.create(enquiry=first, kind="confirmation", recipients=["Ann@Example.org"])
    second = make_enquiry(eoa, email="ann@example.org")
    make_enquiry(co_ops, email="someone-else@example.org")
    page = team_client.get(CHANGELIST).content.decode()
    assert SUBJECT_ACCESS in page

    response = team_client.post(SUBJECT_ACCESS, {"email": "ann@example.org"})

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="subject-access-')
    report = json.loads(response.content)
    assert [e["reference"] for e in report["enquiries"]] == [first.reference, second.reference]
    record = report["enquiries"][0]
    assert record["answers"]["phone"] == "01632 960 001"
    assert record["answers"]["message"] == first.message
    assert [n["text"] for n in record["notes"]] == ["Called back."]
    assert [h["status"] for h in record["history"]] == ["New", "In progress"]
    assert record["emails"][0]["to"] == ["Ann@Example.org"]
    assert record["sent_to"] == "Co-operatives UK"


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("not-an-address", "Enter an email address in the correct format, like name@example.com"),
        ("", "Enter the email address to search for"),
        ("nobody@example.org", "We hold no enquiries from nobody@example.org"),
    ],
)
def test_the_subject_access_form_explains_what_went_wrong(team_client, email, message):
    response = team_client.post(SUBJECT_ACCESS, {"email": email})

    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    assert '<label class="subject-access__label" for="id_email">Email address</label>' in html


def test_only_the_mutuals_team_makes_subject_access_requests(
    client, admin_client, make_handler, co_ops, make_staff
):
    assert admin_client.get(SUBJECT_ACCESS).status_code == 200
    handler = make_handler(co_ops)
    client.force_login(handler)
    assert client.get(SUBJECT_ACCESS).status_code == 403
    assert client.post(SUBJECT_ACCESS, {"email": "ann@example.org"}).status_code == 403
    assert SUBJECT_ACCESS not in client.get(CHANGELIST).content.decode()
    client.force_login(make_staff("Content editors", username="editor"))
    assert client.get(SUBJECT_ACCESS).status_code == 403
