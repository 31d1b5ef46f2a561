"""Staff groups and the least permissions each needs, kept in step after every migrate."""

from django.contrib.auth.models import Group, Permission

# app label -> model -> actions. Models that do not exist yet are skipped.
CONTENT = ("add", "change", "delete", "view")
GROUP_PERMISSIONS = {
    "Content editors": {
        # Visitors' answers to "Is this page useful?" are read, never changed; what people
        # searched for is read, and a search that found nothing is marked as dealt with.
        "portal": {"page": CONTENT, "pagefeedback": ("view",), "searchterm": ("change", "view")},
        "guides": {
            "stage": CONTENT,
            "task": CONTENT,
            "topic": CONTENT,
            "publisher": CONTENT,
            "resource": CONTENT,
            # The readiness check's questions and rules; its counts are read, never changed.
            "question": CONTENT,
            "option": CONTENT,
            "readinesscount": ("view",),
        },
        "casestudies": {
            "casestudy": CONTENT,
            "mutual": CONTENT,
            "outcome": CONTENT,
            "servicearea": CONTENT,
        },
    },
    # A partner's handlers: only the enquiries sent to the partner each is linked to.
    "Enquiry handlers": {
        "enquiries": {
            "enquiry": ("change", "view"),
            "enquirynote": ("add", "view"),
            "partner": ("view",),
            # Saved replies are the Mutuals Team's to write; a partner's handlers use them.
            "savedreply": ("view",),
            # Enquirers' verdicts, read only, and only their partner's (enquiries/access.py).
            "satisfactionanswer": ("view",),
        },
    },
    # The Mutuals Team's own handlers: every enquiry, whichever partner has it, and the
    # subject access download. Only a superuser puts someone in this group.
    "Mutuals Team handlers": {
        "enquiries": {
            "enquiry": ("change", "view", "view_every_enquiry"),
            "enquirynote": ("add", "view"),
            "partner": ("view",),
            "savedreply": CONTENT,
            "satisfactionanswer": ("view",),
        },
    },
    # Rules, and partners' public text and addresses. Not deleting a partner, which would
    # unlink its handlers: who handles for whom is for superusers (PartnerMembership).
    "Routing managers": {
        "enquiries": {"routingrule": CONTENT, "partner": ("add", "change", "view")},
    },
    # A team, not a set of rights: it owns content no one else was named for, and each active
    # member hears weekly of its items due for review (portal/review_reminders.py).
    "Mutuals Team": {},
}


def permissions_for(app_models):
    # Django's own actions are verbs ("view" gives "view_enquiry"); a model's own permissions
    # are written in full ("view_every_enquiry").
    codenames = [
        (app_label, action if action.endswith(f"_{model}") else f"{action}_{model}")
        for app_label, models in app_models.items()
        for model, actions in models.items()
        for action in actions
    ]
    wanted = Permission.objects.none()
    for app_label, codename in codenames:
        wanted |= Permission.objects.filter(content_type__app_label=app_label, codename=codename)
    return wanted


def sync_groups(**kwargs):
    """Create the staff groups and set each one's permissions to exactly the listed ones."""
    for name, app_models in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions_for(app_models))
