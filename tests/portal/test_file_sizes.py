"""File sizes read the same by a download link and in an upload's error message."""

import pytest

from portal.core.formats import readable_file_size


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
        (1024**3, "1 GB"),
        (3 * 1024**3 // 2, "1.5 GB"),
    ],
)
def test_sizes_read_as_gov_uk_writes_them(size, text):
    assert readable_file_size(size) == text
