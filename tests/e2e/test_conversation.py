"""An enquiry as a conversation, in the browser, with email through a real SMTP server.

The enquirer's pages run with JavaScript off; the handlers use the admin as staff do. Email
goes from the real worker (`manage.py db_worker`) to an SMTP server on loopback, and the
enquirer follows the links in the email they get.
"""

import re
import socket
from email import message_from_bytes, policy

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from enquiries.models import (
    Enquiry,
    Message,
    Partner,
    PartnerMembership,
    SatisfactionAnswer,
    SavedReply,
)
from tests.e2e.helpers import (
    PASSWORD,
    assert_accessible,
    open_as_without_javascript,
    save_screenshot,
    sign_in,
)

pytestmark = pytest.mark.e2e

ENQUIRER = "ann.lee@anytown.example.org"
CO_OPS_INBOX = "enquiries@co-operatives-uk.example.org"


class Mailbox:
    """An aiosmtpd handler that keeps every message it is given."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((sorted(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address):
        return [message for recipients, message in self.messages if address in recipients]


@pytest.fixture
def mailbox(settings, live_server):
    """A real SMTP server on loopback; email links point at the live server."""
    from aiosmtpd.controller import Controller

    box = Mailbox()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    settings.SITE_URL = live_server.url
    yield box
    controller.stop()


@pytest.fixture
def fresh_cache():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def run_worker():
    """The task worker, as production runs it, until the queue is empty."""
    call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)


def private_link(message):
    return re.search(r"(http://\S+/contact/your-enquiry/\S+/)", message.get_content()).group(1)


def handler_at(make_staff, slug, username, first_name=""):
    user = make_staff("Enquiry handlers", username=username)
    user.set_password(PASSWORD)
    user.first_name = first_name
    user.save()
    PartnerMembership.objects.create(user=user, partner=Partner.objects.get(slug=slug))
    return user


def assert_accessible_without_javascript(checker, url):
    """axe needs JavaScript, which the enquirer's browser has off: check the same address in
    a browser that runs axe but none of the page's own scripts."""
    open_as_without_javascript(checker, url)
    assert_accessible(checker)


def press(page, locator):
    """Focus a control and press Enter, as someone using a keyboard does."""
    locator.focus()
    page.keyboard.press("Enter")


