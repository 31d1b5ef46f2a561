"""Downloads of tabular data as CSV that opens cleanly and safely in a spreadsheet."""

import csv
import io

from django.http import HttpResponse

# A spreadsheet treats a cell starting with one of these as a formula, or (tab, carriage
# return) may shift it into one, so such text is stored with a leading apostrophe instead.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A cell value a spreadsheet shows as text: strings that could run as formulas get a '."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return "" if value is None else value


def csv_response(filename, columns, rows):
    """A UTF-8 CSV download with a byte order mark, so Excel reads the accents right.

    `columns` are the header names, `rows` dicts keyed by them.
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([neutralise(row.get(column)) for column in columns])
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
