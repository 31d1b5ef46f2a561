from io import StringIO

import pytest
from django.urls import reverse

from enquiries.models import Partner, RoutingRule
from enquiries.routing import Answers


def route(**answers):
    return RoutingRule.objects.route(Answers(**answers))


def test_no_rule_matching_sends_the_enquiry_to_the_mutuals_team(mutuals_team, make_partner,
                                                                make_rule):  # fmt: skip
    make_rule(make_partner(), roles=["commissioner"])

    decision = route(role="manager")

    assert decision.rule is None
    assert decision.destination == mutuals_team
    assert decision.copies == []


def test_the_first_matching_rule_by_priority_decides(mutuals_team, make_partner, make_rule):
    late = make_rule(make_partner("Late"), priority=50, roles=["manager"])
    early = make_rule(make_partner("Early"), priority=10, roles=["manager"])

    decision = route(role="manager")

    assert decision.rule == early
    assert decision.destination.name == "Early"
    assert late.priority > early.priority


def test_inactive_rules_are_skipped(mutuals_team, make_partner, make_rule):
    make_rule(make_partner("Off"), priority=1, roles=["manager"], is_active=False)
    on = make_rule(make_partner("On"), priority=2, roles=["manager"])

    assert route(role="manager").rule == on


def test_a_rule_for_an_inactive_partner_is_skipped(mutuals_team, make_partner, make_rule):
    make_rule(make_partner("Closed", is_active=False), roles=["manager"])

    assert route(role="manager").destination == mutuals_team


def test_topic_condition_matches_any_chosen_topic(mutuals_team, make_partner, make_rule,
                                                  make_topic):  # fmt: skip
    legal, tax, tupe = make_topic("Legal"), make_topic("Tax"), make_topic("TUPE")
    rule = make_rule(make_partner(), topics=[legal, tupe])

    assert route(topic_ids={tupe.pk, tax.pk}).rule == rule
    assert route(topic_ids={tax.pk}).rule is None
    assert route().rule is None


def test_stage_condition(mutuals_team, make_partner, make_rule, make_stage):
    first, second = make_stage(), make_stage()
    rule = make_rule(make_partner(), stages=[second])

    assert route(stage_id=second.pk).rule == rule
    assert route(stage_id=first.pk).rule is None
    assert route(stage_id=None).rule is None


def test_role_condition(mutuals_team, make_partner, make_rule):
    rule = make_rule(make_partner(), roles=["front-line", "staff-representative"])

    assert route(role="staff-representative").rule == rule
    assert route(role="manager").rule is None


def test_organisation_type_condition(mutuals_team, make_partner, make_rule):
    rule = make_rule(make_partner(), organisation_types=["nhs"])

    assert route(organisation_type="nhs").rule == rule
    assert route(organisation_type="local-authority").rule is None


@pytest.mark.parametrize(
    ("message", "matches"),
    [
        ("We want to become a Co-operative.", True),
        ("Could we be a co-op?", True),
        ("thinking about a COOPERATIVE model", True),
        ("We want to set up a company", False),
    ],
)
def test_keyword_condition_is_case_insensitive(mutuals_team, make_partner, make_rule, message,
                                               matches):  # fmt: skip
    rule = make_rule(make_partner(), keywords="co-operative, cooperative, co-op")

    assert (route(message=message).rule == rule) is matches


def test_every_filled_in_condition_must_match(mutuals_team, make_partner, make_rule):
    rule = make_rule(make_partner(), roles=["manager"], organisation_types=["nhs"])

    assert route(role="manager", organisation_type="nhs").rule == rule
    assert route(role="manager", organisation_type="other").rule is None


def test_a_rule_can_copy_the_mutuals_team(mutuals_team, make_partner, make_rule):
    make_rule(make_partner(), roles=["manager"], copy_mutuals_team=True)

    assert route(role="manager").copies == [mutuals_team]


