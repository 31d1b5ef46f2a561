"""The Mutuals Team dashboard on the admin's front page: what needs doing, for whoever signs in.

Each panel is a count with a link to the admin list that shows exactly those rows, built with
the list's own filters and from the list's own queryset, so the number and the list agree and
nobody counts what they may not open. Who sees which panels is decided once, in `_admin`:
the enquiry panels need the enquiry list, the content panels the right to change the content.
The queries do not grow with the data: one for enquiries, one for each kind of content and one
for visitors' answers. The enquiry counts are kept in the shared cache until an enquiry changes
(enquiries/kept_counts.py), so most requests read them without a query.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from enquiries.kept_counts import dashboard_counts
from enquiries.models import (
    DUE_SOON_WORKING_DAYS,
    EmailDelivery,
    Enquiry,
    due_soon_condition,
    overdue_condition,
    stuck_condition,
)
from guides.library.links import broken_link_condition
from guides.library.models import Resource
from guides.readiness.models import ReadinessCount

from .core.reviewing import ReviewState, owned_by_condition, review_condition
from .feedback.models import PageFeedback
from .publishing_admin import PublishingAdminMixin, ScheduledFilter
from .review_admin import OwnerFilter, ReviewableAdminMixin
from .site_search.admin import FoundFilter, PeriodFilter
from .site_search.models import SearchTerm

# Scheduled publishing and unpublishing this far ahead is shown.
SCHEDULE_DAYS = 7


@dataclass(frozen=True)
class Panel:
    count: int
    singular: str
    plural: str
    url: str
    hint: str = ""

    @property
    def text(self):
        """What the link says it opens, with its number: '3 enquiries overdue'."""
        return f"{self.count} {self.singular if self.count == 1 else self.plural}"


@dataclass(frozen=True)
class Section:
    title: str
    panels: list
    empty: str = ""


def _admin(request, model, action):
    """The model's admin if the user may `action` ("view" or "change") its rows, else None."""
    model_admin = admin.site._registry.get(model)
    if model_admin is None:
        return None
    allowed = getattr(model_admin, f"has_{action}_permission")(request)
    return model_admin if allowed else None


def _url(model, **params):
    opts = model._meta
    url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
    return f"{url}?{urlencode(params)}" if params else url


def _moment(value):
    """A time as the admin list's query string takes it, to the second."""
    return timezone.localtime(value).replace(microsecond=0).isoformat()


def sections(request, now=None):
    """The dashboard's sections for the signed-in user: only those they may see."""
    now = (now or timezone.now()).replace(microsecond=0)
    found = [
        _enquiries(request, now),
        *_content(request, now),
        _feedback(request, now),
        _readiness(request, now),
        _searches(request, now),
    ]
    return [section for section in found if section is not None]


def _enquiries(request, now):
    model_admin = _admin(request, Enquiry, "view")
    if model_admin is None:
        return None
    today = timezone.localdate(now)
    deliveries = EmailDelivery.objects.all()
    failed = deliveries.filter(status=EmailDelivery.Status.FAILED).values("enquiry_id")
    stuck = deliveries.filter(stuck_condition(now)).values("enquiry_id")
    counts = dashboard_counts(
        request.user,
        lambda: (
            model_admin.get_queryset(request)
            .order_by()
            .aggregate(
                overdue=Count("pk", filter=overdue_condition(today)),
                soon=Count("pk", filter=due_soon_condition(today)),
                failed=Count("pk", filter=Q(pk__in=failed)),
                stuck=Count("pk", filter=Q(pk__in=stuck)),
            )
        ),
        now,
    )
    return Section(
        "Enquiries",
        [
            Panel(
                counts["overdue"],
                "enquiry overdue",
                "enquiries overdue",
                _url(Enquiry, overdue="yes"),
                "Past their reply date with no reply yet.",
            ),
            Panel(
                counts["soon"],
                f"enquiry due in the next {DUE_SOON_WORKING_DAYS} working days",
                f"enquiries due in the next {DUE_SOON_WORKING_DAYS} working days",
                _url(Enquiry, overdue="soon"),
            ),
            Panel(
                counts["failed"],
                "enquiry with an email that was given up on",
                "enquiries with an email that was given up on",
                _url(Enquiry, email="failed"),
            ),
            Panel(
                counts["stuck"],
                "enquiry with a stuck email",
                "enquiries with a stuck email",
                _url(Enquiry, email="stuck"),
            ),
        ],
    )


def _content_admins(request):
    """The admins of reviewed or scheduled content the user may change, in a steady order."""
    found = []
    for model, model_admin in admin.site._registry.items():
        if not isinstance(model_admin, ReviewableAdminMixin | PublishingAdminMixin):
            continue
        if _admin(request, model, "change") is not None:
            found.append((model, model_admin))
    return sorted(found, key=lambda pair: str(pair[0]._meta.verbose_name_plural))


