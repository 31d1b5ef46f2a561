"""Scheduled publishing: drafts go live, and published items come down, at the times set.

The scheduler queues `portal.tasks.publish_scheduled` every minute, so an item changes within a
minute of its time. Each item is saved through its model, so the page cache is emptied, the
sitemap and lists follow, and its history records the change with a reason; the editor who set
the time is in the history entry of the save that set it.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .change_notes import publishable_models
from .publishing import Status

PUBLISHED_AS_SCHEDULED = "Published as scheduled"
UNPUBLISHED_AS_SCHEDULED = "Unpublished as scheduled"


def _apply(model, due, status, reason):
    changed = 0
    for pk in list(model.objects.filter(due).values_list("pk", flat=True)):
        with transaction.atomic():
            # Locked and checked again: a second run, or an editor's save, may have got there.
            obj = model.objects.select_for_update().filter(due, pk=pk).order_by("pk").first()
            if obj is None:
                continue
            obj.status = status
            obj._change_reason = reason
            obj.save()
            changed += 1
    return changed


def publish_due(now=None):
    """Publish every draft whose time has come, then unpublish every item whose time has come.

    Returns {"published": n, "unpublished": n}; a second run at once changes nothing.
    """
    now = now or timezone.now()
    published = unpublished = 0
    for model in publishable_models():
        published += _apply(
            model,
            Q(status=Status.DRAFT, publish_at__lte=now),
            Status.PUBLISHED,
            PUBLISHED_AS_SCHEDULED,
        )
        unpublished += _apply(
            model,
            Q(status=Status.PUBLISHED, unpublish_at__lte=now),
            Status.DRAFT,
            UNPUBLISHED_AS_SCHEDULED,
        )
    return {"published": published, "unpublished": unpublished}
