import re

import pytest
from django.test import Client
from django.urls import reverse

from enquiries.forms import EnquiryForm
from enquiries.models import EmailDelivery, Enquiry
from guides.models import Stage
from portal.core.publishing import Status
from tests.factories import submit_enquiry

CONTACT = "/contact/"


def ids(html):
    return set(re.findall(r'\sid="([^"]+)"', html))


def test_contact_is_the_enquiry_form(client, enquiry_data):
    response = client.get(CONTACT)
    html = response.content.decode()

    assert response.status_code == 200
    assert reverse("portal:contact") == reverse("enquiries:contact") == CONTACT
    assert html.count("<h1") == 1
    assert '<meta name="description"' in html
    for name in ("name", "email", "phone", "organisation", "message", "privacy"):
        assert f'for="id_{name}"' in html, name
    assert 'data-module="govuk-character-count"' in html
    assert 'data-maxlength="2000"' in html
    assert 'href="/privacy/"' in html
    assert 'aria-current="page"' in html or "govuk-service-navigation__item--active" in html


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Enter your full name"),
        ("email", "", "Enter your email address"),
        ("email", "not-an-email", "Enter an email address in the correct format"),
        ("phone", "call me", "Enter a telephone number"),
        ("contact_method", "", "Select how you would like us to contact you"),
        ("contact_method", "pigeon", "Select a valid choice"),
        ("organisation", "", "Enter the name of your organisation"),
        ("organisation_type", "", "Select the type of organisation you work for"),
        ("role", "", "Select your role"),
        ("service_area", "", "Select the service you work in"),
        ("stage", "", "Select where you are in setting up a mutual"),
        ("stage", "no-such-stage", "Select a valid choice"),
        ("topics", ["no-such-topic"], "Select topics from the list"),
        ("message", "   ", "Enter your enquiry"),
        ("message", "x" * 2001, "Your enquiry must be 2,000 characters or fewer"),
        ("privacy", "", "Confirm that you have read the privacy notice"),
        ("name", "x" * 151, "Full name must be 150 characters or fewer"),
    ],
)
def test_each_field_is_checked_and_the_error_summary_links_to_it(client, enquiry_data, field,
                                                                 value, message):  # fmt: skip
    response = client.post(CONTACT, {**enquiry_data, field: value})
    html = response.content.decode()

    assert response.status_code == 200
    assert html.startswith("<!DOCTYPE html>")
    assert "<title>Error: " in html
    assert 'class="govuk-error-summary"' in html
    assert message in html
    # The summary's link reaches an element on the page with that id.
    assert f'href="#id_{field}"' in html
    assert f"id_{field}" in ids(html)
    assert not Enquiry.objects.exists()


def test_phone_is_required_when_phone_is_the_chosen_way(client, enquiry_data):
    response = client.post(CONTACT, {**enquiry_data, "contact_method": "phone", "phone": ""})

    assert "Enter a phone number, as you asked us to phone you" in response.content.decode()

    ok = client.post(CONTACT, {**enquiry_data, "contact_method": "phone", "phone": "01632 960 001"})
    assert ok.status_code == 302


def test_nothing_typed_is_lost_on_error(client, enquiry_data):
    response = client.post(CONTACT, {**enquiry_data, "email": ""})
    html = response.content.decode()

    assert 'value="Sam Jones"' in html
    assert 'value="Anytown Borough Council"' in html
    assert "convert our day care service into a co-operative" in html
    assert re.search(r'value="manager"\s+checked', html)
    assert re.search(r'value="legal"\s+checked', html)


@pytest.mark.parametrize(
    "data",
    [
        {"topics": ["1", "2", "x" * 5000]},
        {"stage": ["a", "b"], "role": "\x00"},
        {"message": "abc\x00def", "email": "a@" + "b" * 300 + ".org"},
        {"privacy": "maybe", "service_area": "<script>"},
    ],
)
def test_nonsense_posted_is_answered_with_the_form_not_an_error(client, enquiry_data, data):
    response = client.post(CONTACT, {**enquiry_data, **data})

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert not Enquiry.objects.exists()


def test_a_stage_page_link_preselects_the_stage(client, enquiry_data):
    html = client.get(CONTACT, {"stage": "explore-the-idea"}).content.decode()

    assert re.search(r'value="explore-the-idea"\s+checked', html)
    assert "<title>Error" not in html


def test_an_unknown_stage_in_the_link_is_ignored(client, enquiry_data):
    response = client.get(CONTACT, {"stage": "no-such-stage"})

    assert response.status_code == 200
    assert "checked" not in response.content.decode()


