"""The move from part one's statuses and free-text notes to outcomes and note records."""

import datetime

import pytest
from django.utils import timezone

from tests.migrating import migrate

BEFORE = [("enquiries", "0002_enquiry_submission_token")]
AFTER = [("enquiries", "0003_triage")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_answered_becomes_closed_as_answered_and_notes_become_a_note():
    apps = migrate(BEFORE)
    Enquiry = apps.get_model("enquiries", "Enquiry")
    submitted = timezone.now() - datetime.timedelta(days=10)
    common = {
        "due_on": datetime.date(2026, 1, 9), "name": "Sam", "email": "sam@example.org",
        "contact_method": "email", "organisation": "Council", "organisation_type": "other",
        "role": "other", "service_area": "other", "message": "Hello", "submitted_at": submitted,
    }  # fmt: skip
    answered = Enquiry.objects.create(
        reference="MIS-2026-00001", submission_token="a", status="answered",
        notes="Sent the guide.", **common,
    )  # fmt: skip
    working = Enquiry.objects.create(
        reference="MIS-2026-00002", submission_token="b", status="in-progress", notes="  ",
        **common,
    )  # fmt: skip

    apps = migrate(AFTER)

    Enquiry = apps.get_model("enquiries", "Enquiry")
    EnquiryNote = apps.get_model("enquiries", "EnquiryNote")
    answered = Enquiry.objects.get(pk=answered.pk)
    assert (answered.status, answered.outcome) == ("closed", "answered")
    assert answered.closed_at == submitted  # no history: the best date known
    assert list(EnquiryNote.objects.values_list("enquiry_id", "text")) == [
        (answered.pk, "Sent the guide.")
    ]
    working = Enquiry.objects.get(pk=working.pk)
    assert (working.status, working.outcome, working.closed_at) == ("in-progress", "", None)
