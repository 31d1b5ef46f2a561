import datetime
from unittest import mock

import pytest

from enquiries.forms import EnquiryForm
from enquiries.working_days import add_working_days, is_working_day

D = datetime.date


def test_christmas_2026_bank_holidays_are_in_the_shipped_data():
    # Boxing Day 2026 is a Saturday, so the substitute holiday is Monday 28 December.
    assert not is_working_day(D(2026, 12, 25))
    assert not is_working_day(D(2026, 12, 28))
    assert not is_working_day(D(2027, 1, 1))
    assert is_working_day(D(2026, 12, 29))


def test_five_working_days_from_christmas_eve_2026_skip_the_holidays_and_weekends():
    # Thu 24 Dec: Fri 25 (holiday), 26-27 (weekend), Mon 28 (substitute Boxing Day) are skipped;
    # 29, 30, 31 Dec count; Fri 1 Jan (holiday) and 2-3 Jan (weekend) are skipped; 4, 5 Jan count.
    assert add_working_days(D(2026, 12, 24), 5) == D(2027, 1, 5)


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (D(2026, 11, 23), 5, D(2026, 11, 30)),  # Monday to Monday
        (D(2026, 11, 27), 1, D(2026, 11, 30)),  # Friday to Monday
        (D(2026, 11, 28), 1, D(2026, 11, 30)),  # sent on a Saturday
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # Easter: Good Friday and Easter Monday
        (D(2026, 11, 23), 0, D(2026, 11, 23)),
    ],
)
def test_working_days(start, days, due):
    assert add_working_days(start, days) == due


def test_a_saved_enquiry_is_due_in_the_configured_number_of_working_days(enquiry_data,
                                                                          settings):  # fmt: skip
    settings.ENQUIRY_DUE_WORKING_DAYS = 3
    form = EnquiryForm(data=enquiry_data)
    assert form.is_valid(), form.errors
    christmas_eve = datetime.datetime(2026, 12, 24, 16, 30, tzinfo=datetime.UTC)

    with mock.patch("enquiries.forms.timezone.now", return_value=christmas_eve):
        enquiry = form.save()

    assert enquiry.due_on == D(2026, 12, 31)
    assert enquiry.reference == "MIS-2026-00001"