def test_check_your_answers_lists_answers_with_change_links(client, enquiry_data):
    client.post(CONTACT, enquiry_data)
    response = client.get(reverse("enquiries:check"))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Sam Jones" in html and "Anytown Borough Council" in html
    assert "Stage 1: Explore the idea" in html
    for field in ("name", "email", "role", "stage", "topics", "message"):
        assert f'href="/contact/?change=1#id_{field}"' in html, field
    assert not Enquiry.objects.exists()


def test_a_change_link_returns_to_the_form_filled_in(client, enquiry_data):
    client.post(CONTACT, enquiry_data)

    html = client.get(CONTACT, {"change": "1"}).content.decode()

    assert 'value="sam@council.example.org"' in html
    assert "id_email" in ids(html)
    assert "<title>Error" not in html


def test_check_page_without_answers_goes_back_to_the_form(client, db):
    response = client.get(reverse("enquiries:check"))

    assert response.status_code == 302
    assert response.url == CONTACT


def test_sending_saves_the_enquiry_with_its_routing_and_shows_the_reference(
    client, enquiry_data, make_partner, make_rule, fresh_cache
):
    co_ops = make_partner("Co-operatives UK")
    rule = make_rule(co_ops, keywords="co-operative")

    response, _token = submit_enquiry(client, enquiry_data)
    enquiry = Enquiry.objects.get()
    confirmation = client.get(response.url)
    html = confirmation.content.decode()

    assert response.url == reverse("enquiries:confirmation")
    assert re.fullmatch(r"MIS-\d{4}-00001", enquiry.reference)
    assert enquiry.destination == co_ops
    assert enquiry.rule == rule
    assert enquiry.stage.slug == "explore-the-idea"
    assert [t.slug for t in enquiry.topics.all()] == ["legal"]
    assert enquiry.reference in html
    assert 'class="govuk-panel govuk-panel--confirmation"' in html
    assert "passed your enquiry to Co-operatives UK" in html
    assert "within 5 working days" in html
    kinds = sorted(d.kind for d in EmailDelivery.objects.all())
    assert kinds == ["confirmation", "notification"]


def test_references_count_up(client, enquiry_data, fresh_cache):
    submit_enquiry(client, enquiry_data)
    submit_enquiry(client, enquiry_data)

    references = sorted(Enquiry.objects.values_list("reference", flat=True))
    assert [r[-5:] for r in references] == ["00001", "00002"]


def test_a_double_submit_saves_one_enquiry_and_shows_the_same_confirmation(client, enquiry_data,
                                                                          fresh_cache):  # fmt: skip
    first, token = submit_enquiry(client, enquiry_data)
    second = client.post(reverse("enquiries:check"), {"token": token})

    assert Enquiry.objects.count() == 1
    assert second.status_code == 302
    assert second.url == first.url
    assert Enquiry.objects.get().reference in client.get(second.url).content.decode()


def test_going_back_and_sending_again_saves_nothing_new(client, enquiry_data, fresh_cache):
    submit_enquiry(client, enquiry_data)

    back = client.get(reverse("enquiries:check"))
    stale = client.post(reverse("enquiries:check"), {"token": "an-old-token"})

    assert back.status_code == 302
    assert stale.status_code == 302
    assert Enquiry.objects.count() == 1


def test_the_honeypot_shows_a_confirmation_but_keeps_and_sends_nothing(client, enquiry_data):
    from django_tasks_db.models import DBTaskResult

    response = client.post(CONTACT, {**enquiry_data, "website": "http://spam.example"})
    confirmation = client.get(response.url)

    assert response.url == reverse("enquiries:confirmation")
    assert "Your reference number" in confirmation.content.decode()
    assert not Enquiry.objects.exists()
    assert not EmailDelivery.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_the_honeypot_is_hidden_from_people(client, enquiry_data):
    html = client.get(CONTACT).content.decode()

    assert re.search(r'<div class="app-honeypot">\s*<label for="id_website">', html)
    assert 'tabindex="-1"' in html


def test_too_many_enquiries_from_one_address_get_the_429_page(client, enquiry_data, settings,
                                                             fresh_cache):  # fmt: skip
    settings.ENQUIRY_RATE_LIMIT = "2/h"
    submit_enquiry(client, enquiry_data)
    submit_enquiry(client, enquiry_data)

    limited, _token = submit_enquiry(client, enquiry_data)
    html = limited.content.decode()

    assert limited.status_code == 429
    assert "Sorry, you have sent too many enquiries" in html
    assert "Try again in an hour" in html
    assert Enquiry.objects.count() == 2