def test_an_enquiry_becomes_a_conversation_that_ends_with_a_verdict(
    live_server, site_content, mailbox, page, browser, make_staff, fresh_cache, page_errors
):
    SavedReply.objects.create(
        title="Our guide to co-operatives",
        body="Dear {first-name},\n\nThank you for enquiry {reference}. Our guide explains "
        "the steps.",
    )
    handler = handler_at(make_staff, "co-operatives-uk", "handler-co-ops", first_name="Alex")
    other = handler_at(make_staff, "employee-ownership-association", "handler-eoa")
    enquirer_context = browser.new_context(java_script_enabled=False)
    enquirer = enquirer_context.new_page()
    checker_context = browser.new_context()
    checker = checker_context.new_page()
    try:
        # The enquirer sends an enquiry, with JavaScript off.
        enquirer.goto(live_server.url + reverse("enquiries:contact"))
        enquirer.get_by_label("Full name").fill("Ann Lee")
        enquirer.get_by_label("Email address").fill(ENQUIRER)
        enquirer.get_by_role("radio", name="Email").check()
        enquirer.get_by_label("Organisation", exact=True).fill("Anytown Council")
        enquirer.get_by_role("radio", name="Local authority").check()
        enquirer.get_by_role("radio", name="Manager").check()
        enquirer.get_by_label("Which service do you work in?").select_option("housing")
        enquirer.get_by_role("radio", name="I have not started yet").check()
        enquirer.get_by_label("Your enquiry").fill("Could our housing team become a co-operative?")
        enquirer.get_by_role("checkbox", name="I have read the privacy notice").check()
        enquirer.get_by_role("button", name="Continue").click()
        enquirer.get_by_role("button", name="Send enquiry").click()
        expect(enquirer.locator(".govuk-panel__title")).to_have_text("Enquiry sent")
        enquiry = Enquiry.objects.get()
        assert enquiry.destination.slug == "co-operatives-uk"

        run_worker()
        [confirmation] = mailbox.to(ENQUIRER)
        assert len(mailbox.to(CO_OPS_INBOX)) == 1

        # The Co-operatives UK handler replies, starting from a saved reply.
        sign_in(page, live_server, handler)
        page.goto(live_server.url + enquiry.get_admin_url())
        expect(page.get_by_role("heading", name="Conversation with the enquirer")).to_be_visible()
        assert_accessible(page)
        page.get_by_label("Start from a saved reply (optional)").select_option(
            label="Our guide to co-operatives"
        )
        reply_box = page.get_by_label("Your reply")
        filled = re.compile(rf"^Dear Ann,.*{enquiry.reference}", re.S)
        expect(reply_box).to_have_value(filled)  # at once, with JavaScript
        press(page, page.get_by_role("button", name="Use this saved reply"))
        expect(reply_box).to_have_value(filled)  # and from the server, as without it
        expect(page.locator(".app-character-count__status")).to_contain_text("characters remaining")
        assert_accessible(page)
        reply_box.focus()
        page.keyboard.press("End")
        page.keyboard.type(" Is your team's budget pooled with another council?")
        press(page, page.get_by_role("button", name="Send reply"))
        expect(page.locator(".messagelist")).to_contain_text("Your reply to")
        expect(page.locator("#id_status")).to_have_value("waiting")
        save_screenshot(page, "conversation-admin-replied")

        run_worker()
        reply = mailbox.to(ENQUIRER)[-1]
        assert "Is your team's budget pooled" in reply.get_content()
        assert "Alex, Co-operatives UK" in reply.get_content()

        # The enquirer reads the reply through the link in the email and answers.
        link = private_link(reply)
        assert private_link(confirmation).startswith(live_server.url)
        response = enquirer.goto(link)
        assert response.headers["cache-control"] == "private, no-store"
        assert response.headers["x-robots-tag"] == "noindex, nofollow"
        expect(enquirer.locator("h1")).to_have_text(f"Your enquiry {enquiry.reference}")
        expect(enquirer.locator("main")).to_contain_text("Is your team's budget pooled")
        expect(enquirer.locator("main")).to_contain_text("Alex, Co-operatives UK replied")
        expect(enquirer.locator("main")).not_to_contain_text("Waiting for the enquirer")
        assert_accessible_without_javascript(checker, enquirer.url)
        enquirer.get_by_label("Write to us about this enquiry").focus()
        enquirer.keyboard.type("No, the budget is our own.")
        press(enquirer, enquirer.get_by_role("button", name="Send message"))
        expect(enquirer.locator(".govuk-notification-banner")).to_contain_text(
            "Your message has been sent"
        )
        expect(enquirer.locator("main")).to_contain_text("No, the budget is our own.")
        assert_accessible_without_javascript(checker, enquirer.url)
        save_screenshot(enquirer, "conversation-enquirer-answered")

        run_worker()
        notification = mailbox.to(CO_OPS_INBOX)[-1]
        assert "written again" in notification["Subject"]
        assert "Ann" not in notification.get_content()
        assert "budget" not in notification.get_content()

        # The handler sees the answer, replies and closes the enquiry as answered.
        page.goto(live_server.url + enquiry.get_admin_url())
        expect(page.locator("#id_status")).to_have_value("in-progress")
        conversation = page.locator("#conversation")
        expect(conversation).to_contain_text("From the enquirer")
        expect(conversation).to_contain_text("No, the budget is our own.")
        page.get_by_label("Your reply").fill("Then a co-operative suits you. Good luck!")
        page.get_by_label("Close the enquiry as well?").select_option("answered")
        press(page, page.get_by_role("button", name="Send reply"))
        expect(page.locator("#id_status")).to_have_value("closed")
        expect(page.locator("#id_outcome")).to_have_value("answered")
        assert_accessible(page)

        run_worker()
        verdict_email = mailbox.to(ENQUIRER)[-1]
        assert "how did you feel about the help" in verdict_email["Subject"].lower()

        # The enquirer rates the help.
        enquirer.goto(private_link(verdict_email))
        expect(enquirer.locator("main")).to_contain_text("Then a co-operative suits you.")
        assert_accessible_without_javascript(checker, enquirer.url)
        enquirer.get_by_role("radio", name="Very satisfied").focus()
        enquirer.keyboard.press("Space")
        enquirer.get_by_label("How could we improve the help we give? (optional)").fill(
            "Nothing, it was clear."
        )
        press(enquirer, enquirer.get_by_role("button", name="Send your answer"))
        expect(enquirer.locator(".govuk-notification-banner")).to_contain_text("Thank you")
        expect(enquirer.locator("main")).not_to_contain_text("Overall, how did you feel")
        assert_accessible_without_javascript(checker, enquirer.url)
        save_screenshot(enquirer, "conversation-enquirer-verdict")
        answer = SatisfactionAnswer.objects.get()
        assert (answer.partner.slug, answer.score) == ("co-operatives-uk", 5)

        # A link that has been tampered with opens nothing, and says what to do instead.
        tampered = link[:-3] + ("A/" if link[-2] != "A" else "B/")
        assert enquirer.goto(tampered).status == 404
        expect(enquirer.locator("h1")).to_have_text("This link does not work")
        assert_accessible_without_javascript(checker, enquirer.url)
    finally:
        enquirer_context.close()
        checker_context.close()

    # The handler's list shows the time to first reply and the verdict for their partner.
    changelist = live_server.url + reverse("admin:enquiries_enquiry_changelist")
    page.goto(changelist)
    page.get_by_label("Enquiries received in the").select_option("30")
    press(page, page.get_by_role("button", name="Show"))
    summary = page.locator(".enquiry-replies table")
    expect(summary).to_contain_text("Co-operatives UK")
    expect(summary).to_contain_text("100%")
    assert_accessible(page)
    assert page_errors == []

    # Another partner's handler can reach none of it.
    elsewhere_context = browser.new_context()
    try:
        elsewhere = elsewhere_context.new_page()
        sign_in(elsewhere, live_server, other)
        assert elsewhere.goto(live_server.url + enquiry.get_admin_url()).status == 404
        elsewhere.goto(changelist + "?period=365")
        expect(elsewhere.locator("#changelist")).not_to_contain_text(enquiry.reference)
        expect(elsewhere.locator(".enquiry-replies")).not_to_contain_text("Co-operatives UK")
        token = next(c["value"] for c in elsewhere_context.cookies() if c["name"] == "csrftoken")
        reply_url = live_server.url + reverse("admin:enquiries_enquiry_reply", args=[enquiry.pk])
        posted = elsewhere.request.post(
            reply_url,
            form={"csrfmiddlewaretoken": token, "body": "Not mine", "_send_reply": "1"},
            headers={"Referer": changelist},
        )
        assert posted.status == 404
        assert not Message.objects.filter(body="Not mine").exists()
    finally:
        elsewhere_context.close()
