"""Triage in the admin: who sees which enquiries, and handling them."""

import csv
import datetime
import io

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from enquiries.kept_counts import enquiries_changed
from enquiries.models import EmailDelivery, Enquiry, EnquiryNote
from enquiries.tasks import send_enquiry_email

CHANGELIST = reverse("admin:enquiries_enquiry_changelist")
EXPORT = reverse("admin:enquiries_enquiry_export")
TODAY = timezone.localdate()


def change_url(enquiry):
    return reverse("admin:enquiries_enquiry_change", args=[enquiry.pk])


def change_data(enquiry, note="", **fields):
    """The change form as a browser would post it, with one empty note to fill in."""
    notes = enquiry.notes.count()
    deliveries = enquiry.deliveries.count()
    return {
        "status": enquiry.status,
        "outcome": enquiry.outcome,
        "reassign_to": "",
        "reassign_reason": "",
        "notes-TOTAL_FORMS": notes + 1,
        "notes-INITIAL_FORMS": notes,
        "notes-MIN_NUM_FORMS": 0,
        "notes-MAX_NUM_FORMS": 1000,
        f"notes-{notes}-text": note,
        "deliveries-TOTAL_FORMS": deliveries,
        "deliveries-INITIAL_FORMS": deliveries,
        "deliveries-MIN_NUM_FORMS": 0,
        "deliveries-MAX_NUM_FORMS": 1000,
        **fields,
    }


def listed(response):
    return [enquiry.reference for enquiry in response.context["cl"].result_list]


@pytest.fixture
def two_partners(co_ops, eoa, mutuals_team, make_enquiry):
    """A co-operative enquiry for Co-operatives UK and an employee-ownership one for the EOA."""
    ours = make_enquiry(co_ops, email="ann@anytown.example.org", organisation="Anytown Care")
    theirs = make_enquiry(eoa, email="bo@elsewhere.example.org", organisation="Elsewhere Leisure")
    return ours, theirs


@pytest.fixture
def co_ops_client(client, make_handler, co_ops):
    client.force_login(make_handler(co_ops))
    return client


def test_a_partner_handler_lists_and_finds_only_their_partners_enquiries(
    co_ops_client, two_partners, eoa
):
    ours, theirs = two_partners

    assert listed(co_ops_client.get(CHANGELIST)) == [ours.reference]
    for query in (theirs.reference, theirs.email, "Elsewhere"):
        assert listed(co_ops_client.get(CHANGELIST, {"q": query})) == []
    assert listed(co_ops_client.get(CHANGELIST, {"q": "Anytown"})) == [ours.reference]
    filtered = co_ops_client.get(CHANGELIST, {"destination__id__exact": eoa.pk}, follow=True)
    assert theirs.reference not in filtered.content.decode()


def test_another_partners_enquiry_is_not_found_at_any_address(co_ops_client, two_partners):
    ours, theirs = two_partners
    theirs.status = Enquiry.Status.IN_PROGRESS
    theirs.save()
    version = theirs.history.first().history_id
    urls = [
        change_url(theirs),
        reverse("admin:enquiries_enquiry_history", args=[theirs.pk]),
        reverse("admin:enquiries_enquiry_simple_history", args=[theirs.pk, version]),
        reverse("admin:enquiries_enquiry_delete", args=[theirs.pk]),
        reverse("admin:enquiries_enquiry_change", args=["not-a-number"]),
    ]

    for url in urls:
        assert co_ops_client.get(url).status_code == 404, url
    posted = co_ops_client.post(change_url(theirs), change_data(theirs, note="Mine now"))
    assert posted.status_code == 404
    assert not theirs.notes.exists()

    exported = co_ops_client.get(EXPORT).content.decode()
    assert ours.reference in exported and theirs.reference not in exported
    action = co_ops_client.post(
        CHANGELIST,
        {"action": "export_selected", "_selected_action": [ours.pk, theirs.pk]},
    )
    assert action["Content-Type"].startswith("text/csv")
    assert theirs.reference not in action.content.decode()
    assert ours.reference in action.content.decode()


def test_the_history_of_their_own_enquiry_opens_but_cannot_be_put_back(co_ops_client, two_partners):
    ours, _ = two_partners
    ours.status = Enquiry.Status.IN_PROGRESS
    ours.save()
    first = ours.history.last()
    version_url = reverse("admin:enquiries_enquiry_simple_history", args=[ours.pk, first.pk])

    history_url = reverse("admin:enquiries_enquiry_history", args=[ours.pk])
    assert co_ops_client.get(history_url).status_code == 200
    assert co_ops_client.get(version_url).status_code == 200
    assert co_ops_client.post(version_url, change_data(ours, status="new")).status_code == 405
    ours.refresh_from_db()
    assert ours.status == Enquiry.Status.IN_PROGRESS


