"""The enquirer's private link: signed, tied to the enquiry and their email address, expiring."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

SALT = "enquiries.conversation"


class BadLink(Exception):
    """A link that opens nothing: 404 if it was never ours, 410 if it has expired."""

    def __init__(self, status):
        super().__init__(status)
        self.status = status


def email_hash(email):
    """A keyed hash of the address: the token carries no address, and a guess cannot be checked
    without the site's secret key."""
    return salted_hmac(SALT, email.strip().lower(), algorithm="sha256").hexdigest()[:32]


def max_age():
    """The retention period, in seconds: no link outlives the personal data it opens."""
    from .retention import retention_cutoff

    now = timezone.now()
    return (now - retention_cutoff(now)).total_seconds()


def make_token(enquiry):
    return signing.dumps(
        {"e": enquiry.pk, "h": email_hash(enquiry.email)}, salt=SALT, compress=True
    )


def link_for(enquiry):
    """The full address of the enquiry's page, for email sent outside a request."""
    path = reverse("enquiries:conversation", kwargs={"token": make_token(enquiry)})
    return settings.SITE_URL.rstrip("/") + path


def enquiry_for_token(token):
    """The enquiry the token opens. BadLink if it is tampered with, expired or purged."""
    from .models import Enquiry

    try:
        data = signing.loads(token, salt=SALT, max_age=max_age())
    except signing.SignatureExpired as error:
        raise BadLink(410) from error
    except (signing.BadSignature, ValueError, TypeError) as error:
        raise BadLink(404) from error
    if not isinstance(data, dict) or not isinstance(data.get("e"), int):
        raise BadLink(404)
    enquiry = Enquiry.objects.select_related("destination").filter(pk=data["e"]).first()
    if enquiry is None or enquiry.anonymised_at or not enquiry.email:
        raise BadLink(410)
    if data.get("h") != email_hash(enquiry.email):
        raise BadLink(410)
    return enquiry
