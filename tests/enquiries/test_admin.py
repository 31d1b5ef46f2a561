import pytest
from django.urls import reverse

from enquiries.forms import EnquiryForm


@pytest.fixture
def enquiry(enquiry_data):
    form = EnquiryForm(data=enquiry_data)
    assert form.is_valid(), form.errors
    return form.save()


def test_enquiry_handlers_read_enquiries_and_their_email_deliveries(
    client, make_handler, mutuals_team, enquiry
):
    client.force_login(make_handler(mutuals_team))

    listing = client.get(reverse("admin:enquiries_enquiry_changelist"))
    detail = client.get(reverse("admin:enquiries_enquiry_change", args=[enquiry.pk]))
    html = detail.content.decode()

    assert listing.status_code == 200
    assert enquiry.reference in listing.content.decode()
    assert detail.status_code == 200
    assert "Waiting to send" in html
    assert "sam@council.example.org" in html
    assert 'name="deliveries-0-status"' not in html  # read-only
    assert client.get(reverse("admin:enquiries_routingrule_changelist")).status_code == 403


def test_nobody_adds_an_enquiry_in_the_admin(admin_client, db):
    assert admin_client.get(reverse("admin:enquiries_enquiry_add")).status_code == 403


def test_routing_managers_edit_partners_and_rules(client, make_staff, mutuals_team, make_rule):
    rule = make_rule(mutuals_team, roles=["commissioner"])
    client.force_login(make_staff("Routing managers"))

    for url in (
        reverse("admin:enquiries_partner_change", args=[mutuals_team.pk]),
        reverse("admin:enquiries_routingrule_change", args=[rule.pk]),
        reverse("admin:enquiries_routingrule_changelist"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    changelist = client.get(reverse("admin:enquiries_routingrule_changelist")).content.decode()
    assert reverse("admin:enquiries_routingrule_try") in changelist
    assert client.get(reverse("admin:enquiries_enquiry_changelist")).status_code == 403


def test_a_rule_saved_in_the_admin_keeps_its_roles(client, make_staff, mutuals_team):
    from enquiries.models import RoutingRule

    client.force_login(make_staff("Routing managers"))
    response = client.post(
        reverse("admin:enquiries_routingrule_add"),
        {
            "name": "Unions",
            "priority": "5",
            "is_active": "on",
            "roles": ["staff-representative"],
            "keywords": "",
            "destination": mutuals_team.pk,
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    assert RoutingRule.objects.get().roles == ["staff-representative"]


def test_a_filtered_enquiry_list_does_not_count_every_enquiry_again(
    admin_client, make_partner, make_enquiry
):
    partner = make_partner()
    make_enquiry(destination=partner, status="new")
    for _ in range(2):
        make_enquiry(destination=partner, status="closed")

    html = admin_client.get(reverse("admin:enquiries_enquiry_changelist"), {"status__exact": "new"})
    html = html.content.decode()

    assert "1 result" in html
    assert "3 total" not in html
