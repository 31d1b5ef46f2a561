"""Who sees which enquiries is a permission that only superusers grant, never a partner's flag."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from enquiries.models import Enquiry, Partner, PartnerMembership
from tests.migrating import migrate

PARTNER_CHANGELIST = reverse("admin:enquiries_partner_changelist")


def partner_change_url(partner):
    return reverse("admin:enquiries_partner_change", args=[partner.pk])


def partner_form(partner, **changes):
    """The partner change form as a browser posts it; a ticked box is sent as "on"."""
    data = {
        "name": partner.name,
        "slug": partner.slug,
        "description": partner.description,
        "helps_with": partner.helps_with,
        "website": partner.website,
        "notification_emails": partner.notification_emails,
        "is_active": "on" if partner.is_active else "",
        "is_fallback": "on" if partner.is_fallback else "",
        "stages": [],
        "topics": [],
        **changes,
    }
    return {key: value for key, value in data.items() if value != ""}


def visible_references(user):
    return set(Enquiry.objects.visible_to(user).values_list("reference", flat=True))


@pytest.fixture
def handlers(make_handler, co_ops, eoa, mutuals_team, mutuals_team_handler):
    return {
        "co-ops": make_handler(co_ops),
        "eoa": make_handler(eoa),
        "mutuals team, partner's handler only": make_handler(mutuals_team, username="linked"),
        "mutuals team handlers group": mutuals_team_handler,
    }


@pytest.fixture
def enquiries(co_ops, eoa, mutuals_team, make_enquiry):
    return [make_enquiry(partner) for partner in (co_ops, eoa, mutuals_team)]


def visible_sets(handlers):
    return {name: visible_references(user) for name, user in handlers.items()}


def test_seeing_every_enquiry_comes_from_the_permission_alone(handlers, enquiries):
    co_ops_enquiry, eoa_enquiry, team_enquiry = (e.reference for e in enquiries)

    assert visible_sets(handlers) == {
        "co-ops": {co_ops_enquiry},
        "eoa": {eoa_enquiry},
        # Being linked to the partner that answers everything else is not enough.
        "mutuals team, partner's handler only": {team_enquiry},
        "mutuals team handlers group": {co_ops_enquiry, eoa_enquiry, team_enquiry},
    }
    group = Group.objects.get(name="Mutuals Team handlers")
    assert {p.codename for p in group.permissions.all()} == {
        "change_enquiry", "view_enquiry", "view_every_enquiry", "add_enquirynote",
        "view_enquirynote", "view_partner",
        # The Mutuals Team keeps the saved replies every handler can start from.
        "add_savedreply", "change_savedreply", "delete_savedreply", "view_savedreply",
        "view_satisfactionanswer",
    }  # fmt: skip


def test_a_handlers_partner_is_read_once_for_any_number_of_questions(
    django_user_model, make_handler, co_ops, enquiries, django_assert_num_queries
):
    # As a request's user arrives: loaded afresh, knowing nothing of its partner.
    user = django_user_model.objects.get(pk=make_handler(co_ops).pk)

    # The first time: the user's permissions, their groups', their partner, then the enquiries.
    with django_assert_num_queries(4):
        assert visible_references(user) == {enquiries[0].reference}
    with django_assert_num_queries(1):
        assert visible_references(user) == {enquiries[0].reference}


def test_moving_the_fallback_changes_nobodys_view(handlers, enquiries, co_ops, mutuals_team):
    before = visible_sets(handlers)

    mutuals_team.is_fallback = False
    mutuals_team.save()
    co_ops.is_fallback = True
    co_ops.save()

    assert visible_sets(handlers) == before


def test_a_routing_manager_cannot_move_the_fallback_by_any_way_in(
    client, make_staff, handlers, enquiries, co_ops, mutuals_team
):
    before = visible_sets(handlers)
    # A version of Co-operatives UK that answered everything else, as a superuser once set it.
    Partner.objects.filter(pk=mutuals_team.pk).update(is_fallback=False)
    co_ops.is_fallback = True
    co_ops.save()
    co_ops_fallback_version = co_ops.history.latest().history_id
    co_ops.is_fallback = False
    co_ops.save()
    Partner.objects.filter(pk=mutuals_team.pk).update(is_fallback=True)
    client.force_login(make_staff("Routing managers", username="router"))

    # The change form: the box is shown but cannot be changed.
    page = client.get(partner_change_url(co_ops)).content.decode()
    assert 'name="is_fallback"' not in page
    response = client.post(partner_change_url(mutuals_team), partner_form(mutuals_team,
                           is_fallback="", helps_with="Anything else"))  # fmt: skip
    assert response.status_code == 302
    response = client.post(partner_change_url(co_ops), partner_form(co_ops, is_fallback="on"))
    assert response.status_code == 302
    # Editing in the list: the list has no editable columns, so nothing is saved.
    client.post(PARTNER_CHANGELIST, {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "1", "form-0-id": co_ops.pk,
        "form-0-is_fallback": "on", "_save": "Save",
    })  # fmt: skip
    # Actions: deleting a partner would unlink its handlers, so routing managers have none.
    response = client.post(
        PARTNER_CHANGELIST,
        {"action": "delete_selected", "_selected_action": [mutuals_team.pk], "post": "yes"},
    )
    assert Partner.objects.filter(pk=mutuals_team.pk).exists()
    # Putting back the old version.
    version_url = reverse(
        "admin:enquiries_partner_simple_history", args=[co_ops.pk, co_ops_fallback_version]
    )
    response = client.post(version_url, partner_form(co_ops, is_fallback="on"))
    assert response.status_code == 302

    mutuals_team.refresh_from_db()
    co_ops.refresh_from_db()
    assert mutuals_team.helps_with == "Anything else"  # their own edits do save
    assert mutuals_team.is_fallback and not co_ops.is_fallback
    assert Partner.objects.fallback() == mutuals_team
    assert visible_sets(handlers) == before


def test_a_superuser_moves_the_fallback(admin_client, co_ops, mutuals_team):
    admin_client.post(partner_change_url(mutuals_team), partner_form(mutuals_team, is_fallback=""))
    admin_client.post(partner_change_url(co_ops), partner_form(co_ops, is_fallback="on"))

    assert Partner.objects.fallback() == co_ops


def test_only_superusers_change_who_handles_for_which_partner(
    client, admin_client, make_staff, co_ops, mutuals_team
):
    handler = make_staff("Enquiry handlers", username="new-handler")
    add_url = reverse("admin:enquiries_partnermembership_add")
    for group in ("Routing managers", "Enquiry handlers", "Mutuals Team handlers"):
        client.force_login(make_staff(group, username=f"{group} member"))
        response = client.post(add_url, {"user": handler.pk, "partner": co_ops.pk})
        assert response.status_code == 403, group
    assert not PartnerMembership.objects.exists()

    admin_client.post(add_url, {"user": handler.pk, "partner": co_ops.pk})
    assert PartnerMembership.objects.get().partner == co_ops


@pytest.mark.django_db(transaction=True)
def test_the_migration_keeps_todays_mutuals_team_handlers_seeing_everything(
    django_user_model, back_to_latest
):
    apps = migrate([("enquiries", "0003_triage")])
    OldPartner = apps.get_model("enquiries", "Partner")
    OldMembership = apps.get_model("enquiries", "PartnerMembership")
    common = {"description": "-", "helps_with": "-", "notification_emails": "p@example.org"}
    fallback = OldPartner.objects.create(name="Team", slug="team", is_fallback=True, **common)
    other = OldPartner.objects.create(name="Other", slug="other", **common)
    team_member = django_user_model.objects.create_user("team-member", is_staff=True)
    other_member = django_user_model.objects.create_user("other-member", is_staff=True)
    OldMembership.objects.create(user_id=team_member.pk, partner_id=fallback.pk)
    OldMembership.objects.create(user_id=other_member.pk, partner_id=other.pk)

    migrate([("enquiries", "0004_see_every_enquiry_and_stuck_email")])

    team_member = django_user_model.objects.get(pk=team_member.pk)
    other_member = django_user_model.objects.get(pk=other_member.pk)
    assert team_member.has_perm("enquiries.view_every_enquiry")
    assert not other_member.has_perm("enquiries.view_every_enquiry")


def test_a_handler_cannot_learn_which_partner_has_another_partners_enquiry(
    client, make_handler, co_ops, eoa, enquiries
):
    eoa_enquiry = enquiries[1]
    # The answer a browser gets, a 400, rather than the exception behind it.
    client.raise_request_exception = False
    client.force_login(make_handler(co_ops))

    # Partners' names are theirs to read, but not which of them each enquiry went to.
    for params in (
        {"enquiries": eoa_enquiry.pk},
        {"enquiries__id__exact": eoa_enquiry.pk},
        {"enquiries__gte": eoa_enquiry.pk},
        {"enquiries__isnull": "False"},
    ):
        response = client.get(PARTNER_CHANGELIST, params)
        assert response.status_code == 400, params

    # The list's own filter still works.
    response = client.get(PARTNER_CHANGELIST, {"is_active__exact": "1"})
    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == set(Partner.objects.filter(is_active=True))
