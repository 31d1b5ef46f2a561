"""Where the reader is: the generic header off GOV.UK, GOV.UK's header and font only on it."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

GOVUK_LOGOTYPE = "<title>GOV.UK</title>"
FONT_URL = re.compile(r'url\("?(\.\./govuk/assets/fonts/[^")]+)"?\)')


def has_class(html, name):
    return re.search(rf'class="(?:[^"]* )?{re.escape(name)}(?: [^"]*)?"', html) is not None


def header_of(html):
    return html[html.index('<header class="govuk-template__header">') : html.index("</header>")]


@pytest.fixture
def on_govuk(settings):
    settings.GOVUK_BRANDING = True


@pytest.fixture
def home_html(client, db):
    def get():
        response = client.get(reverse("portal:home"))
        assert response.status_code == 200
        return response.content.decode()

    return get


def test_a_deployment_is_off_govuk_unless_it_says_otherwise(settings):
    assert settings.GOVUK_BRANDING is False


def test_off_govuk_the_generic_header_names_the_service_and_links_home(home_html, settings):
    header = header_of(home_html())

    assert has_class(header, "govuk-generic-header")
    link = re.search(
        r'<a href="([^"]+)" class="govuk-generic-header__homepage-link">([^<]+)</a>', header
    )
    assert link.groups() == (reverse("portal:home"), settings.SERVICE_NAME)
    # Named once: the service navigation below it carries only the sections.
    assert header.count(settings.SERVICE_NAME) == 1
    assert not has_class(header, "govuk-service-navigation__service-name")
    assert 'aria-label="Service information"' not in header
    assert not has_class(header, "govuk-header")


def test_off_govuk_no_page_shows_the_crown_the_logotype_or_the_royal_arms(home_html):
    html = home_html()

    assert GOVUK_LOGOTYPE not in html
    assert "https://www.gov.uk/" not in html
    assert not has_class(html, "govuk-header__logotype")
    assert not has_class(html, "govuk-footer__crown")
    assert not has_class(html, "govuk-footer__copyright-logo")  # the Royal Arms, drawn by CSS
    # The copyright and licence notices are law, not branding: they stay.
    assert "© Crown copyright" in html
    assert "Open Government Licence v3.0" in html


def test_off_govuk_pages_use_the_arial_stylesheet_and_a_black_toolbar(home_html):
    html = home_html()

    assert '<link rel="stylesheet" href="/static/build/site.css">' in html
    assert "site-govuk.css" not in html
    assert '<meta name="theme-color" content="#0b0c0c">' in html


def icons_of(html):
    return re.findall(r'<link rel="(?:icon|apple-touch-icon)"[^>]* href="([^"]+)"', html)


def test_off_govuk_the_browser_tab_shows_the_service_icon_not_the_crown(home_html):
    icons = icons_of(home_html())

    assert icons == [
        "/static/images/favicon.ico",
        "/static/images/favicon.svg",
        "/static/images/icon-180.png",
    ]
    for icon in icons:
        assert finders.find(icon.removeprefix("/static/")), icon


def test_on_govuk_the_browser_tab_shows_the_crown(home_html, on_govuk):
    assert icons_of(home_html()) == [
        "/static/govuk/assets/images/favicon.ico",
        "/static/govuk/assets/images/favicon.svg",
        "/static/govuk/assets/images/govuk-icon-180.png",
    ]


def test_on_govuk_the_header_has_the_crown_and_links_to_govuk(home_html, on_govuk, settings):
    header = header_of(home_html())

    assert has_class(header, "govuk-header")
    assert not has_class(header, "govuk-generic-header")
    assert '<a href="https://www.gov.uk/" class="govuk-header__homepage-link">' in header
    assert GOVUK_LOGOTYPE in header
    assert has_class(header, "govuk-header__logotype")
    # The service's name moves to the service navigation, as GOV.UK asks.
    assert 'aria-label="Service information"' in header
    service_name = r'<span class="govuk-service-navigation__service-name">\s*'
    name = re.search(service_name + r'<a href="([^"]+)"[^>]*>([^<]+)</a>', header)
    assert name.groups() == (reverse("portal:home"), settings.SERVICE_NAME)


def test_on_govuk_the_footer_has_the_crown_and_the_royal_arms(home_html, on_govuk):
    html = home_html()
    footer = html[html.index('<footer class="govuk-template__footer">') :]

    assert re.search(r'<svg[^>]*class="govuk-footer__crown"', footer, re.DOTALL)
    assert has_class(footer, "govuk-footer__copyright-logo")
    assert "© Crown copyright" in footer


def test_on_govuk_pages_use_the_gds_transport_stylesheet(home_html, on_govuk):
    html = home_html()

    assert '<link rel="stylesheet" href="/static/build/site-govuk.css">' in html
    assert "build/site.css" not in html
    assert '<meta name="theme-color" content="#1d70b8">' in html


@pytest.mark.parametrize("branding", [False, True])
def test_error_pages_follow_the_setting(client, db, settings, branding):
    settings.GOVUK_BRANDING = branding

    response = client.get("/no-such-page/")
    html = response.content.decode()

    assert response.status_code == 404
    assert has_class(html, "govuk-header") is branding
    assert has_class(html, "govuk-generic-header") is not branding
    assert (GOVUK_LOGOTYPE in html) is branding


def test_the_arial_stylesheet_declares_no_web_font():
    css = Path(finders.find("build/site.css")).read_text()

    assert "@font-face" not in css
    assert ".woff" not in css
    assert ".govuk-generic-header" in css


def test_the_govuk_stylesheet_sets_gds_transport_from_this_site():
    css = Path(finders.find("build/site-govuk.css")).read_text()

    assert css.count('@font-face{font-family:"GDS Transport"') == 2  # regular and bold
    assert 'font-family:"GDS Transport",arial,sans-serif' in css
    fonts = FONT_URL.findall(css)
    assert len(fonts) == 4  # woff2 and woff of each weight, all relative to this site
    for font in fonts:
        assert finders.find(font.removeprefix("../")), font
    assert ".govuk-header" in css and ".govuk-generic-header" in css


def test_collectstatic_hashes_the_govuk_stylesheet_and_its_fonts(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "portal.storage.StaticFilesStorage"},
    }

    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())

    (css_file,) = (tmp_path / "build").glob("site-govuk.*.css")
    fonts = FONT_URL.findall(css_file.read_text())
    assert len(fonts) == 4
    for font in fonts:
        assert re.search(r"\.[0-9a-f]{12}\.woff2?$", font), font
        assert (tmp_path / "build" / font).resolve().exists()


def test_fonts_are_allowed_only_from_this_site(client, db, on_govuk):
    policy = client.get(reverse("portal:home"))["Content-Security-Policy"]

    assert "font-src 'self'" in policy.split("; ")
