"""Who runs the service is a setting; the history of who ran it is dated on the pages."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from portal.core.publishing import Status
from portal.models import Page
from tests.migrating import migrate

TOKENS = ("{service-owner}", "{contact-email}", "{data-controller}")


@pytest.fixture
def new_owner(settings):
    settings.SERVICE_OWNER_NAME = "Example Department Mutuals Unit"
    settings.SERVICE_OWNER_EMAIL = "mutuals@department.example.org"
    settings.DATA_CONTROLLER = "Example Department"


def page_html(client, url):
    cache.clear()  # a cached copy would show the settings of an earlier request
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def page_url(slug):
    return reverse("portal:page-detail", kwargs={"slug": slug})


def test_the_defaults_name_the_cabinet_office_mutuals_team(client, shipped):
    html = page_html(client, page_url("privacy"))

    assert "The Cabinet Office Mutuals Team runs the Mutuals Information Service." in html
    assert "The Cabinet Office is the data controller" in html
    assert "complain to us first at mutuals@example.org." in html


@pytest.mark.usefixtures("new_owner")
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        (reverse("portal:home"), ["The Example Department Mutuals Unit runs this service."]),
        (
            page_url("privacy"),
            [
                "The Example Department Mutuals Unit runs the Mutuals Information Service.",
                "The Example Department is the data controller",
                "the people in the Example Department Mutuals Unit who handle enquiries",
                "complain to us first at mutuals@department.example.org.",
            ],
        ),
        (
            page_url("accessibility"),
            [
                "The Example Department Mutuals Unit runs this website.",
                "email mutuals@department.example.org.",
            ],
        ),
        (page_url("cookies"), ["email mutuals@department.example.org."]),
        (reverse("enquiries:support"), ["The Example Department Mutuals Unit and specialist"]),
    ],
)
def test_pages_name_the_owner_contact_address_and_controller_from_the_settings(
    client, shipped, url, expected
):
    html = page_html(client, url)

    for text in expected:
        assert text in html
    for token in TOKENS:
        assert token not in html
    assert "mutuals@example.org" not in html
    if url != reverse("enquiries:support"):  # which lists the partners under their own names
        assert "Cabinet Office Mutuals Team" not in html


def test_the_context_processor_gives_templates_the_owner(client, db, new_owner):
    context = client.get(reverse("enquiries:support")).context

    assert context["service_owner"] == "Example Department Mutuals Unit"
    assert context["service_owner_email"] == "mutuals@department.example.org"
    assert context["data_controller"] == "Example Department"


def test_the_stored_html_keeps_the_tokens_so_a_new_setting_needs_no_resave(shipped):
    privacy = Page.objects.get(slug="privacy").html["body"]

    for token in TOKENS:
        assert token in privacy


@pytest.mark.parametrize("url", [reverse("portal:home"), reverse("enquiries:support")])
def test_home_and_support_pages_date_the_history_and_the_move_to_dcms(client, shipped, url):
    html = page_html(client, url)

    assert "In 2011 to 2012 the Cabinet Office ran" in html
    assert "In 2016, government policy on public service mutuals moved" in html
    assert "Department for Digital, Culture, Media and Sport (DCMS)" in html


def test_no_contact_page_is_shipped_and_contact_is_the_form(client, shipped):
    assert not Page.objects.filter(slug="contact").exists()

    response = client.get("/contact/")

    assert response.status_code == 200
    assert "form" in response.context


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_the_migration_takes_the_old_contact_page_off_the_site(client):
    apps = migrate([("portal", "0005_prefix_heading_ids")])
    OldPage = apps.get_model("portal", "Page")
    common = {"summary": "", "body": "Email us.", "last_reviewed": "2026-11-29"}
    OldPage.objects.create(slug="contact", title="Contact", status="published", **common)
    OldPage.objects.create(slug="cookies", title="Cookies", status="published", **common)

    MigratedPage = migrate([("portal", "0006_owner_placeholders_and_contact_page")]).get_model(
        "portal", "Page"
    )

    assert MigratedPage.objects.get(slug="contact").status == Status.DRAFT
    assert MigratedPage.objects.get(slug="cookies").status == Status.PUBLISHED
