"""What the enquiry admin downloads: the triage list as CSV, and a subject access report as JSON."""

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone

from .models import EmailDelivery, Enquiry, EnquiryNote, Message
from .retention import past_retention, retention_cutoff

TRIAGE_COLUMNS = [
    "Reference",
    "Received",
    "Status",
    "Outcome",
    "Closed",
    "Reply due by",
    "Overdue",
    "Destination",
    "Organisation",
    "Organisation type",
    "Role",
    "Service",
    "Stage",
    "Topics",
]


def local(moment):
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""


def triage_rows(enquiries):
    """One row per enquiry for the triage CSV.

    The enquirer's name, email, phone and message are left out: a report needs none of them,
    and a spreadsheet is easily copied where the admin's access rules do not reach. The
    organisation goes too once the enquiry is past its retention period, whether or not the
    daily job has removed it yet.
    """
    today = timezone.localdate()
    cutoff = retention_cutoff()
    for enquiry in enquiries.for_export():
        expired = past_retention(enquiry, cutoff)
        yield {
            "Reference": enquiry.reference,
            "Received": local(enquiry.submitted_at),
            "Status": enquiry.get_status_display(),
            "Outcome": enquiry.get_outcome_display(),
            "Closed": local(enquiry.closed_at),
            "Reply due by": enquiry.due_on.isoformat(),
            "Overdue": "Yes" if enquiry.is_open and enquiry.due_on < today else "No",
            "Destination": enquiry.destination.name if enquiry.destination else "",
            "Organisation": "" if expired else enquiry.organisation,
            "Organisation type": enquiry.get_organisation_type_display(),
            "Role": enquiry.get_role_display(),
            "Service": enquiry.get_service_area_display(),
            "Stage": enquiry.stage.title if enquiry.stage else "Not started",
            "Topics": ", ".join(topic.name for topic in enquiry.topics.all()),
        }


def subject_access_report(email):
    """Everything held about one email address, ready to be written out as JSON."""
    enquiries = (
        Enquiry.objects.filter(email__iexact=email.strip())
        .select_related("destination", "stage")
        .prefetch_related(
            "topics",
            "copied_to",
            Prefetch("notes", queryset=EnquiryNote.objects.select_related("author")),
            Prefetch(
                "messages", queryset=Message.objects.select_related("author", "partner").in_order()
            ),
            Prefetch("deliveries", queryset=EmailDelivery.objects.select_related("partner")),
        )
        .order_by("submitted_at")
    )
    return {
        "email": email,
        "generated_at": timezone.now().isoformat(),
        "enquiries": [enquiry_record(enquiry) for enquiry in enquiries],
    }


def subject_access_download(report):
    """The report as a JSON file to download, dated today."""
    response = HttpResponse(
        json.dumps(report, indent=2, cls=DjangoJSONEncoder, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
    )
    filename = f"subject-access-{timezone.localdate().isoformat()}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def enquiry_record(enquiry):
    history = enquiry.history.select_related("history_user").order_by("history_date")
    return {
        "reference": enquiry.reference,
        "submitted_at": enquiry.submitted_at.isoformat(),
        "status": enquiry.get_status_display(),
        "outcome": enquiry.get_outcome_display(),
        "closed_at": enquiry.closed_at.isoformat() if enquiry.closed_at else None,
        "reply_due_by": enquiry.due_on.isoformat(),
        "answers": {
            "name": enquiry.name,
            "email": enquiry.email,
            "phone": enquiry.phone,
            "preferred_contact": enquiry.get_contact_method_display(),
            "organisation": enquiry.organisation,
            "organisation_type": enquiry.get_organisation_type_display(),
            "role": enquiry.get_role_display(),
            "service": enquiry.get_service_area_display(),
            "stage": enquiry.stage.title if enquiry.stage else "Not started",
            "topics": [topic.name for topic in enquiry.topics.all()],
            "message": enquiry.message,
        },
        "sent_to": enquiry.destination.name if enquiry.destination else None,
        "copied_to": [partner.name for partner in enquiry.copied_to.all()],
        "routing_decision": enquiry.rule_name,
        "notes": [
            {
                "written_at": note.created_at.isoformat(),
                "author": note.author.get_username() if note.author else None,
                "text": note.text,
            }
            for note in enquiry.notes.all()
        ],
        "messages": [
            {
                "written_at": message.created_at.isoformat(),
                "direction": message.get_direction_display(),
                "author": message.author.get_username() if message.author else None,
                "partner": message.partner.name if message.partner else None,
                "text": message.body,
            }
            for message in enquiry.messages.all()
        ],
        "history": [
            {
                "date": record.history_date.isoformat(),
                "change": record.get_history_type_display(),
                "by": record.history_user.get_username() if record.history_user else None,
                "reason": record.history_change_reason,
                "status": record.get_status_display(),
                "outcome": record.get_outcome_display(),
                "name": record.name,
                "email": record.email,
                "phone": record.phone,
                "organisation": record.organisation,
            }
            for record in history
        ],
        "emails": [
            {
                "kind": delivery.get_kind_display(),
                "to": delivery.recipients,
                "partner": delivery.partner.name if delivery.partner else None,
                "status": delivery.get_status_display(),
                "attempts": delivery.attempts,
                "sent_at": delivery.sent_at.isoformat() if delivery.sent_at else None,
            }
            for delivery in enquiry.deliveries.all()
        ],
    }
