"""What people searched for: each search's words counted per day, with how many it found.

Only the normalised words, the day, the number of searches and the results of the day's last
search are kept: no address, session, cookie or time of day. A search that looks as if it
holds personal data (an email address, a phone number, a UK postcode, a date such as a date
of birth, or a long number such as a reference) is not counted at all. Counts older than
SEARCH_COUNT_RETENTION_MONTHS are deleted daily (portal/tasks.py).
"""

import datetime
import re

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from portal.feedback.scrub import EMAIL, UK_PHONE

from .models import SearchCount, SearchTerm

WORDS_MAX_LENGTH = SearchTerm._meta.get_field("words").max_length
EDGES = "\"'“”‘’.,;:!?()[]{}<>"

UK_POSTCODE = re.compile(
    r"\b(?:GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})\b", re.IGNORECASE
)
MONTHS = (
    "jan|january|feb|february|mar|march|apr|april|may|jun|june|jul|july|aug|august|"
    "sep|sept|september|oct|october|nov|november|dec|december"
)
# A whole date: 12/03/1980, 12-3-80, 12.03.1980, 1980-03-12, 12 March 1980, 12th Mar 80.
FULL_DATE = re.compile(
    r"\b(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\d{4}[/.-]\d{1,2}[/.-]\d{1,2}"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:{MONTHS})\.?,?\s+\d{{2,4}})\b",
    re.IGNORECASE,
)
# Six digits or more in a row: a reference, an account or a National Insurance number's digits.
LONG_NUMBER = re.compile(r"\d{6,}")


def normalise(text):
    """The words of a search as counted: lower case, single spaces, no surrounding quotes or
    punctuation on each word; a leading minus (a left-out word) is kept.
    """
    words = (word.strip(EDGES) for word in text.lower().split())
    return " ".join(word for word in words if word.strip("-"))[:WORDS_MAX_LENGTH].strip()


def looks_personal(text):
    """Whether `text` looks as if it holds something that could identify someone."""
    compact = " ".join(text.split())
    return any(
        pattern.search(compact)
        for pattern in (EMAIL, UK_PHONE, UK_POSTCODE, FULL_DATE, LONG_NUMBER)
    )


def record_search(text, results, today=None):
    """Count one search of `text` that found `results` results, unless it looks personal.

    One UPDATE when the search was already made today; otherwise the term and the day's
    count are created, each allowing for another request creating it at the same moment.
    Returns whether it was counted.
    """
    words = normalise(text)
    if not words or looks_personal(text):
        return False
    today = today or timezone.localdate()
    # The term by a subquery rather than a join, which Django's UPDATE wraps in two more.
    term_id = SearchTerm.objects.filter(words=words).values("pk")
    counts = SearchCount.objects.filter(term__in=term_id, day=today)
    if counts.update(searches=F("searches") + 1, results=results):
        return True
    term = _get_or_create(SearchTerm, {"words": words}, {"first_searched": today})
    if _create_count(term, today, results):
        return True
    SearchCount.objects.filter(term=term, day=today).update(
        searches=F("searches") + 1, results=results
    )
    return True


def _get_or_create(model, lookup, defaults):
    try:
        with transaction.atomic():
            return model.objects.get_or_create(**lookup, defaults=defaults)[0]
    except IntegrityError:
        return model.objects.get(**lookup)


def _create_count(term, day, results):
    """Create the day's count; False when another request created it first."""
    try:
        with transaction.atomic():
            SearchCount.objects.create(term=term, day=day, searches=1, results=results)
    except IntegrityError:
        return False
    return True


def retention_cutoff(today=None):
    """The first day whose counts are kept: SEARCH_COUNT_RETENTION_MONTHS before today."""
    today = today or timezone.localdate()
    months = today.year * 12 + today.month - 1 - settings.SEARCH_COUNT_RETENTION_MONTHS
    year, month = divmod(months, 12)
    month += 1
    # The same day of that month, or its last day when the month is shorter.
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def remove_old_counts(today=None):
    """Delete counts older than the retention period, then terms with no counts left."""
    counts, _ = SearchCount.objects.filter(day__lt=retention_cutoff(today)).delete()
    terms, _ = SearchTerm.objects.filter(counts__isnull=True).delete()
    return {"search_counts": counts, "search_terms": terms}
