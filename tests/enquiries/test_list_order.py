"""The enquiry list's own order, overdue first, read in two parts from two indexes: exactly the
order one ORDER BY over every row gives, on every page, filtered and searched."""

import datetime
import random

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from enquiries.admin import EnquiryAdmin
from enquiries.kept_counts import enquiries_changed
from enquiries.models import Enquiry

CHANGELIST = reverse("admin:enquiries_enquiry_changelist")
TODAY = timezone.localdate()
# The ORDER BY the list gave before it was read in two parts (EnquiryAdmin.get_ordering, with
# the tie-break Django adds).
ONE_ORDER_BY = ("-overdue", "overdue_due_on", "-submitted_at", "-pk")
PAGE = EnquiryAdmin.list_per_page


def listed(response):
    assert response.status_code == 200
    return [enquiry.reference for enquiry in response.context["cl"].result_list]


@pytest.fixture
def varied(mutuals_team, co_ops, eoa):
    """320 enquiries, 150 or so of them overdue: every status, reply dates past, today and to
    come, some replied to, and submitted times shared by several, so ties are broken by id."""
    rng = random.Random(7)
    now = timezone.now().replace(microsecond=0)
    partners = [mutuals_team, co_ops, eoa, None]
    enquiries = []
    for n in range(320):
        status = rng.choice(Enquiry.Status.values)
        replied = rng.random() < 0.2
        enquiries.append(
            Enquiry(
                reference=f"MIS-2026-{n:05d}", submission_token=f"token-{n}",
                status=status,
                outcome=Enquiry.Outcome.ANSWERED if status == Enquiry.Status.CLOSED else "",
                submitted_at=now - datetime.timedelta(hours=rng.randint(0, 40)),
                due_on=TODAY + datetime.timedelta(days=rng.choice([-30, -9, -1, -1, 0, 1, 5])),
                reply_due_met_at=now if replied else None,
                name="Sam Jones", email="sam@council.example.org", contact_method="email",
                organisation=f"Organisation {n % 40}", organisation_type="local-authority",
                role="manager", service_area="adult-social-care", message="A question.",
                destination=rng.choice(partners),
            )
        )  # fmt: skip
    Enquiry.objects.bulk_create(enquiries)
    enquiries_changed()  # bulk_create sends no signals
    return Enquiry.objects.all()


def in_one_order_by(enquiries):
    return list(
        enquiries.with_overdue().order_by(*ONE_ORDER_BY).values_list("reference", flat=True)
    )


@pytest.fixture
def team(client, mutuals_team_handler):
    client.force_login(mutuals_team_handler)
    return client


def test_every_page_holds_the_rows_one_order_by_puts_there(team, varied):
    expected = in_one_order_by(varied)
    overdue = varied.overdue().count()
    assert overdue % PAGE, "a page should hold the last overdue and the first not"
    pages = range(1, len(expected) // PAGE + 2)

    shown = [listed(team.get(CHANGELIST, {"p": page})) for page in pages]

    assert shown == [expected[(page - 1) * PAGE : page * PAGE] for page in pages]


@pytest.mark.parametrize(
    "params",
    [
        {"status__exact": "new"},
        {"overdue": "yes"},
        {"overdue": "no"},
        {"email": "failed"},
        {"q": "Organisation 1"},
        {"q": "Organisation 1", "status__exact": "waiting"},
        {"overdue": "yes", "all": ""},
    ],
    ids=str,
)
def test_a_filtered_or_searched_list_keeps_the_same_order(team, varied, co_ops, params):
    wanted = varied
    if "status__exact" in params:
        wanted = wanted.filter(status=params["status__exact"])
    if params.get("overdue") == "yes":
        wanted = wanted.overdue()
    if params.get("overdue") == "no":
        wanted = wanted.exclude(pk__in=varied.overdue())
    if "email" in params:
        wanted = wanted.none()
    for word in params.get("q", "").split():  # each word in any of the fields searched
        wanted = wanted.filter(
            Q(reference__icontains=word) | Q(name__icontains=word)
            | Q(email__icontains=word) | Q(organisation__icontains=word)
        )  # fmt: skip
    expected = in_one_order_by(wanted)

    shown = listed(team.get(CHANGELIST, params))
    if "all" in params:
        assert PAGE < len(expected) <= 200  # all shown, on one page
        assert shown == expected
    else:
        assert shown == expected[:PAGE]
        if len(expected) > PAGE:
            assert listed(team.get(CHANGELIST, {**params, "p": 2})) == expected[PAGE : 2 * PAGE]


def test_a_handlers_list_keeps_the_same_order(client, varied, make_handler, co_ops):
    client.force_login(make_handler(co_ops))
    expected = in_one_order_by(varied.filter(destination=co_ops))

    assert listed(client.get(CHANGELIST)) == expected[:PAGE]
    assert listed(client.get(CHANGELIST, {"p": 2})) == expected[PAGE : 2 * PAGE]


def test_a_columns_own_order_is_sorted_as_django_sorts_it(team, varied):
    # "o=3.-6": submitted, then status descending, as the column headers make it.
    expected = list(
        varied.with_overdue()
        .order_by("submitted_at", "-status", *ONE_ORDER_BY)
        .values_list("reference", flat=True)
    )
    assert listed(team.get(CHANGELIST, {"o": "3.-6"})) == expected[:PAGE]


def test_every_page_costs_the_same_queries(team, varied):
    def queries(**params):
        with CaptureQueriesContext(connection) as captured:
            listed(team.get(CHANGELIST, params))
        return len(captured)

    team.get(CHANGELIST)  # the counts kept
    first = queries()

    last = len(varied) // PAGE + 1
    assert [queries(p=3), queries(p=last), queries(status__exact="new")] == [first] * 3