def test_the_mutuals_team_and_superusers_see_every_enquiry(
    client, admin_client, mutuals_team_handler, two_partners
):
    client.force_login(mutuals_team_handler)
    references = sorted(e.reference for e in two_partners)

    for who in (client, admin_client):
        assert sorted(listed(who.get(CHANGELIST))) == references
        assert who.get(change_url(two_partners[1])).status_code == 200


def test_a_handler_with_no_partner_sees_none_and_other_groups_none_at_all(
    client, make_staff, two_partners
):
    ours, _ = two_partners
    client.force_login(make_staff("Enquiry handlers", username="unlinked"))
    assert listed(client.get(CHANGELIST)) == []
    assert client.get(change_url(ours)).status_code == 404
    assert client.get(EXPORT).content.decode().count("\r\n") == 1  # the header alone

    for group in ("Content editors", "Routing managers"):
        client.force_login(make_staff(group, username=group))
        assert client.get(CHANGELIST).status_code == 403, group
        assert client.get(change_url(ours)).status_code == 404, group
        assert client.get(EXPORT).status_code == 403, group


def test_only_superusers_link_handlers_to_partners(client, admin_client, make_staff, db):
    url = reverse("admin:enquiries_partnermembership_changelist")
    assert admin_client.get(url).status_code == 200
    for group in ("Enquiry handlers", "Routing managers", "Content editors"):
        client.force_login(make_staff(group, username=group))
        assert client.get(url).status_code == 403, group


def test_a_handler_adds_a_note_and_closes_an_enquiry(co_ops_client, two_partners):
    ours, _ = two_partners
    handler = co_ops_client.session["_auth_user_id"]

    response = co_ops_client.post(
        change_url(ours),
        change_data(ours, note="Phoned them back; sent our guide.", status="closed",
                    outcome="answered"),
    )  # fmt: skip

    assert response.status_code == 302, response.content.decode()[:2000]
    ours.refresh_from_db()
    assert (ours.status, ours.outcome) == ("closed", "answered")
    assert ours.closed_at is not None
    [note] = ours.notes.all()
    assert note.text == "Phoned them back; sent our guide."
    assert str(note.author_id) == handler
    latest = ours.history.first()
    assert latest.status == "closed" and str(latest.history_user_id) == handler
    page = co_ops_client.get(change_url(ours)).content.decode()
    assert "Phoned them back" in page


def test_reopening_an_enquiry_clears_when_it_was_closed(two_partners):
    ours, _ = two_partners
    ours.status, ours.outcome = Enquiry.Status.CLOSED, Enquiry.Outcome.SPAM
    ours.save()
    assert ours.closed_at is not None
    ours.status, ours.outcome = Enquiry.Status.IN_PROGRESS, ""
    ours.save()
    ours.refresh_from_db()
    assert ours.closed_at is None


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"status": "closed"}, "Choose an outcome to close the enquiry"),
        ({"status": "in-progress", "outcome": "answered"},
         "Leave the outcome empty unless you close the enquiry"),
        ({"reassign_reason": "They know pensions"}, "Choose the partner to pass the enquiry to"),
    ],
)  # fmt: skip
def test_a_change_that_does_not_add_up_is_refused_with_a_message(
    co_ops_client, two_partners, changes, error
):
    ours, _ = two_partners
    response = co_ops_client.post(change_url(ours), change_data(ours, **changes))

    assert response.status_code == 200
    assert error in response.content.decode()
    ours.refresh_from_db()
    assert ours.status == "new"


def test_passing_an_enquiry_on_needs_a_reason(co_ops_client, two_partners, eoa):
    ours, _ = two_partners
    response = co_ops_client.post(change_url(ours), change_data(ours, reassign_to=eoa.pk))

    assert "Enter why you are passing the enquiry on" in response.content.decode()
    ours.refresh_from_db()
    assert ours.destination.slug == "co-operatives-uk"
    assert not EmailDelivery.objects.exists()