def _content(request, now):
    """Content past its review date (the user's own first), broken links and the schedule.

    One query for each kind of content, counting everything the user may change.
    """
    admins = _content_admins(request)
    if not admins:
        return []
    today = timezone.localdate(now)
    until = now + timedelta(days=SCHEDULE_DAYS)
    overdue = review_condition(ReviewState.OVERDUE, today)
    to_publish = ScheduledFilter.condition(ScheduledFilter.PUBLISH) & Q(publish_at__lte=until)
    to_unpublish = ScheduledFilter.condition(ScheduledFilter.UNPUBLISH) & Q(unpublish_at__lte=until)
    mine, everyone, links, schedule = [], [], [], []
    for model, model_admin in admins:
        opts = model._meta
        wanted = {}
        if isinstance(model_admin, ReviewableAdminMixin):
            wanted["overdue"] = Count("pk", filter=overdue)
            wanted["mine"] = Count("pk", filter=overdue & owned_by_condition(request.user))
        if isinstance(model_admin, PublishingAdminMixin):
            wanted["publish"] = Count("pk", filter=to_publish)
            wanted["unpublish"] = Count("pk", filter=to_unpublish)
        if model is Resource:
            wanted["broken"] = Count("pk", filter=broken_link_condition())
        counts = model_admin.get_queryset(request).order_by().aggregate(**wanted)
        names = (str(opts.verbose_name), str(opts.verbose_name_plural))
        review = {"review": ReviewState.OVERDUE.value}
        if counts.get("mine"):
            mine.append(
                Panel(counts["mine"], *names, _url(model, **review, owner=OwnerFilter.MINE))
            )
        if counts.get("overdue"):
            everyone.append(Panel(counts["overdue"], *names, _url(model, **review)))
        if "broken" in counts:
            links.append(
                Panel(
                    counts["broken"],
                    "resource with a broken link",
                    "resources with a broken link",
                    _url(model, link="broken"),
                )
            )
        when = _moment(until)
        if counts.get("publish"):
            schedule.append(
                Panel(
                    counts["publish"],
                    f"{names[0]} to be published",
                    f"{names[1]} to be published",
                    _url(model, scheduled=ScheduledFilter.PUBLISH, publish_at__lte=when),
                )
            )
        if counts.get("unpublish"):
            schedule.append(
                Panel(
                    counts["unpublish"],
                    f"{names[0]} to be unpublished",
                    f"{names[1]} to be unpublished",
                    _url(model, scheduled=ScheduledFilter.UNPUBLISH, unpublish_at__lte=when),
                )
            )
    found = [
        Section(
            "Your content past its review date",
            mine,
            "Nothing you or your teams own is past its review date.",
        ),
        Section(
            "All content past its review date that you can edit",
            everyone,
            "Nothing you can edit is past its review date.",
        ),
    ]
    if links:
        found.append(Section("Link checks", links))
    found.append(
        Section(
            f"Scheduled for the next {SCHEDULE_DAYS} days",
            schedule,
            f"Nothing is scheduled to be published or unpublished in the next {SCHEDULE_DAYS} "
            "days.",
        )
    )
    return found


def _feedback(request, now):
    model_admin = _admin(request, PageFeedback, "view")
    if model_admin is None:
        return None
    count = model_admin.get_queryset(request).this_week(now).count()
    since = _moment(now - timedelta(days=7))
    return Section(
        "Is this page useful?",
        [
            Panel(
                count,
                "answer in the last 7 days",
                "answers in the last 7 days",
                _url(PageFeedback, created__gte=since),
            )
        ],
    )


def _readiness(request, now):
    """This month's readiness check results by stage: counts only, in one query."""
    if _admin(request, ReadinessCount, "view") is None:
        return None
    month = timezone.localdate(now).replace(day=1)
    rows = (
        ReadinessCount.objects.filter(month=month)
        .order_by("stage__number")
        .values_list("stage__number", "stage__title", "count")
    )
    url = _url(ReadinessCount, month=month.isoformat())
    return Section(
        f"Readiness check results in {month:%B %Y}",
        [
            Panel(
                count,
                f"reader placed at stage {number}, {title}",
                f"readers placed at stage {number}, {title}",
                url,
            )
            for number, title, count in rows
        ],
        "No one has finished the readiness check this month.",
    )


def _searches(request, now):
    """Searches first made in the last 7 days that found nothing, and nobody has dealt with."""
    model_admin = _admin(request, SearchTerm, "view")
    if model_admin is None:
        return None
    since = timezone.localdate(now) - timedelta(days=6)
    count = (
        model_admin.get_queryset(request)
        .filter(first_searched__gte=since, dealt_with=False)
        .with_counts(since)
        .filter(most_found=0)
        .count()
    )
    params = {
        PeriodFilter.parameter_name: 7,
        FoundFilter.parameter_name: FoundFilter.NOTHING,
        "dealt_with__exact": 0,
        "first_searched__gte": since.isoformat(),
    }
    return Section(
        "What people searched for",
        [
            Panel(
                count,
                "new search that found nothing this week",
                "new searches that found nothing this week",
                _url(SearchTerm, **params),
            )
        ],
    )
