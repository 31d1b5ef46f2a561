"""Open enquiries nobody closes are closed as not pursued, then purged on the usual clock."""

import datetime
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.utils import timezone

from enquiries.models import Enquiry, EnquiryNote
from enquiries.retention import close_inactive_enquiries, months_before
from tests.scheduling import run_scheduled

LONG_AGO = datetime.timedelta(days=800)


def purge(*args):
    out = StringIO()
    call_command("purge_enquiries", *args, stdout=out)
    return out.getvalue()


def untouched_since(enquiry, moment):
    """Make an enquiry look as if it was sent, and last changed, at `moment`."""
    Enquiry.objects.filter(pk=enquiry.pk).update(submitted_at=moment)
    enquiry.history.update(history_date=moment)
    enquiry.refresh_from_db()
    return enquiry


@pytest.fixture
def enquiries(co_ops, make_enquiry, settings):
    """One open enquiry left alone for too long, and others with reasons to keep them."""
    settings.ENQUIRY_RETENTION_MONTHS = 24
    now = timezone.now()
    long_ago = now - LONG_AGO
    stale = untouched_since(make_enquiry(co_ops, email="stale@example.org"), long_ago)
    noted = untouched_since(make_enquiry(co_ops, email="noted@example.org"), long_ago)
    EnquiryNote.objects.create(
        enquiry=noted, text="Left a message.", created_at=months_before(now, 23)
    )
    changed = untouched_since(make_enquiry(co_ops, email="changed@example.org"), long_ago)
    changed.history.filter(pk=changed.history.latest().pk).update(
        history_date=months_before(now, 23)
    )
    recent = make_enquiry(co_ops, email="recent@example.org")
    return {"stale": stale, "noted": noted, "changed": changed, "recent": recent}


def test_an_open_enquiry_without_activity_for_the_period_is_closed_as_not_pursued(enquiries):
    stale = enquiries["stale"]
    history_before = stale.history.count()

    report = close_inactive_enquiries()

    assert report.enquiries == 1
    stale.refresh_from_db()
    assert (stale.status, stale.outcome) == ("closed", "not-pursued")
    assert stale.closed_at is not None and stale.anonymised_at is None
    assert stale.email == "stale@example.org"  # kept until the usual purge
    note = stale.notes.get()
    assert (note.author, note.by_the_service) == (None, True)
    assert str(note).startswith("Note by the service, ")
    assert note.text.startswith("Closed as not pursued by the daily retention job: nothing had")
    assert "for 24 months" in note.text
    record = stale.history.latest()
    assert stale.history.count() == history_before + 1
    assert (record.status, record.outcome, record.history_user) == ("closed", "not-pursued", None)
    assert record.history_change_reason == "Closed: no activity for 24 months"
    for name in ("noted", "changed", "recent"):
        kept = enquiries[name]
        kept.refresh_from_db()
        assert (kept.status, kept.outcome, kept.closed_at) == ("new", "", None), name


def test_closing_is_done_once(enquiries):
    close_inactive_enquiries()
    assert close_inactive_enquiries().enquiries == 0
    assert enquiries["stale"].notes.count() == 1


def test_only_the_service_s_own_notes_are_headed_as_the_service_s(enquiries, make_staff):
    close_inactive_enquiries()
    by_the_service = enquiries["stale"].notes.get()
    handler = make_staff(username="gone-handler")
    by_someone_gone = EnquiryNote.objects.create(
        enquiry=enquiries["recent"], author=handler, text="Rang them."
    )
    handler.delete()
    by_someone_gone.refresh_from_db()

    assert str(by_the_service).startswith("Note by the service, ")
    assert str(by_someone_gone).startswith("Note by someone no longer on the staff, ")


def test_the_migration_marks_the_retention_job_s_earlier_notes_as_the_service_s(enquiries):
    migration = __import__(
        "enquiries.migrations.0012_note_by_the_service", fromlist=["mark_retention_notes"]
    )
    close_inactive_enquiries()
    EnquiryNote.objects.update(by_the_service=False)  # as the job left them before the field

    migration.mark_retention_notes(apps, None)

    marked = EnquiryNote.objects.filter(by_the_service=True)
    assert list(marked) == [enquiries["stale"].notes.get()]
    assert not EnquiryNote.objects.get(enquiry=enquiries["noted"]).by_the_service


def test_the_period_comes_from_the_retention_setting(enquiries, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 36
    assert close_inactive_enquiries().enquiries == 0

    settings.ENQUIRY_RETENTION_MONTHS = 12
    assert close_inactive_enquiries().enquiries == 3  # the note and the change are 23 months old


def test_the_command_closes_then_purges_and_a_dry_run_changes_nothing(enquiries):
    output = purge("--dry-run")
    assert output.startswith("Would close 1 open enquiry(ies) as not pursued: no activity since")
    assert "Dry run: nothing was changed." in output
    assert Enquiry.objects.get(pk=enquiries["stale"].pk).status == "new"

    output = purge()

    assert output.startswith("Closed 1 open enquiry(ies) as not pursued: no activity since")
    assert "Nothing to purge" in output  # closed today: the usual clock starts now
    assert Enquiry.objects.get(pk=enquiries["stale"].pk).status == "closed"


@pytest.mark.django_db(transaction=True)
def test_the_daily_job_closes_a_stale_enquiry_and_purges_it_on_the_usual_clock(
    co_ops, make_enquiry, settings
):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    stale = untouched_since(make_enquiry(co_ops), timezone.now() - LONG_AGO)

    result = run_scheduled("enquiries.retention.apply_retention")

    assert result.return_value == {"closed": 1, "purged": 0, "deleted_history": 0}
    stale.refresh_from_db()
    assert (stale.status, stale.outcome, stale.email) == (
        "closed", "not-pursued", "sam@council.example.org"
    )  # fmt: skip

    # The retention period later, the next daily run removes the personal data.
    closed_at = months_before(timezone.now(), 24) - datetime.timedelta(days=1)
    Enquiry.objects.filter(pk=stale.pk).update(closed_at=closed_at)
    result.delete()
    result = run_scheduled("enquiries.retention.apply_retention")

    assert result.return_value == {"closed": 0, "purged": 1, "deleted_history": 0}
    stale.refresh_from_db()
    assert (stale.name, stale.email, stale.message) == ("", "", "")
    assert stale.anonymised_at is not None
    assert not stale.notes.exists()
