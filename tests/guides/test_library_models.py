import datetime

import pytest

from guides.models import Resource
from guides.models.library import readable_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 bytes"),
        (980, "980 bytes"),
        (1024, "1 KB"),
        (49_152, "48 KB"),
        (1024 * 1024, "1 MB"),
        (1_258_291, "1.2 MB"),
        (20 * 1024 * 1024, "20 MB"),
    ],
)
def test_sizes_read_as_gov_uk_writes_them(size, text):
    assert readable_size(size) == text


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
