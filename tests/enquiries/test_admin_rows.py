"""The enquiry list's rows are made without Django's cell-by-cell machinery, and are exactly
the HTML Django would have made."""

import datetime
import re

import pytest
from django.contrib.admin.templatetags.admin_list import results
from django.urls import reverse
from django.utils import timezone

from enquiries.admin_rows import EnquiryRows
from enquiries.models import Enquiry

CHANGELIST = reverse("admin:enquiries_enquiry_changelist")
TODAY = timezone.localdate()


@pytest.fixture
def varied(mutuals_team, co_ops, make_enquiry):
    """Enquiries with what could trip a cell up: markup in the text, no partner, overdue,
    closed with an outcome, details removed, text with spaces round it."""
    make_enquiry(
        co_ops,
        organisation='<b>"Tom & Jerry\'s"</b> Co-op',
        due_on=TODAY - datetime.timedelta(days=3),
    )
    make_enquiry(None, organisation="  Anytown  ", status=Enquiry.Status.IN_PROGRESS)
    make_enquiry(
        mutuals_team, status=Enquiry.Status.CLOSED, outcome=Enquiry.Outcome.NOT_PURSUED,
        organisation="", name="", email="", anonymised_at=timezone.now(),
    )  # fmt: skip
    make_enquiry(
        co_ops, reference="MIS-2026-<&>", submitted_at=timezone.now() - datetime.timedelta(days=400)
    )


def djangos_rows(cl):
    return ["".join(cells) for cells in results(cl)]


def our_rows(cl):
    rows = EnquiryRows(cl)
    assert rows.known()
    return ["".join(cells) for cells in rows]


@pytest.mark.parametrize(
    "params",
    [{}, {"status__exact": "new", "o": "3"}, {"q": "Anytown", "overdue": "no"}, {"all": ""}],
    ids=str,
)
def test_each_row_is_the_html_django_makes(admin_client, varied, params):
    cl = admin_client.get(CHANGELIST, params).context["cl"]

    assert our_rows(cl) == djangos_rows(cl)
    assert our_rows(cl)


def test_a_handlers_rows_are_the_html_django_makes(client, varied, make_handler, co_ops):
    client.force_login(make_handler(co_ops))
    cl = client.get(CHANGELIST, {"destination__id__exact": co_ops.pk}).context["cl"]

    assert len(our_rows(cl)) == 2
    assert our_rows(cl) == djangos_rows(cl)


def without_tokens(html):
    """The page less what differs on every request: its CSRF token and CSP nonce."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_the_whole_page_is_the_page_django_makes(admin_client, varied, monkeypatch):
    ours = admin_client.get(CHANGELIST, {"status__exact": "new"}).content.decode()
    monkeypatch.setattr(EnquiryRows, "known", lambda self: False)
    djangos = admin_client.get(CHANGELIST, {"status__exact": "new"}).content.decode()

    assert 'class="field-reference"' in ours
    assert without_tokens(ours) == without_tokens(djangos)


def test_a_column_it_does_not_know_is_left_to_django(admin_client, varied, monkeypatch):
    from enquiries.admin import EnquiryAdmin

    monkeypatch.setattr(EnquiryAdmin, "list_display", [*EnquiryAdmin.list_display, "email"])
    cl = admin_client.get(CHANGELIST).context["cl"]

    assert not EnquiryRows(cl).known()
    assert "".join(map("".join, EnquiryRows(cl))) == "".join(djangos_rows(cl))
    assert 'class="field-email"' in admin_client.get(CHANGELIST).content.decode()
