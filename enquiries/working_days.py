"""Working days in England and Wales: weekdays that are not bank holidays."""

from datetime import timedelta
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays


@cache
def bank_holidays():
    # The data shipped with the package: the site never fetches the GOV.UK feed.
    return BankHolidays(use_cached_holidays=True)


def is_working_day(day):
    return bank_holidays().is_work_day(day, division=BankHolidays.ENGLAND_AND_WALES)


def add_working_days(start, days):
    """The date `days` working days after `start` (a date); `start` itself never counts."""
    day = start
    remaining = days
    while remaining > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day
