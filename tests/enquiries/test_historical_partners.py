"""Enquiries go only to organisations that still exist: the 2012 ones are history."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from enquiries.models import Enquiry, Partner, RoutingRule
from enquiries.routing import Answers
from guides.models import Topic
from tests.migrating import migrate, migrate_to_latest

HISTORICAL_SLUGS = {"public-service-mutuals", "community-empowerment-group"}
HISTORICAL_NAMES = {"Public Service Mutuals", "Community Empowerment Group"}
BEFORE = [("enquiries", "0004_see_every_enquiry_and_stuck_email")]
AFTER = [("enquiries", "0005_retire_historical_partners")]


def load_content(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def test_every_shipped_rule_sends_enquiries_to_an_active_partner_that_still_exists(shipped):
    rules = RoutingRule.objects.active().select_related("destination")
    assert rules.exists()
    for rule in rules:
        assert rule.destination.is_active, rule.name
        assert rule.destination.slug not in HISTORICAL_SLUGS, rule.name
        assert rule.destination.name not in HISTORICAL_NAMES, rule.name
    assert not Partner.objects.filter(slug__in=HISTORICAL_SLUGS).exists()
    assert not Partner.objects.filter(name__in=HISTORICAL_NAMES).exists()


@pytest.mark.parametrize("topic_slug", ["legal", "tupe", "pensions", "back-office-support"])
def test_shipped_rules_send_legal_tupe_pensions_and_back_office_to_the_mutuals_team(
    shipped, topic_slug
):
    topic = Topic.objects.get(slug=topic_slug)

    decision = RoutingRule.objects.route(
        Answers(topic_ids={topic.pk}, role="manager", organisation_type="nhs", message="Help")
    )

    assert decision.rule is not None
    assert decision.destination.slug == "mutuals-team"
    assert decision.copies == []


def test_baxi_partnership_is_shipped_under_its_new_name(shipped):
    assert Partner.objects.get(slug="baxi-partnership").name == (
        "Baxendale (formerly Baxi Partnership)"
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_migration_retires_the_2012_partners_on_an_existing_site(client):
    apps = migrate(BEFORE)
    OldPartner = apps.get_model("enquiries", "Partner")
    OldRule = apps.get_model("enquiries", "RoutingRule")
    OldEnquiry = apps.get_model("enquiries", "Enquiry")
    common = {"description": "-", "helps_with": "-", "notification_emails": "p@example.org"}
    team = OldPartner.objects.create(
        name="Cabinet Office Mutuals Team", slug="mutuals-team", is_fallback=True, **common
    )
    psm = OldPartner.objects.create(
        name="Public Service Mutuals", slug="public-service-mutuals", **common
    )
    ceg = OldPartner.objects.create(
        name="Community Empowerment Group", slug="community-empowerment-group", **common
    )
    OldPartner.objects.create(name="Baxi Partnership", slug="baxi-partnership", **common)
    co_ops = OldPartner.objects.create(name="Co-operatives UK", slug="co-operatives-uk", **common)
    legal = OldRule.objects.create(
        name="Legal, TUPE and pensions questions go to Public Service Mutuals",
        priority=70, destination=psm, copy_mutuals_team=True,
    )  # fmt: skip
    back_office = OldRule.objects.create(
        name="Back-office services go to Community Empowerment Group",
        priority=30, destination=ceg,
    )  # fmt: skip
    edited = OldRule.objects.create(name="An editor's own rule", priority=5, destination=psm)
    untouched = OldRule.objects.create(name="Co-ops", priority=40, destination=co_ops)
    old_enquiry = OldEnquiry.objects.create(
        reference="MIS-2013-00001", due_on="2013-01-09", name="Sam", email="sam@example.org",
        contact_method="email", organisation="Council", organisation_type="other",
        role="other", service_area="other", message="Hello", destination=psm,
    )  # fmt: skip

    migrate(AFTER)

    partners = {p.slug: p for p in Partner.objects.all()}
    assert not partners["public-service-mutuals"].is_active
    assert not partners["community-empowerment-group"].is_active
    assert partners["baxi-partnership"].name == "Baxendale (formerly Baxi Partnership)"
    assert partners["baxi-partnership"].is_active
    rules = {rule.pk: rule for rule in RoutingRule.objects.all()}
    assert rules[legal.pk].name == (
        "Legal, TUPE and pensions questions go to the Mutuals Team, which refers them on"
    )
    assert rules[back_office.pk].name == (
        "Back-office services go to the Mutuals Team, which refers them on"
    )
    assert rules[edited.pk].name == "An editor's own rule"
    for pk in (legal.pk, back_office.pk, edited.pk):
        assert rules[pk].destination_id == team.pk
        assert rules[pk].is_active
        assert not rules[pk].copy_mutuals_team
    assert rules[untouched.pk].destination_id == co_ops.pk

    # A plain load then finds the renamed rules: nothing doubled, nothing brought back.
    migrate_to_latest()
    load_content()
    # Old enquiries keep the partner they went to.
    assert Enquiry.objects.get(pk=old_enquiry.pk).destination_id == psm.pk
    assert RoutingRule.objects.filter(name=rules[legal.pk].name).count() == 1
    assert RoutingRule.objects.filter(name=rules[back_office.pk].name).count() == 1
    assert not Partner.objects.get(slug="public-service-mutuals").is_active
    assert Partner.objects.filter(name="Baxendale (formerly Baxi Partnership)").count() == 1
    html = client.get(reverse("enquiries:support")).content.decode()
    assert "Baxendale (formerly Baxi Partnership)" in html
    assert 'id="public-service-mutuals"' not in html
    assert 'id="community-empowerment-group"' not in html


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_migration_switches_rules_off_when_no_partner_answers_everything_else():
    apps = migrate(BEFORE)
    OldPartner = apps.get_model("enquiries", "Partner")
    OldRule = apps.get_model("enquiries", "RoutingRule")
    psm = OldPartner.objects.create(
        name="Public Service Mutuals", slug="public-service-mutuals",
        description="-", helps_with="-", notification_emails="p@example.org",
    )  # fmt: skip
    rule = OldRule.objects.create(name="Legal", priority=70, destination=psm)

    migrate(AFTER)

    rule = RoutingRule.objects.get(pk=rule.pk)
    assert not rule.is_active
    assert rule.destination_id == psm.pk


def test_the_support_page_tells_the_2012_history_without_offering_it_as_a_destination(
    client, shipped
):
    html = client.get(reverse("enquiries:support")).content.decode()

    assert "In 2012, Public Service Mutuals" in html
    assert "February 2013" in html
    assert "In 2012, the Community Empowerment Group" in html
    partner_headings = [name for name in HISTORICAL_NAMES if f">{name}</h2>" in html]
    assert partner_headings == []
    assert '<h2 class="govuk-heading-m" id="baxi-partnership">Baxendale' in html
