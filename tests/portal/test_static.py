import gzip
import re
from io import StringIO
from pathlib import Path

import pytest
from django import forms
from django.conf import settings as django_settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "portal.storage.StaticFilesStorage"},
}


def test_collectstatic_hashes_the_stylesheet_its_images_and_the_script_imports(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = MANIFEST_STORAGE

    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())

    css_files = list((tmp_path / "build").glob("site.*.css"))
    assert len(css_files) == 1
    css = css_files[0].read_text()
    assert "url(/assets/" not in css
    images = re.findall(r'url\("?(\.\./govuk/assets/images/[^")]+)"?\)', css)
    assert images
    for image in images:
        assert re.search(r"\.[0-9a-f]{12}\.svg$", image), image
        assert (tmp_path / "build" / image).resolve().exists()
    assert list((tmp_path / "build").glob("site.*.css.gz"))
    # The entry script imports GOV.UK Frontend by its hashed name, cached for a year.
    entry = next((tmp_path / "js").glob("site.*.js")).read_text()
    assert re.search(r'from "\.\./govuk/govuk-frontend\.min\.[0-9a-f]{12}\.js"', entry)


def test_the_stylesheet_uses_a_system_font_and_no_web_font():
    css = Path(finders.find("build/site.css")).read_text()

    assert "@font-face" not in css
    assert ".woff" not in css
    assert "font-family:arial,sans-serif" in css
    assert ".govuk-service-navigation" in css  # a component the site uses
    assert ".govuk-accordion" not in css  # one it does not
    assert ".app-step-nav" in css  # the site's own CSS is in the bundle


# Compressed bytes each bundle may weigh: a first visit of any page loads all of these.
BUNDLE_BUDGETS = {
    "build/site.css": 16_000,
    "govuk/govuk-frontend.min.js": 13_000,
    "js/site.js": 1_000,
}


@pytest.mark.parametrize(("path", "budget"), BUNDLE_BUDGETS.items())
def test_static_bundle_stays_within_its_compressed_budget(path, budget):
    content = Path(finders.find(path)).read_bytes()

    assert len(gzip.compress(content, compresslevel=9)) <= budget


def test_the_layout_loads_one_stylesheet_and_no_blocking_script(db):
    html = render_to_string("base.html", {}, request=RequestFactory().get("/"))

    stylesheets = re.findall(r'<link rel="stylesheet"[^>]*>', html)
    bundle = f"{django_settings.STATIC_URL}build/site.css"
    assert stylesheets == [f'<link rel="stylesheet" href="{bundle}">']
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts
    # Module scripts are deferred: none holds up the first paint.
    assert all('type="module"' in tag and "src=" in tag for tag in scripts)


class NameForm(forms.Form):
    name = forms.CharField()


def test_page_title_starts_with_error_when_the_form_has_errors(db):
    request = RequestFactory().get("/")
    form = NameForm(data={})
    assert not form.is_valid()

    html = render_to_string("base.html", {"form": form}, request=request)

    assert "<title>Error: Mutuals Information Service – Mutuals Information Service</title>" in html
