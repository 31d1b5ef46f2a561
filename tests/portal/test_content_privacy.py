"""The privacy notice, cookies page and accessibility statement say what the site really does."""

import html

from django.core.cache import cache
from django.template import Context, Template
from django.urls import reverse

from portal.models import Page

PRIVACY_URL = reverse("portal:page-detail", kwargs={"slug": "privacy"})


def privacy_page(client):
    cache.clear()  # a cached copy would show the period from an earlier request
    response = client.get(PRIVACY_URL)
    assert response.status_code == 200
    return response.content.decode()


def test_privacy_notice_gives_the_retention_period_from_the_setting(client, shipped, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    assert "for 24 months after we close it" in privacy_page(client)

    settings.ENQUIRY_RETENTION_MONTHS = 7
    html = privacy_page(client)

    assert "for 7 months after we close it" in html
    assert "24 months" not in html
    assert "{enquiry-retention-period}" not in html


def test_a_single_month_is_singular(client, shipped, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 1
    assert "for 1 month after we close it" in privacy_page(client)


def test_the_stored_html_keeps_the_token_so_a_new_setting_needs_no_resave(shipped):
    assert "{enquiry-retention-period}" in Page.objects.get(slug="privacy").html["body"]


def test_the_placeholder_works_in_any_page_and_in_the_preview(client, make_page, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 36
    page = make_page(body="We keep enquiries for {enquiry-retention-period}.")

    assert (
        "We keep enquiries for 36 months." in client.get(page.get_absolute_url()).content.decode()
    )


def test_the_filter_escapes_text_that_is_not_already_safe():
    html = Template("{% load portal_tags %}{{ text|with_live_values }}").render(
        Context({"text": "<b>{enquiry-retention-period}</b>"})
    )
    assert html.startswith("&lt;b&gt;") and "months&lt;/b&gt;" in html


def test_privacy_notice_describes_what_the_site_stores(client, shipped):
    html = privacy_page(client)

    assert "session cookie only" not in html
    # Ticks live in the database, keyed by the cookie, and expire with the session.
    assert "store which tasks you ticked in our database" in html
    assert "2 weeks" in html
    for required in (
        "Cabinet Office is the data controller",
        "data protection officer",
        'href="/support/"',
        "processors",
        "Server logs",
        "task in the public interest",
        "restrict how we use your information",
        "Information Commissioner",
    ):
        assert required in html, required


def test_cookies_page_says_progress_lasts_2_weeks_in_this_browser_only(client, shipped):
    html = client.get(reverse("portal:page-detail", kwargs={"slug": "cookies"})).content.decode()

    assert "2 weeks after you last change them" in html
    # The ticks are on the server (above), linked to the browser by its cookie.
    assert "Only the browser you used is linked to them" in html
    assert "kept in the browser" not in html


def test_privacy_notice_tells_what_becomes_of_an_answer_about_the_help(client, shipped, settings):
    settings.ENQUIRY_RETENTION_MONTHS = 24
    html = privacy_page(client)

    assert "how you felt about the help you got" in html
    assert "with the partner who answered you and the month" in html
    # As the purge does: comments go a retention period after their month ends.
    assert "delete any comment you wrote 24 months after the end of that month" in html
    assert "Each link stops working 24 months after we sent it" in html


def test_privacy_notice_says_searches_reach_the_server_logs_and_which_forms_are_counted(
    client, shipped
):
    html = privacy_page(client)

    assert "These counts do not record who searched" in html
    assert "Our server logs record a search like any other page" in html
    for form in ("enquiries", "messages through your private link", "Is this page useful?"):
        assert form in html.split("To stop misuse", 1)[1].split("</p>", 1)[0]


def test_accessibility_statement_lists_every_kind_of_page_the_browser_tests_open(client, shipped):
    """The kinds tests/e2e/test_reflow.py and the journeys' own browser tests check."""
    url = reverse("portal:page-detail", kwargs={"slug": "accessibility"})
    text = html.unescape(client.get(url).content.decode())
    tested = text.split(">How we tested this website</h", 1)[1].split("</ul>", 1)[0]

    for kind in (
        '"Are you ready to spin out?": its start page, questions, answers and result',
        "the site search's results",
        "the page where you follow your enquiry and write to us",
        "the form for telling us why a page was not useful or reporting a problem",
        "the latest changes to the website",
        "the page shown when a page is not found",
    ):
        assert f"<li>{kind}</li>" in tested, kind
