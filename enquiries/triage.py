"""Handling an enquiry: passing it to another partner."""

from django.db import transaction

from .models import Enquiry
from .tasks import queue_reassignment_email


@transaction.atomic
def reassign(enquiry, partner, reason, by=None):
    """Pass the enquiry to another partner, note why, and email the partner."""
    previous = enquiry.destination
    enquiry.destination = partner
    enquiry.status = Enquiry.Status.ASSIGNED
    enquiry.outcome = ""
    # The history's reason column is short; the full reason is kept in the note.
    enquiry._change_reason = f"Reassigned to {partner.name}"[:100]
    enquiry.save()
    note = enquiry.notes.create(
        author=by,
        text=f"Passed from {previous or 'nobody'} to {partner.name}. Reason: {reason}",
    )
    queue_reassignment_email(enquiry, partner)
    return note
