"""The contact form and what is kept of an enquiry match what the privacy notice says."""

import csv
import datetime
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse
from django.utils import timezone

from enquiries.choices import Role
from enquiries.models import Enquiry, EnquiryNote, RoutingRule
from enquiries.retention import months_before, purge_enquiries
from enquiries.routing import Answers

CONTACT = reverse("enquiries:contact")
EXPORT = reverse("admin:enquiries_enquiry_export")
BEFORE = [("enquiries", "0005_retire_historical_partners")]
AFTER = [("enquiries", "0006_staff_representative_role")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def back_to_latest():
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def closed_months_ago(enquiry, months):
    enquiry.status, enquiry.outcome = Enquiry.Status.CLOSED, Enquiry.Outcome.ANSWERED
    enquiry.save()
    Enquiry.objects.filter(pk=enquiry.pk).update(closed_at=months_before(timezone.now(), months))
    enquiry.refresh_from_db()
    return enquiry


def csv_rows(response):
    assert response.status_code == 200
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


# The privacy box confirms the notice was read; it asks for no consent.


def test_the_privacy_box_confirms_the_notice_was_read_and_links_to_it(client, enquiry_data):
    html = client.get(CONTACT).content.decode()

    assert '<label class="govuk-label govuk-checkboxes__label" for="id_privacy">' in html
    label = html.split('for="id_privacy">', 1)[1].split("</label>", 1)[0]
    assert label.strip() == "I have read the privacy notice"
    hint = html.split('id="id_privacy_hint"', 1)[1].split("</div>", 1)[0]
    assert 'href="/privacy/"' in hint
    assert 'aria-describedby="id_privacy_hint"' in html
    assert "agree" not in html.lower()


def test_sending_without_the_box_ticked_says_what_to_do(client, enquiry_data):
    response = client.post(CONTACT, {**enquiry_data, "privacy": ""})
    html = response.content.decode()

    assert response.status_code == 200
    assert '<a href="#id_privacy">Confirm that you have read the privacy notice</a>' in html
    assert "Error:</span> Confirm that you have read the privacy notice" in html


# No answer says that someone belongs to a trade union.


def test_the_form_offers_no_role_that_reveals_trade_union_membership(client, enquiry_data):
    html = client.get(CONTACT).content.decode()

    assert "trade union" not in html.lower() and "trade-union" not in html
    assert Role.STAFF_REPRESENTATIVE.label == "Staff representative"
    assert 'value="staff-representative"' in html
    assert [value for value in Role.values if "union" in value] == []


def test_a_staff_representative_can_send_an_enquiry(client, enquiry_data):
    response = client.post(CONTACT, {**enquiry_data, "role": "staff-representative"})

    assert response.status_code == 302
    assert response["Location"] == reverse("enquiries:check")


def test_shipped_rules_match_only_roles_the_form_offers(db):
    call_command("load_content", stdout=StringIO())

    for rule in RoutingRule.objects.all():
        assert set(rule.roles) <= set(Role.values), rule.name
    decision = RoutingRule.objects.route(
        Answers(role="staff-representative", organisation_type="other", message="Help")
    )
    assert decision.destination.slug == "mutual-ventures"


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_migration_moves_stored_union_roles_to_staff_representative():
    apps = migrate(BEFORE)
    Partner = apps.get_model("enquiries", "Partner")
    OldEnquiry = apps.get_model("enquiries", "Enquiry")
    OldHistory = apps.get_model("enquiries", "HistoricalEnquiry")
    OldRule = apps.get_model("enquiries", "RoutingRule")
    partner = Partner.objects.create(
        name="Mutual Ventures", slug="mutual-ventures", description="Advisers.",
        helps_with="Spinning out", notification_emails="team@mutual-ventures.example.org",
    )  # fmt: skip
    common = {
        "due_on": datetime.date(2026, 1, 9), "name": "Sam", "email": "sam@example.org",
        "contact_method": "email", "organisation": "Council", "organisation_type": "other",
        "service_area": "other", "message": "Hello", "destination": partner,
    }  # fmt: skip
    union = OldEnquiry.objects.create(
        reference="MIS-2026-00001", submission_token="a", role="trade-union", **common
    )
    manager = OldEnquiry.objects.create(
        reference="MIS-2026-00002", submission_token="b", role="manager", **common
    )
    # The history model of a migration state records nothing itself: write its row by hand.
    history_fields = {
        "id": union.pk, "reference": union.reference, "submission_token": "a",
        "status": "new", "submitted_at": union.submitted_at, "role": "trade-union",
        "history_date": timezone.now(), "history_type": "+",
        **{k: v for k, v in common.items() if k not in ("message", "destination")},
    }  # fmt: skip
    OldHistory.objects.create(destination_id=partner.pk, **history_fields)
    rule = OldRule.objects.create(
        name="Staff groups", destination=partner,
        roles=["front-line", "trade-union", "staff-representative"],
    )  # fmt: skip
    untouched = OldRule.objects.create(name="Managers", destination=partner, roles=["manager"])

    apps = migrate(AFTER)

    NewEnquiry = apps.get_model("enquiries", "Enquiry")
    NewHistory = apps.get_model("enquiries", "HistoricalEnquiry")
    NewRule = apps.get_model("enquiries", "RoutingRule")
    assert NewEnquiry.objects.get(pk=union.pk).role == "staff-representative"
    assert NewEnquiry.objects.get(pk=manager.pk).role == "manager"
    assert list(NewHistory.objects.values_list("role", flat=True)) == ["staff-representative"]
    assert NewRule.objects.get(pk=rule.pk).roles == ["front-line", "staff-representative"]
    assert NewRule.objects.get(pk=untouched.pk).roles == ["manager"]
    # An old record is still a valid enquiry: its role is one the model now offers.
    NewEnquiry.objects.get(pk=union.pk)._meta.get_field("role").clean("staff-representative", None)
    assert not NewEnquiry.objects.filter(role="trade-union").exists()


# What is kept after the personal data goes, and what the staff CSV shows.


def test_after_the_purge_only_the_answers_the_notice_lists_are_kept(
    co_ops, make_enquiry, make_stage, make_topic, settings
):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    stage = make_stage(slug="explore-the-idea")
    enquiry = make_enquiry(co_ops, phone="01632 960 001", stage=stage)
    enquiry.topics.set([make_topic("Legal")])
    EnquiryNote.objects.create(enquiry=enquiry, text="Rang Sam Jones.")
    closed_months_ago(enquiry, 25)

    purge_enquiries()

    enquiry.refresh_from_db()
    held = {
        field.name
        for field in Enquiry._meta.concrete_fields
        if getattr(enquiry, field.attname) not in ("", None)
    }
    # The notice says we keep these so we can count enquiries, and that they are not
    # anonymous. A new field kept after the purge must be added to the notice, or removed.
    assert held == {
        "id", "reference", "submission_token", "status", "outcome", "closed_at",
        "anonymised_at", "submitted_at", "due_on", "contact_method", "organisation_type",
        "role", "service_area", "stage", "rule_name", "destination",
    }  # fmt: skip
    assert not enquiry.notes.exists()
    for record in enquiry.history.all():
        assert (record.name, record.email, record.phone, record.organisation) == ("",) * 4


def test_the_csv_leaves_out_the_organisation_once_an_enquiry_is_past_its_time(
    admin_client, co_ops, make_enquiry, settings
):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    purged = closed_months_ago(make_enquiry(co_ops, organisation="Tiny Parish Council"), 25)
    purge_enquiries()
    # Past its time, but the daily job has not run since: the CSV must not wait for it.
    overdue = closed_months_ago(make_enquiry(co_ops, organisation="Small Trust"), 25)
    recent = closed_months_ago(make_enquiry(co_ops, organisation="Anytown Council"), 23)
    still_open = make_enquiry(co_ops, organisation="Borough Council")
    Enquiry.objects.filter(pk=still_open.pk).update(
        submitted_at=timezone.now() - datetime.timedelta(days=900)
    )

    rows = {row["Reference"]: row for row in csv_rows(admin_client.get(EXPORT))}

    assert rows[purged.reference]["Organisation"] == ""
    assert rows[overdue.reference]["Organisation"] == ""
    assert rows[recent.reference]["Organisation"] == "Anytown Council"
    assert rows[still_open.reference]["Organisation"] == "Borough Council"
    overdue.refresh_from_db()
    assert overdue.organisation == "Small Trust"  # the export changes nothing it reads
    content = admin_client.get(EXPORT).content.decode("utf-8-sig")
    for personal in ("Sam Jones", "sam@council.example.org", "Tiny Parish", "Small Trust"):
        assert personal not in content, personal