def test_shipped_rules_send_a_co_operative_enquiry_to_co_operatives_uk(shipped):
    decision = route(role="manager", organisation_type="nhs",
                     message="We want to convert our service into a co-operative.")  # fmt: skip

    assert decision.destination.slug == "co-operatives-uk"
    assert decision.destination.email_list == ["enquiries@co-operatives-uk.example.org"]


def test_shipped_rules_send_commissioners_to_the_mutuals_team(shipped):
    assert route(role="commissioner", message="co-operative").destination.is_fallback


@pytest.mark.parametrize(
    "message",
    [
        "Can we use the Community Right to Challenge to run our service as a co-operative?",
        "Do Rights to Provide still exist? We would like to form a co-operative.",
    ],
)
def test_shipped_rules_send_the_right_to_challenge_to_the_mutuals_team(shipped, message):
    decision = route(role="manager", organisation_type="local-authority", message=message)

    assert decision.rule.destination.slug == "mutuals-team"
    assert decision.destination.is_fallback
    # Handlers read the rule's name as the reason the enquiry reached them.
    assert "Community Right to Challenge" in decision.rule.name


def test_the_migration_names_the_challenge_rule_for_what_it_matches(shipped):
    from django.apps import apps
    from django.core.management import call_command

    migration = __import__(
        "enquiries.migrations.0013_name_the_challenge_rule",
        fromlist=["name_what_the_rule_matches"],
    )
    rule = RoutingRule.objects.get(name=migration.NEW_NAME)
    RoutingRule.objects.filter(pk=rule.pk).update(name=migration.OLD_NAME)  # a site loaded before

    migration.name_what_the_rule_matches(apps, None)

    assert RoutingRule.objects.get(pk=rule.pk).name == migration.NEW_NAME
    call_command("load_content", stdout=StringIO())
    assert RoutingRule.objects.filter(keywords__icontains="right to challenge").count() == 1


def test_exactly_one_partner_is_shipped_as_the_fallback(shipped):
    assert Partner.objects.filter(is_fallback=True).count() == 1
    assert Partner.objects.count() == 6


def test_loading_partners_again_changes_nothing_and_keeps_admin_edits(shipped):
    from io import StringIO

    from django.core.management import call_command

    Partner.objects.filter(slug="co-operatives-uk").update(helps_with="Edited")
    out = StringIO()
    call_command("load_content", stdout=out)

    assert "Partners: 0 created, 0 updated, 6 unchanged" in out.getvalue()
    assert "Routing rules: 0 created, 0 updated, 9 unchanged" in out.getvalue()
    assert Partner.objects.get(slug="co-operatives-uk").helps_with == "Edited"


def test_try_the_routing_shows_which_rule_matches_and_why(client, make_staff, mutuals_team,
                                                          make_partner, make_rule):  # fmt: skip
    make_rule(make_partner("Nobody"), name="Commissioners", priority=1, roles=["commissioner"])
    make_rule(make_partner("Co-ops"), name="Co-op words", priority=2, keywords="co-op")
    client.force_login(make_staff("Routing managers"))

    response = client.get(
        reverse("admin:enquiries_routingrule_try"), {"role": "manager", "message": "a co-op"}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Goes to: Co-ops" in html
    assert "Rule &#x27;Co-op words&#x27; matched." in html
    assert "Not matched:</span> Role: Commissioner" in html
    assert "Matched:</span> Words in the message: co-op" in html


def test_try_the_routing_saves_nothing(client, make_staff, mutuals_team):
    from enquiries.models import Enquiry

    client.force_login(make_staff("Routing managers"))
    client.get(reverse("admin:enquiries_routingrule_try"), {"message": "hello"})

    assert not Enquiry.objects.exists()


def test_try_the_routing_needs_routing_permission(client, make_staff):
    client.force_login(make_staff("Content editors"))

    response = client.get(reverse("admin:enquiries_routingrule_try"))

    assert response.status_code == 403