def test_passing_an_enquiry_on_notes_why_and_emails_the_new_partner(
    co_ops_client, two_partners, eoa
):
    ours, _ = two_partners
    reason = "It is about an employee-owned trust, which the EOA knows best."

    response = co_ops_client.post(
        change_url(ours), change_data(ours, reassign_to=eoa.pk, reassign_reason=reason),
        follow=True,
    )  # fmt: skip

    assert response.redirect_chain[-1][0] == CHANGELIST
    assert "It is no longer in your list" in response.content.decode()
    ours.refresh_from_db()
    assert (ours.destination, ours.status) == (eoa, "assigned")
    [note] = ours.notes.all()
    assert reason in note.text and "Co-operatives UK" in note.text
    assert note.author.username == "handler-co-operatives-uk"
    latest = ours.history.first()
    assert latest.history_change_reason == "Reassigned to Employee Ownership Association"
    assert latest.history_user.username == "handler-co-operatives-uk"
    [delivery] = EmailDelivery.objects.all()
    assert delivery.kind == "reassigned"
    assert delivery.recipients == ["hello@eoa.example.org", "team@eoa.example.org"]
    assert DBTaskResult.objects.ready().get().args_kwargs["args"] == [delivery.pk]
    assert co_ops_client.get(change_url(ours)).status_code == 404

    send_enquiry_email.call(delivery.pk)

    [message] = mail.outbox
    assert message.to == delivery.recipients
    assert message.subject == (
        f"Enquiry {ours.reference} has been passed to Employee Ownership Association"
    )
    assert f"http://testserver{change_url(ours)}" in message.body
    assert "Sam" not in message.body and reason not in message.body


def test_overdue_enquiries_come_first_and_are_tagged(admin_client, co_ops, make_enquiry):
    def days(n):
        return TODAY + datetime.timedelta(days=n)

    now = timezone.now()
    recent = make_enquiry(co_ops, due_on=days(3), submitted_at=now)
    a_bit_late = make_enquiry(
        co_ops, due_on=days(-1), submitted_at=now - datetime.timedelta(days=8)
    )
    very_late = make_enquiry(
        co_ops, due_on=days(-20), submitted_at=now - datetime.timedelta(days=30)
    )
    closed_late = make_enquiry(
        co_ops, due_on=days(-30), submitted_at=now - datetime.timedelta(days=40),
        status="closed", outcome="answered",
    )  # fmt: skip
    due_today = make_enquiry(co_ops, due_on=TODAY, submitted_at=now - datetime.timedelta(days=1))

    response = admin_client.get(CHANGELIST)

    assert listed(response) == [
        very_late.reference, a_bit_late.reference,
        recent.reference, due_today.reference, closed_late.reference,
    ]  # fmt: skip
    html = response.content.decode()
    assert html.count('<strong class="enquiry-tag enquiry-tag--overdue">Overdue</strong>') == 2
    overdue_only = admin_client.get(CHANGELIST, {"overdue": "yes"})
    assert listed(overdue_only) == [very_late.reference, a_bit_late.reference]


def test_counts_by_status_and_partner_cover_only_what_the_handler_sees(
    co_ops_client, co_ops, eoa, make_enquiry
):
    make_enquiry(co_ops, due_on=TODAY - datetime.timedelta(days=2))
    make_enquiry(co_ops, status="waiting")
    make_enquiry(co_ops, status="closed", outcome="referred")
    make_enquiry(eoa)
    make_enquiry(eoa, status="waiting")

    response = co_ops_client.get(CHANGELIST)

    counts = {
        value: (total, overdue) for value, _, total, overdue in response.context["status_counts"]
    }
    assert counts == {
        "new": (1, 1), "assigned": (0, 0), "in-progress": (0, 0), "waiting": (1, 0),
        "closed": (1, 0),
    }  # fmt: skip
    assert response.context["overdue_total"] == 1
    assert response.context["destination_counts"] == [(co_ops.pk, "Co-operatives UK", 3)]
    html = response.content.decode()
    assert "Waiting for the enquirer: <strong>1</strong>" in html
    assert "Employee Ownership" not in html.split('id="changelist-filter"')[0]


def partner_filter(response):
    """The partner filter's choices on the list, as (partner id, name); "All" left out."""
    [spec] = [spec for spec in response.context["cl"].filter_specs if spec.title == "destination"]
    return list(spec.lookup_choices)


def test_the_partner_filter_lists_partners_without_reading_the_enquiries(
    client, make_handler, mutuals_team_handler, mutuals_team, co_ops, eoa, make_enquiry
):
    make_enquiry(co_ops)

    client.force_login(make_handler(co_ops))
    assert partner_filter(client.get(CHANGELIST)) == [(co_ops.pk, "Co-operatives UK")]

    # The Mutuals Team may filter by any partner, one with no enquiries yet too.
    client.force_login(mutuals_team_handler)
    assert partner_filter(client.get(CHANGELIST)) == [
        (mutuals_team.pk, "Cabinet Office Mutuals Team"),
        (co_ops.pk, "Co-operatives UK"),
        (eoa.pk, "Employee Ownership Association"),
    ]


def test_the_counts_by_partner_put_enquiries_with_no_partner_last(
    admin_client, co_ops, eoa, make_enquiry
):
    make_enquiry(eoa, status="closed", outcome="referred")
    make_enquiry(co_ops)
    make_enquiry(co_ops, status="waiting")
    Enquiry.objects.filter(pk=make_enquiry(co_ops).pk).update(destination=None)

    response = admin_client.get(CHANGELIST)

    assert response.context["destination_counts"] == [
        (co_ops.pk, "Co-operatives UK", 2),
        (eoa.pk, "Employee Ownership Association", 1),
        (None, None, 1),
    ]
    counts = {value: total for value, _, total, _ in response.context["status_counts"]}
    assert (counts["new"], counts["waiting"], counts["closed"]) == (2, 1, 1)


