"""The enquiry list's summary panels and the dashboard's enquiry counts, kept in the shared
cache until what they count changes.

Counting every enquiry by status and partner, the email problems and each partner's median
time to reply costs more than the rest of the page put together, on every page, for figures
that change far less often than they are read. So they are kept in the shared cache (Redis in
production, CACHE_URL), under three things:

- the "enquiries changed" token, replaced whenever anything they count changes: a save or
  delete of an enquiry, an email about one, a verdict or a partner (signals, connected in
  EnquiriesConfig.ready), and every change made in bulk, which sends no signals: the code that
  calls update(), bulk_create() or a queryset's delete() on those models calls
  `enquiries_changed()` itself;
- today's date, as "overdue" depends on it;
- whose enquiries they count (access.visibility_key): everyone who may see the same enquiries
  shares them, and nobody reads figures about enquiries they may not see.

Figures that change with time alone say when they will (an email becomes stuck, an enquiry
leaves the replies summary's period) and are kept no longer. KEEP_AT_MOST is a backstop only,
for a change made outside the code (a database restored from a backup, rows edited by hand).

The token is replaced at once, so the change's own request reads fresh figures, and again when
its transaction commits, so figures another request worked out from the data as it was before
the commit are never read again.
"""

import logging
import math
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone

from . import stats
from .access import visibility_key
from .models import EmailDelivery, Enquiry, Partner, SatisfactionAnswer

logger = logging.getLogger(__name__)

CHANGED_KEY = "enquiries:changed"
KEEP_AT_MOST = 15 * 60  # seconds
# Saving or deleting one of these changes what the figures count (a partner: its name).
COUNTED_MODELS = (Enquiry, EmailDelivery, SatisfactionAnswer, Partner)


def _replace_token():
    try:
        cache.set(CHANGED_KEY, uuid.uuid4().hex, None)
    except Exception:  # noqa: BLE001 - an enquiry must be saved even when the cache is down
        logger.error("Could not mark the enquiry counts as stale", exc_info=True)


def enquiries_changed(**_signal):
    """Make every kept figure stale, now and again when the transaction commits.

    Call after any update(), bulk_create() or queryset delete() on an enquiry, an email about
    one, a verdict or a partner; saves and deletes of single rows call it through signals.
    """
    _replace_token()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(_replace_token)


def connect_signals():
    """Called from EnquiriesConfig.ready()."""
    for model in COUNTED_MODELS:
        name = model._meta.label_lower
        post_save.connect(enquiries_changed, sender=model, dispatch_uid=f"{name}.counts")
        post_delete.connect(enquiries_changed, sender=model, dispatch_uid=f"{name}.counts")


def _token():
    token = cache.get(CHANGED_KEY)
    if token is None:
        # add(), not set(): two processes starting at once agree on one token.
        cache.add(CHANGED_KEY, uuid.uuid4().hex, None)
        token = cache.get(CHANGED_KEY)
    return token


def kept(wanted, now):
    """{name: value} for `wanted`, {name: (key parts, make)}, from the cache where it holds
    them. make() gives (value, when it changes with time alone, or None).

    Two round trips to the cache, however many figures; the cache being down only costs the
    queries it would have saved.
    """
    try:
        token = _token()
        keys = {
            name: ":".join(["enquiries:kept", token, *map(str, parts)])
            for name, (parts, _make) in wanted.items()
        }
        found = cache.get_many(keys.values())
    except Exception:  # noqa: BLE001
        logger.warning("Could not read the enquiry counts from the cache", exc_info=True)
        keys, found = None, {}
    values = {}
    for name, (_parts, make) in wanted.items():
        key = keys and keys[name]
        if key in found:
            values[name] = found[key]
            continue
        values[name], changes_at = make()
        seconds = KEEP_AT_MOST
        if changes_at is not None:
            seconds = min(seconds, math.floor((changes_at - now).total_seconds()))
        if key and seconds >= 1:
            try:
                cache.set(key, values[name], seconds)
            except Exception:  # noqa: BLE001
                logger.warning("Could not keep %s in the cache", key, exc_info=True)
    return values


def list_panels(user, days, now=None):
    """The enquiry list's panels for `user`: {"counts": EnquiryCounts, "email_problems":
    {failed, stuck}, "reply_summary": [PartnerSummary]} for the last `days` days."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    visible = Enquiry.objects.visible_to(user)
    scope = visibility_key(user)

    def email_problems():
        counts = EmailDelivery.objects.filter(enquiry__in=visible).problem_counts(now)
        return counts, counts.pop("next_stuck_at")

    def reply_summary():
        rows = stats.summary(visible, user, days, now)
        return rows, stats.changes_at(rows, days)

    return kept(
        {
            "counts": (("counts", scope, today), lambda: (visible.counts(today), None)),
            "email_problems": (("email", scope), email_problems),
            "reply_summary": (
                ("replies", scope, days, stats.verdicts_since(days, now)),
                reply_summary,
            ),
        },
        now,
    )


def dashboard_counts(user, count, now):
    """The dashboard's enquiry counts for `user`, from `count()` when they are not kept: as
    they include stuck emails, kept only until the next email waiting would be stuck."""

    def make():
        return count(), EmailDelivery.objects.next_stuck_at(now)

    scope = visibility_key(user)
    key = ("dashboard", scope, timezone.localdate(now))
    return kept({"counts": (key, make)}, now)["counts"]
