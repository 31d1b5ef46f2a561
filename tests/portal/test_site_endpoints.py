import datetime
import re
from unittest import mock

import pytest
from django.db import connection
from django.db.utils import OperationalError
from django.urls import reverse
from django.utils import timezone

from guides.readiness.models import Question
from portal.core.publishing import Status


def test_healthz_is_ok_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))

    assert response.status_code == 200
    assert response.content == b"ok\n"


def test_healthz_is_503_when_the_database_does_not_answer(client, db):
    refused = OperationalError("connection refused")

    with mock.patch.object(connection, "cursor", side_effect=refused):
        response = client.get(reverse("healthz"))

    assert response.status_code == 503
    assert b"database unavailable" in response.content


def test_sitemap_lists_every_public_page_with_lastmod(client, shipped, make_page):
    make_page(slug="hidden-draft", status=Status.DRAFT)

    response = client.get(reverse("sitemap"))
    xml = response.content.decode()

    assert response.status_code == 200
    for path in ("/", "/what-is-a-mutual/", "/accessibility/", "/privacy/", "/cookies/",
                 "/contact/", "/how-to-set-up-a-mutual/"):  # fmt: skip
        assert f"<loc>http://testserver{path}</loc>" in xml
    assert "hidden-draft" not in xml
    # Shipped pages were last updated when they were loaded.
    assert f"<lastmod>{timezone.localdate():%Y-%m-%d}</lastmod>" in xml
    # The guide intro page is listed once, by the guide, not again as a site page.
    assert xml.count("<loc>http://testserver/how-to-set-up-a-mutual/</loc>") == 1


def test_sitemap_lists_the_readiness_check_only_while_it_has_questions(client, shipped):
    start = "<loc>http://testserver/are-you-ready/</loc>"
    assert client.get(reverse("sitemap")).content.decode().count(start) == 1
    assert "/are-you-ready/questions/" not in client.get(reverse("sitemap")).content.decode()

    Question.objects.update(status=Status.DRAFT)

    assert start not in client.get(reverse("sitemap")).content.decode()


def test_sitemap_lastmod_follows_the_public_last_updated_date(client, make_page):
    make_page(
        slug="dated",
        last_reviewed=datetime.date(2026, 11, 1),
        public_updated_at=datetime.datetime(2025, 1, 31, 9, 0, tzinfo=datetime.UTC),
    )

    xml = client.get(reverse("sitemap")).content.decode()

    assert re.search(r"<loc>http://testserver/dated/</loc>\s*<lastmod>2025-01-31</lastmod>", xml)


def test_robots_txt_points_at_the_sitemap_and_keeps_crawlers_out_of_admin(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Disallow: /admin/" in response.content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


@pytest.mark.parametrize(
    ("govuk_branding", "icon"),
    [(False, "/static/images/favicon.ico"), (True, "/static/govuk/assets/images/favicon.ico")],
)
def test_favicon_redirects_to_the_static_icon(client, db, settings, govuk_branding, icon):
    settings.GOVUK_BRANDING = govuk_branding
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == icon


@pytest.mark.parametrize("url_name", ["portal:home", "guides:overview", "portal:contact"])
def test_every_page_allows_scripts_from_the_site_only(client, shipped, url_name):
    response = client.get(reverse(url_name))
    csp = response["Content-Security-Policy"]

    # No nonce: a page kept in the cache would hand the same one to every visitor.
    assert re.search(r"script-src 'self'(;|$)", csp)
    assert "nonce" not in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp


@pytest.mark.parametrize("url_name", ["sitemap", "healthz", "robots"])
def test_non_html_responses_carry_a_csp_too(client, db, url_name):
    csp = client.get(reverse(url_name))["Content-Security-Policy"]

    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp


@pytest.mark.parametrize(
    "url_name", ["portal:home", "guides:overview", "guides:resource-list", "portal:contact"]
)
def test_pages_have_no_inline_script_and_no_nonce(client, shipped, url_name):
    html = client.get(reverse(url_name)).content.decode()

    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    assert all("src=" in tag for tag in scripts)
    assert "nonce" not in html


def test_security_headers_are_sent(client, db):
    response = client.get(reverse("portal:home"))

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_theme_colour_and_icons_are_declared(client, db):
    html = client.get(reverse("portal:home")).content.decode()

    assert '<meta name="theme-color" content="#0b0c0c">' in html  # the generic header's black
    assert 'rel="icon"' in html
