"""The dashboard on the admin's front page, in a browser: it passes axe, and its links open the
lists they count."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from playwright.sync_api import expect

from tests.e2e.helpers import PASSWORD, assert_accessible, sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture
def partner(live_server, make_partner, make_enquiry):
    ours, theirs = make_partner("Ours", slug="ours"), make_partner("Theirs", slug="theirs")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    make_enquiry(ours, due_on=yesterday)
    make_enquiry(theirs, due_on=yesterday)
    return ours


def test_a_superuser_sees_every_count_and_opens_the_overdue_enquiries(
    page, live_server, partner, make_page
):
    make_page(review_by=timezone.localdate() - datetime.timedelta(days=1))
    boss = get_user_model().objects.create_superuser("boss", password=PASSWORD)
    sign_in(page, live_server, boss)
    dashboard = page.get_by_role("region", name="What needs doing")
    expect(dashboard.get_by_role("heading", name="Enquiries")).to_be_visible()
    expect(dashboard.get_by_role("link", name="1 page", exact=True)).to_be_visible()
    assert_accessible(page)
    dashboard.get_by_role("link", name="2 enquiries overdue").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(2)


def test_a_partner_handler_sees_only_their_enquiries(page, live_server, partner, make_handler):
    handler = make_handler(partner)
    handler.set_password(PASSWORD)
    handler.save()
    sign_in(page, live_server, handler)
    dashboard = page.get_by_role("region", name="What needs doing")
    expect(dashboard.get_by_role("link", name="1 enquiry overdue")).to_be_visible()
    expect(dashboard.get_by_role("heading", name="Link checks")).to_have_count(0)
    assert_accessible(page)
    dashboard.get_by_role("link", name="1 enquiry overdue").click()
    expect(page.locator("#result_list tbody tr")).to_have_count(1)
