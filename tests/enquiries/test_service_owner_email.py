"""The confirmation email and the contact page name whoever runs the service now."""

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


def test_the_contact_page_describes_itself_with_the_owner_from_the_settings(client, db, settings):
    settings.SERVICE_OWNER_NAME = "Example Department Mutuals Unit"

    html = client.get("/contact/").content.decode()

    description = html.split('<meta name="description" content="', 1)[1].split('"', 1)[0]
    assert description.startswith("Ask the Example Department Mutuals Unit a question")
    assert "Cabinet Office" not in description
