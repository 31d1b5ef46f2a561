import re
from io import StringIO

from django import forms
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import RequestFactory

MANIFEST_STORAGE = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}


def test_collectstatic_hashes_gov_uk_assets_under_static_url(settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = MANIFEST_STORAGE

    call_command("collectstatic", interactive=False, verbosity=0, stdout=StringIO())

    css_files = list((tmp_path / "govuk").glob("govuk-frontend.min.*.css"))
    assert len(css_files) == 1
    css = css_files[0].read_text()
    assert "url(/assets/" not in css
    fonts = re.findall(r'url\("?(assets/fonts/[^")]+)"?\)', css)
    assert fonts
    for font in fonts:
        assert re.search(r"\.[0-9a-f]{12}\.woff2?$", font), font
        assert (tmp_path / "govuk" / font).exists()
    assert list((tmp_path / "govuk").glob("govuk-frontend.min.*.css.gz"))


class NameForm(forms.Form):
    name = forms.CharField()


def test_page_title_starts_with_error_when_the_form_has_errors(db):
    request = RequestFactory().get("/")
    form = NameForm(data={})
    assert not form.is_valid()

    html = render_to_string("base.html", {"form": form}, request=request)

    assert "<title>Error: Mutuals Information Service – Mutuals Information Service</title>" in html
