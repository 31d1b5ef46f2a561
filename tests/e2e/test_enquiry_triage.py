"""A partner's handler triages an enquiry in the admin; another partner's cannot find it."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from enquiries.models import Partner, PartnerMembership
from tests.e2e.helpers import PASSWORD, assert_accessible, save_screenshot, sign_in
from tests.factories import make_enquiry

pytestmark = pytest.mark.e2e

CHANGELIST = reverse("admin:enquiries_enquiry_changelist")


@pytest.fixture
def handler_at(live_server, site_content, make_staff):
    def make(slug):
        user = make_staff("Enquiry handlers", username=f"handler-{slug}")
        user.set_password(PASSWORD)
        user.save()
        PartnerMembership.objects.create(user=user, partner=Partner.objects.get(slug=slug))
        return user

    return make


def test_a_partner_handler_notes_and_closes_an_enquiry_no_other_partner_can_find(
    live_server, handler_at, page, page_errors, browser
):
    co_ops = Partner.objects.get(slug="co-operatives-uk")
    enquiry = make_enquiry(co_ops, organisation="Anytown Care Services")
    sign_in(page, live_server, handler_at("co-operatives-uk"))

    page.goto(live_server.url + CHANGELIST)
    expect(page.locator("#result_list")).to_contain_text(enquiry.reference)
    expect(page.locator(".enquiry-counts")).to_contain_text("New: 1")
    assert_accessible(page)
    save_screenshot(page, "enquiry-triage-list")

    page.get_by_role("link", name=enquiry.reference).click()
    expect(page.locator("#id_status")).to_have_value("new")
    assert_accessible(page)
    page.locator("#id_notes-0-text").fill("Called them back and sent our guide to co-ops.")
    page.locator("#id_status").select_option("closed")
    page.locator("#id_outcome").select_option("answered")
    page.get_by_role("button", name="Save and continue editing").click()

    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(page.locator("#id_status")).to_have_value("closed")
    expect(page.locator("#notes-0")).to_contain_text("Called them back")
    expect(page.locator("#notes-0")).to_contain_text("Note by handler-co-operatives-uk")
    assert_accessible(page)
    save_screenshot(page, "enquiry-triage-closed")
    assert page_errors == []
    enquiry.refresh_from_db()
    assert (enquiry.status, enquiry.outcome) == ("closed", "answered")
    assert enquiry.notes.get().author.username == "handler-co-operatives-uk"

    other = browser.new_context()
    try:
        elsewhere = other.new_page()
        sign_in(elsewhere, live_server, handler_at("employee-ownership-association"))
        response = elsewhere.goto(live_server.url + enquiry.get_admin_url())
        assert response.status == 404
        history = reverse("admin:enquiries_enquiry_history", args=[enquiry.pk])
        assert elsewhere.goto(live_server.url + history).status == 404
        elsewhere.goto(live_server.url + CHANGELIST)
        expect(elsewhere.locator("#changelist")).not_to_contain_text(enquiry.reference)
        elsewhere.goto(f"{live_server.url}{CHANGELIST}?q={enquiry.reference}")
        expect(elsewhere.locator("#changelist")).to_contain_text("0 enquiries")
        expect(elsewhere.locator("#changelist")).not_to_contain_text(enquiry.reference)
        save_screenshot(elsewhere, "enquiry-triage-other-partner-search")
    finally:
        other.close()
