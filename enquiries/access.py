"""Who sees which enquiries: every one with "Can see every enquiry", else their partner's."""

from django.core.exceptions import ObjectDoesNotExist

SEE_EVERY_ENQUIRY = "enquiries.view_every_enquiry"


def sees_every_enquiry(user):
    """Staff holding "Can see every enquiry" (the Mutuals Team's handlers) and superusers.

    Only ever this permission, never a partner's flags: a partner's settings are edited by
    routing managers, and who sees what is for superusers alone to widen.
    """
    return user.is_active and user.is_staff and user.has_perm(SEE_EVERY_ENQUIRY)


def handled_partner_id(user):
    """The partner an active member of staff handles enquiries for, or None.

    Django keeps the membership it reads with the user, as with any related row, so a
    request asks the database once however often this is called.
    """
    if not (user.is_active and user.is_staff):
        return None
    try:
        return user.partner_membership.partner_id
    except ObjectDoesNotExist:
        return None


def visible_enquiries(enquiries, user):
    """What a member of staff may see: all for the Mutuals Team, else their partner's.

    An enquiry belongs to its destination only. Copies go only to the Mutuals Team, whose
    handlers see everything anyway, so a copy never widens what a specialist partner sees.
    """
    if sees_every_enquiry(user):
        return enquiries
    partner_id = handled_partner_id(user)
    if partner_id is None:
        return enquiries.none()
    return enquiries.filter(destination_id=partner_id)


def visibility_key(user):
    """Which enquiries `user` may see, as a short text the same for everyone who sees the same:
    "all", "partner-<id>", or "none". Figures kept for one reader are kept under it, so they
    are shared by exactly those who may see them (enquiries/kept_counts.py)."""
    if sees_every_enquiry(user):
        return "all"
    partner_id = handled_partner_id(user)
    return "none" if partner_id is None else f"partner-{partner_id}"


def visible_messages(messages, user):
    """The conversation messages of the enquiries a member of staff may see."""
    from .models import Enquiry

    return messages.filter(enquiry__in=visible_enquiries(Enquiry.objects.all(), user))


def visible_satisfaction(answers, user):
    """Enquirers' verdicts: every partner's for those who see every enquiry, else their own.

    Verdicts are kept by partner, not by enquiry, so the rule is the same one by partner.
    """
    if sees_every_enquiry(user):
        return answers
    partner_id = handled_partner_id(user)
    if partner_id is None:
        return answers.none()
    return answers.filter(partner_id=partner_id)


def enquiry_for_link(token):
    """The enquiry an enquirer's private link opens, or None if it is expired or tampered.

    The enquirer has no account: the signed link in their email is their only way in, and
    it stops working once the enquiry's personal data is removed (enquiries/links.py).
    """
    from .links import enquiry_for_token

    return enquiry_for_token(token)
