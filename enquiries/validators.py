"""Email addresses the mail server can actually be given, not only ones that look right."""

from email.headerregistry import AddressHeader

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

INVALID_ADDRESS = "Enter an email address in the correct format, like name@example.com"


def validate_sendable_email(value):
    """Refuse an address Django's SMTP backend would refuse when the email is sent.

    Django's format check accepts some addresses that the backend later rejects with a
    ValueError, such as an encoded word (=?utf-8?q?...?=) or an accented name before the @.
    The backend parses each recipient as a mail header does, so this does the same and
    accepts only a plain, single address that comes back unchanged.
    """
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(INVALID_ADDRESS, code="invalid") from None
    parsed = AddressHeader.value_parser(value)
    mailboxes = parsed.all_mailboxes
    if (
        parsed.all_defects
        or len(mailboxes) != 1
        or mailboxes[0].addr_spec != value
        or not mailboxes[0].local_part.isascii()
    ):
        raise ValidationError(INVALID_ADDRESS, code="invalid")


def validate_email_lines(value):
    """One sendable address a line; blank lines are ignored."""
    for number, line in enumerate(value.splitlines(), start=1):
        address = line.strip()
        if not address:
            continue
        try:
            validate_sendable_email(address)
        except ValidationError:
            raise ValidationError(
                "Line %(number)s is not an email address the service can send to. Enter one "
                "address a line, like name@example.com",
                code="invalid",
                params={"number": number},
            ) from None
