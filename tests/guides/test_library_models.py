import datetime

import pytest

from guides.models import Resource


@pytest.mark.parametrize(
    ("precision", "text"),
    [
        (Resource.DatePrecision.YEAR, "2012"),
        (Resource.DatePrecision.MONTH, "July 2012"),
        (Resource.DatePrecision.DAY, "26 July 2012"),
    ],
)
def test_publication_dates_show_only_what_is_known(precision, text):
    resource = Resource(published_on=datetime.date(2012, 7, 26), published_precision=precision)

    assert resource.publication_date_display == text
    assert Resource().publication_date_display == ""
