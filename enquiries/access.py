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