def test_the_rate_limit_is_per_address(client, enquiry_data, settings, fresh_cache):
    settings.ENQUIRY_RATE_LIMIT = "1/h"
    submit_enquiry(client, enquiry_data)

    other, _token = submit_enquiry(client, enquiry_data | {"name": "Other"})
    assert other.status_code == 429

    client.defaults["REMOTE_ADDR"] = "192.0.2.7"
    elsewhere, _token = submit_enquiry(client, enquiry_data)
    assert elsewhere.status_code == 302


def test_sending_needs_a_csrf_token(enquiry_data):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    response = client.post(CONTACT, enquiry_data)

    assert response.status_code == 403


@pytest.mark.parametrize(
    ("method", "url_name", "data"),
    [
        ("post", "enquiries:check", {}),
        ("post", "enquiries:check", {"token": ["a", "b"]}),
        ("get", "enquiries:confirmation", {}),
    ],
)
def test_pages_reached_out_of_order_send_people_back_to_the_form(client, db, method, url_name,
                                                                 data):  # fmt: skip
    response = getattr(client, method)(reverse(url_name), data)

    assert response.status_code == 302
    assert response.url == CONTACT
    assert not Enquiry.objects.exists()


def test_changing_answers_never_given_shows_the_empty_form(client, db):
    response = client.get(CONTACT, {"change": "1", "stage": "\x00"})

    assert response.status_code == 200
    assert "Contact the Mutuals Team" in response.content.decode()
    assert not response.context["form"].is_bound
    assert not Enquiry.objects.exists()


def without_tokens(html):
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


def test_the_blank_form_kept_for_the_content_version_is_the_form_rendered_afresh(
    client, enquiry_data, monkeypatch, django_assert_num_queries
):
    client.cookies["sessionid"] = "none-yet"  # a visitor with a session gets the page afresh
    client.get(CONTACT)
    with django_assert_num_queries(0):  # the stages too are kept for the content version
        kept = client.get(CONTACT).content.decode()
    monkeypatch.setattr("enquiries.views.BLANK_INITIAL", {"rendered": "afresh"})
    afresh = client.get(CONTACT)

    assert "form_html" not in afresh.context
    assert without_tokens(kept) == without_tokens(afresh.content.decode())
    assert 'name="csrfmiddlewaretoken"' in kept


def test_the_blank_page_kept_for_visitors_without_a_session_takes_no_queries(
    client, enquiry_data, django_assert_num_queries
):
    first = client.get(CONTACT)
    with django_assert_num_queries(0):
        kept = Client().get(CONTACT)
    client.cookies["sessionid"] = "none-yet"
    afresh = client.get(CONTACT).content.decode()

    assert first.context is not None and kept.context is None  # rendered once, then kept
    assert without_tokens(kept.content.decode()) == without_tokens(afresh)
    assert kept["Content-Type"] == first["Content-Type"]


def test_each_visitor_of_the_kept_page_gets_a_token_that_works(enquiry_data):
    visitors = [Client(enforce_csrf_checks=True) for _ in range(3)]
    pages = [visitor.get(CONTACT).content.decode() for visitor in visitors]
    tokens = [re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', p).group(1) for p in pages]

    assert len(set(tokens)) == 3
    for visitor, token in zip(visitors, tokens, strict=True):
        response = visitor.post(CONTACT, {**enquiry_data, "csrfmiddlewaretoken": token})
        assert response.status_code == 302  # on to the check page, not a CSRF failure


def test_a_link_that_chooses_a_stage_is_not_given_the_kept_page(client, enquiry_data):
    client.get(CONTACT)
    client.get(CONTACT)
    html = client.get(CONTACT, {"stage": "explore-the-idea"}).content.decode()

    assert re.search(r'value="explore-the-idea"\s+checked', html)


def test_an_editors_change_reaches_the_kept_blank_form(client, enquiry_data, make_topic):
    client.get(CONTACT)
    make_topic("Procurement rules in 2026")  # a save changes the content version

    assert "Procurement rules in 2026" in client.get(CONTACT).content.decode()


def test_a_stage_withdrawn_by_an_editor_is_no_longer_offered(enquiry_data):
    stage = Stage.objects.published().in_order().first()
    assert stage.slug in dict(EnquiryForm().fields["stage"].choices)

    stage.status = Status.DRAFT
    stage.save()

    assert stage.slug not in dict(EnquiryForm().fields["stage"].choices)
