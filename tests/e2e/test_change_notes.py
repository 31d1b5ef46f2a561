"""An editor makes a major change with a note; the public sees it on the page and in the feed."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from portal.models import Page
from tests.e2e.helpers import assert_accessible, open_as_without_javascript

pytestmark = pytest.mark.e2e

PASSWORD = "a long and unguessable password"
ATOM = "{http://www.w3.org/2005/Atom}"
NOTE = "Added what changed for pensions in 2026."


def sign_in(page, live_server, user):
    page.goto(live_server.url + reverse("admin:login"))
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(
        page.get_by_role("heading", name="Manage the site's content and enquiries")
    ).to_be_visible()


def test_a_major_change_shows_under_see_all_updates_and_in_the_feed(
    live_server, editor, page, page_errors
):
    about = Page.objects.get(slug="what-is-a-mutual")
    sign_in(page, live_server, editor)

    page.goto(live_server.url + reverse("admin:portal_page_change", args=[about.pk]))
    note_box = page.get_by_role("textbox", name="Public change note")
    expect(page.get_by_label("Minor change", exact=False)).to_be_checked()
    expect(note_box).to_be_hidden()
    page.get_by_label("Major change", exact=False).check()
    expect(note_box).to_be_visible()
    assert_accessible(page)
    note_box.fill(NOTE)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was changed successfully")

    # A visitor with JavaScript off: the link jumps to the list on the same page.
    visitor = page.context.browser.new_context()
    public = visitor.new_page()
    url = live_server.url + about.get_absolute_url()
    open_as_without_javascript(public, url)
    expect(public.locator(".app-page-updated")).to_contain_text("Last updated")
    public.get_by_role("link", name="See all updates").click()
    assert public.url == f"{url}#full-page-history"
    history = public.locator("#full-page-history")
    expect(history.get_by_role("heading", name="All updates to this page")).to_be_in_viewport()
    expect(history.get_by_role("listitem").first).to_contain_text(NOTE)
    expect(history.get_by_role("listitem").last).to_contain_text("First published")
    assert_accessible(public)

    public.goto(live_server.url + reverse("portal:latest-changes"))
    expect(public.locator(".app-latest-changes__item").first).to_contain_text(NOTE)
    assert_accessible(public)

    feed = public.request.get(live_server.url + reverse("portal:latest-changes-feed"))
    newest = ET.fromstring(feed.body()).find(f"{ATOM}entry")
    assert newest.findtext(f"{ATOM}summary") == NOTE
    assert newest.find(f"{ATOM}link").get("href") == url
    visitor.close()
    assert page_errors == []
