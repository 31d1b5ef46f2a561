"""Bar charts drawn on the server as HTML: the numbers are text, the bars only show them."""

from dataclasses import dataclass

from django.db.models import Count

from .models import NOT_KNOWN, Mutual, dated_status

# Bars are sized by CSS classes in 5% steps, as the CSP allows no inline style.
STEP = 5


@dataclass
class Bar:
    label: str
    count: int
    width: int = 0


def sized(bars):
    """Give each bar its width as a share of the longest, rounded to a step; 0 only for 0."""
    longest = max((bar.count for bar in bars), default=0)
    for bar in bars:
        if bar.count:
            bar.width = max(STEP, round(bar.count * 100 / longest / STEP) * STEP)
    return bars


def by_service_area(mutuals):
    """Counts per service area, in the editors' order, 'Not known' last; one query."""
    rows = (
        Mutual.objects.filter(pk__in=mutuals.values("pk"))
        .values("service_area__name", "service_area__position")
        .annotate(count=Count("pk"))
        .order_by("service_area__position", "service_area__name")
    )
    bars = [
        Bar(row["service_area__name"], row["count"]) for row in rows if row["service_area__name"]
    ]
    bars += [Bar(NOT_KNOWN, row["count"]) for row in rows if not row["service_area__name"]]
    return sized(bars)


def by_status(mutuals):
    """Counts per dated status, 'Developing, in 2010', in the order a mutual moves through the
    statuses and then by year (undated last within a status), 'Not known' last; one query.
    """
    rows = (
        Mutual.objects.filter(pk__in=mutuals.values("pk"))
        .values("progress", "progress_year")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {}
    for row in rows:
        counts.setdefault(row["progress"], {})[row["progress_year"]] = row["count"]
    bars = []
    for value, label in Mutual.Progress.choices:
        years = counts.get(value, {})
        for year in sorted(years, key=lambda year: (year is None, year or 0)):
            bars.append(Bar(dated_status(label, year), years[year]))
    unknown = sum(counts.get("", {}).values())
    if unknown:
        bars.append(Bar(NOT_KNOWN, unknown))
    return sized(bars)
