import re

import pytest
from django.test import Client
from django.urls import reverse

from enquiries.sitemaps import ContactSitemap, SupportSitemap


def test_a_stage_page_lists_who_can_help_and_links_to_the_form(client, make_stage, make_partner,
                                                               mutuals_team):  # fmt: skip
    stage = make_stage(slug="explore-the-idea")
    mutuals_team.stages.set([stage])
    make_partner("Co-operatives UK", slug="co-operatives-uk", helps_with="Co-operatives",
                 stages=[stage])  # fmt: skip
    make_partner("Elsewhere", stages=[make_stage()])
    make_partner("Closed", is_active=False, stages=[stage])

    html = client.get(stage.get_absolute_url()).content.decode()
    section = html[html.index('<div class="app-get-help">') :]

    assert "Who can help at this stage" in section
    names = re.findall(r'href="/support/#[^"]+">([^<]+)</a>', section)
    assert names == ["Cabinet Office Mutuals Team", "Co-operatives UK"]
    assert 'href="/contact/?stage=explore-the-idea"' in section


@pytest.mark.parametrize("partner_count", [1, 12])
def test_who_can_help_costs_one_query_however_many_partners(make_stage, make_partner,
                                                           django_assert_num_queries,
                                                           partner_count):  # fmt: skip
    stage = make_stage()
    for _ in range(partner_count):
        make_partner(stages=[stage])
    client = Client()
    client.get(stage.get_absolute_url())  # warm any per-process caches

    # Stages, tasks, resources, case studies, change notes and the partners.
    with django_assert_num_queries(6):
        client.get(stage.get_absolute_url())


def test_the_support_page_lists_active_partners_without_their_email(client, make_partner,
                                                                   mutuals_team):  # fmt: skip
    make_partner("Co-operatives UK", helps_with="Setting up a co-operative")
    make_partner("Closed", is_active=False)

    response = client.get(reverse("enquiries:support"))
    html = response.content.decode()

    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert '<meta name="description"' in html
    assert 'class="govuk-breadcrumbs' in html
    assert "Setting up a co-operative" in html
    assert "Cabinet Office Mutuals Team" in html
    assert "Closed" not in html
    assert "example.org" not in html.replace("mutuals@example.org", "")
    assert "@" not in html[html.index("<main") : html.index("</main>")]


def test_the_support_page_is_in_its_sitemap(db):
    sitemap = SupportSitemap()

    assert [sitemap.location(item) for item in sitemap.items()] == ["/support/"]


def test_the_navigation_marks_contact_on_the_contact_form(client, db):
    response = client.get(reverse("enquiries:contact"))

    [contact] = [item for item in response.context["navigation"] if item["text"] == "Contact"]
    assert contact == {"text": "Contact", "href": "/contact/", "current": True, "active": True}


def test_the_contact_form_is_in_its_sitemap(db):
    sitemap = ContactSitemap()

    assert [sitemap.location(item) for item in sitemap.items()] == ["/contact/"]
