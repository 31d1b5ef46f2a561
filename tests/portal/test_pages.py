import pytest
from django.urls import reverse

from portal.core.publishing import Status
from portal.models import Page

SITE_PAGES = {
    "what-is-a-mutual": "What a public service mutual is",
    "accessibility": "Accessibility statement for the Mutuals Information Service",
    "privacy": "Privacy notice",
    "cookies": "Cookies",
}


def h1s(response):
    return response.content.decode().count("<h1")


@pytest.mark.parametrize(("slug", "heading"), SITE_PAGES.items())
def test_site_page_shows_title_heading_breadcrumbs_and_date(client, shipped, slug, heading):
    response = client.get(reverse("portal:page-detail", kwargs={"slug": slug}))

    assert response.status_code == 200
    assert h1s(response) == 1
    assert f'<h1 class="govuk-heading-xl">{heading}</h1>' in response.content.decode()
    assert f"<title>{heading} – Mutuals Information Service</title>" in response.content.decode()
    assert 'class="govuk-breadcrumbs"' in response.content.decode()
    assert "Last updated" in response.content.decode()


def test_home_page_lists_what_the_service_offers(client, shipped):
    response = client.get(reverse("portal:home"))
    html = response.content.decode()

    assert response.status_code == 200
    assert h1s(response) == 1
    assert "<title>Home – Mutuals Information Service</title>" in html
    for url_name in ("guides:overview", "guides:resource-list", "casestudies:case-study-list"):
        assert f'href="{reverse(url_name)}"' in html
    assert 'href="/contact/"' in html


def test_home_page_still_renders_before_content_is_loaded(client, db):
    response = client.get(reverse("portal:home"))

    assert response.status_code == 200
    assert (
        '<h1 class="govuk-heading-xl">Mutuals Information Service</h1>' in response.content.decode()
    )


def test_contact_page_has_a_feedback_section_the_phase_banner_links_to(client, shipped):
    response = client.get(reverse("portal:contact"))
    html = response.content.decode()

    assert response.status_code == 200
    assert 'id="feedback"' in html
    assert 'href="/contact/#feedback"' in html


def test_draft_page_is_not_found(client, make_page):
    page = make_page(slug="draft-page", status=Status.DRAFT)

    response = client.get(page.get_absolute_url())

    assert response.status_code == 404


def test_page_body_is_sanitised_markdown(client, make_page):
    page = make_page(body="## Section\n\n<script>alert(1)</script>[bad](javascript:alert(1))")

    html = client.get(page.get_absolute_url()).content.decode()

    assert '<h2 id="section-section" class="govuk-heading-l">Section</h2>' in html
    # Typed HTML shows as text; the link keeps its words but loses its address.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html
    assert "javascript:" not in html


def test_unknown_address_gets_the_gov_uk_404_page(client, db):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'class="govuk-footer"' in response.content.decode()


def test_strange_characters_in_an_address_get_a_404_not_a_500(client, db):
    for path in ("/%00/", "/../../etc/passwd", "/<script>/", "/" + "a" * 3000 + "/"):
        assert client.get(path).status_code == 404


def test_page_list_query_count_does_not_grow_with_pages(
    client, make_page, django_assert_num_queries
):
    page = make_page()
    # The page, and its change notes.
    with django_assert_num_queries(2):
        client.get(page.get_absolute_url())
    for _ in range(20):
        make_page()
    # The page, and its change notes.
    with django_assert_num_queries(2):
        client.get(page.get_absolute_url())


def test_navigation_marks_the_current_section(client, shipped):
    html = client.get(reverse("portal:page-detail", kwargs={"slug": "privacy"})).content.decode()
    assert 'aria-current="page"' not in html

    html = client.get(reverse("casestudies:case-study-list")).content.decode()
    assert html.count('aria-current="page"') == 1


def test_embedded_intro_page_is_not_served_at_its_own_address_twice(db, shipped):
    assert not Page.objects.standalone().filter(slug="how-to-set-up-a-mutual").exists()


@pytest.mark.parametrize(
    ("url_name", "heading", "empty_state"),
    [
        ("guides:resource-list", "Resource library", "No documents have been published"),
        ("casestudies:case-study-list", "Case studies", "No case studies have been published"),
    ],
)
def test_sections_without_content_yet_say_so_and_offer_a_way_on(
    client, db, url_name, heading, empty_state
):
    response = client.get(reverse(url_name))
    html = response.content.decode()

    assert response.status_code == 200
    assert h1s(response) == 1
    assert f"<title>{heading} – Mutuals Information Service</title>" in html
    assert 'class="govuk-breadcrumbs"' in html
    assert empty_state in html
    assert f'href="{reverse("portal:contact")}"' in html