def test_the_csv_keeps_the_lists_filters_and_neutralises_formulas(
    admin_client, co_ops, eoa, make_enquiry, make_stage, make_topic
):
    stage = make_stage(slug="appraise-the-options", title="Appraise the options")
    legal = make_topic("Legal")
    wanted = make_enquiry(
        co_ops, organisation='=HYPERLINK("http://evil.example", "Click")', stage=stage
    )
    wanted.topics.set([legal])
    make_enquiry(co_ops, organisation="-1+2", status="closed", outcome="spam")
    make_enquiry(eoa, organisation="@SUM(A1)")

    page = admin_client.get(
        CHANGELIST, {"status__exact": "new", "destination__id__exact": co_ops.pk}
    )
    assert page.context["export_url"] == (
        f"{EXPORT}?status__exact=new&destination__id__exact={co_ops.pk}"
    )
    response = admin_client.get(page.context["export_url"])

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Reference"] for row in rows] == [wanted.reference]
    [row] = rows
    assert row["Organisation"] == '\'=HYPERLINK("http://evil.example", "Click")'
    assert (row["Stage"], row["Topics"], row["Destination"]) == (
        "Appraise the options", "Legal", "Co-operatives UK"
    )  # fmt: skip
    assert not {"Name", "Email", "Phone", "Message"} & set(row)
    everything = admin_client.get(EXPORT).content.decode("utf-8-sig")
    assert "'-1+2" in everything and "'@SUM(A1)" in everything


def test_the_list_filters_by_stage_topic_and_date(
    admin_client, co_ops, make_enquiry, make_stage, make_topic
):
    stage = make_stage(slug="appraise-the-options", title="Appraise the options")
    topic = make_topic("Pensions")
    on_stage = make_enquiry(co_ops, stage=stage)
    on_topic = make_enquiry(co_ops, submitted_at=timezone.now() - datetime.timedelta(days=60))
    on_topic.topics.set([topic])

    def filtered(**params):
        return listed(admin_client.get(CHANGELIST, params))

    assert filtered(stage__id__exact=stage.pk) == [on_stage.reference]
    assert filtered(topics__id__exact=topic.pk) == [on_topic.reference]
    midnight = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    since = str(midnight - datetime.timedelta(days=7))  # as the "Past 7 days" link has it
    assert filtered(submitted_at__gte=since) == [on_stage.reference]


def changelist_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CHANGELIST)
    assert response.status_code == 200
    return len(queries)


def test_the_list_makes_as_many_queries_for_500_enquiries_as_for_one(
    client, mutuals_team_handler, mutuals_team, co_ops, eoa, make_stage, make_enquiry
):
    client.force_login(mutuals_team_handler)
    stage = make_stage()
    make_enquiry(co_ops, stage=stage)
    one = changelist_queries(client)

    template = Enquiry.objects.get()
    overdue = TODAY - datetime.timedelta(days=3)
    Enquiry.objects.bulk_create(
        Enquiry(
            reference=f"MIS-2025-{n:05d}", submission_token=f"token-{n}", due_on=overdue,
            name=template.name, email=template.email, contact_method="email",
            organisation=f"Organisation {n}", organisation_type=template.organisation_type,
            role=template.role, service_area=template.service_area, message="A question",
            destination=(co_ops, eoa, mutuals_team)[n % 3], stage=stage,
            status=Enquiry.Status.values[n % 5],
        )
        for n in range(499)
    )  # fmt: skip
    enquiries_changed()  # bulk_create sends no signals

    assert changelist_queries(client) == one
    # Each page holds the rows the whole list puts there, in its order, sorted by id first.
    in_order = list(
        Enquiry.objects.with_overdue()
        .order_by("-overdue", "overdue_due_on", "-submitted_at", "-pk")
        .values_list("reference", flat=True)
    )
    assert listed(client.get(CHANGELIST, {"p": 2})) == in_order[50:100]
    assert listed(client.get(CHANGELIST, {"p": 10})) == in_order[450:]


def test_notes_cannot_be_changed_or_removed_once_written(co_ops_client, two_partners):
    ours, _ = two_partners
    note = EnquiryNote.objects.create(enquiry=ours, text="First call made.")
    data = change_data(ours)
    data["notes-0-text"] = "Rewritten"
    data["notes-0-id"] = note.pk

    co_ops_client.post(change_url(ours), data)

    note.refresh_from_db()
    assert note.text == "First call made."
    assert ours.notes.count() == 1
