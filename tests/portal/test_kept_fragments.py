"""The layout's kept fragments (portal_tags.kept_fragment): rendered once per process and
content version for each set of the values they name, and rendered afresh after a save.
"""

import pytest
from django.template import Context, Template
from django.urls import reverse

from portal.cache import bump_content_version
from portal.templatetags import portal_tags

FRAGMENT = Template(
    '{% load portal_tags %}{% kept_fragment "sample" section %}{{ text }}{% endkept_fragment %}'
)


def render(**values):
    return FRAGMENT.render(Context(values))


def test_a_fragment_is_kept_for_each_set_of_its_values():
    assert render(section="home", text="first") == "first"
    assert render(section="home", text="second") == "first"
    assert render(section="resources", text="second") == "second"


def test_a_fragment_is_rendered_afresh_for_a_new_content_version():
    assert render(section="home", text="first") == "first"
    bump_content_version()  # an editor saved something
    assert render(section="home", text="second") == "second"


def test_without_the_shared_cache_a_fragment_is_rendered_each_time(monkeypatch):
    def down():
        raise ConnectionError("shared cache down")

    monkeypatch.setattr(portal_tags, "kept_fragments", down)
    assert render(section="home", text="first") == "first"
    assert render(section="home", text="second") == "second"


@pytest.mark.django_db
def test_each_page_marks_its_own_section_in_the_kept_header(client, shipped):
    for url, current in (
        (reverse("portal:home"), "Home"),
        (reverse("guides:resource-list"), "Resources"),
        (reverse("portal:home"), "Home"),
        (reverse("casestudies:case-study-list"), "Case studies"),
    ):
        html = client.get(url).content.decode()
        marked = html.split('aria-current="page">', 1)[1].split("</a>", 1)[0]
        assert current in marked, url
