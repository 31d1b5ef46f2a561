"""The confirmation email names whoever runs the service now, from the settings."""

from enquiries.forms import EnquiryForm
from enquiries.tasks import render_email


def confirmation_text(enquiry_data):
    form = EnquiryForm(data={**enquiry_data, "message": "A question about mutuals."})
    assert form.is_valid(), form.errors
    enquiry = form.save()
    return render_email(enquiry.deliveries.get(kind="confirmation"))


def test_the_confirmation_names_the_owner_and_its_address_from_the_settings(enquiry_data, settings):
    settings.SERVICE_OWNER_NAME = "Example Department Mutuals Unit"
    settings.SERVICE_OWNER_EMAIL = "mutuals@department.example.org"

    subject, body = confirmation_text(enquiry_data)

    assert "The Example Department Mutuals Unit will reply by" in body
    assert "mutuals@department.example.org" in body
    assert "Cabinet Office" not in body
