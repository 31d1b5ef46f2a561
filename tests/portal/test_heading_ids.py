"""Headings in Markdown never take an id the page itself uses.

A heading '## main-content' once rendered id="main-content", a second element with the skip
link's target. Every heading id in content now starts with HEADING_ID_PREFIX, which no id in
the templates does, and stored HTML from before is rewritten by a data migration.
"""

import re
from collections import Counter
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from casestudies.models import CaseStudy
from guides.models import Resource, Stage, Task
from portal.core.markdown import HEADING_ID_PREFIX, render_markdown
from portal.models import Page

# Ids the pages use for themselves: the skip link's target, the header, sections of the guide
# and the finder, the contact form's fields and the notification banner.
PAGE_IDS = [
    "main-content",
    "navigation",
    "results",
    "progress",
    "tasks",
    "resources",
    "end-result",
    "feedback",
    "contents-heading",
    "id_name",
    "govuk-notification-banner-title",
    "task-explore",  # the task below's own anchor on the stage page
    "why-a-mutual",  # a case study's section
]
# '## Heading' in a stage's body once took '<stage slug>-heading' on the printable guide, the id
# of the stage's own heading there.
BODY = "\n\n".join(f"## {name}\n\nSome text." for name in [*PAGE_IDS, "Heading"])
ID = re.compile(r'\sid="([^"]*)"')


def test_no_heading_takes_an_id_the_page_uses():
    for demote, id_prefix in [(0, ""), (1, "intro"), (2, "task-explore")]:
        html = render_markdown(BODY, demote, id_prefix)
        ids = ID.findall(html)

        assert len(ids) == len(PAGE_IDS) + 1
        assert all(heading_id.startswith(HEADING_ID_PREFIX) for heading_id in ids), ids
        assert not set(ids) & set(PAGE_IDS)
    assert '<h2 id="section-main-content" class="govuk-heading-l">' in render_markdown(BODY)


def test_no_id_in_the_templates_starts_with_the_heading_prefix():
    templates = Path(settings.BASE_DIR, "templates")
    # The fixed start of every id a template writes, up to the first {{ or {%.
    starts = {
        re.split(r"{[{%]", value)[0]
        for path in templates.rglob("*.html")
        for value in ID.findall(path.read_text())
    }

    assert "main-content" in starts
    assert not [start for start in starts if start.startswith(HEADING_ID_PREFIX)]


@pytest.fixture
def content_everywhere(make_page, make_stage, make_task, make_resource, make_case_study):
    """Every kind of page that shows Markdown, each body full of headings named like page ids."""
    make_page(slug="home", title="Home", body=BODY)
    make_page(slug=Page.GUIDE_INTRO_SLUG, title="How to set up a mutual", body=BODY)
    page = make_page(slug="about", body=BODY)
    stage = make_stage(slug="explore-the-idea", body=BODY, end_result=BODY)
    make_task(stage=stage, slug="explore", body=BODY)
    make_task(stage=stage, slug="ask", body=BODY)
    resource = make_resource(slug="guide", body=BODY)
    sections = {name: BODY for name, _label in CaseStudy.SECTIONS}
    case_study = make_case_study(slug="story", **sections)
    return [
        reverse("portal:home"),
        page.get_absolute_url(),
        reverse("guides:overview"),
        stage.get_absolute_url(),
        reverse("guides:print"),
        resource.get_absolute_url(),
        case_study.get_absolute_url(),
    ]


def test_every_page_with_markdown_has_one_main_content_and_no_repeated_id(
    client, content_everywhere
):
    for url in content_everywhere:
        response = client.get(url)
        html = response.content.decode()
        repeated = [i for i, count in Counter(ID.findall(html)).items() if count > 1]

        assert response.status_code == 200, url
        assert html.count('id="main-content"') == 1, url
        assert 'href="#main-content"' in html
        assert re.search(r'id="section-[^"]*main-content"', html), url
        assert repeated == [], url


# Stored HTML from before the prefix

MIGRATIONS = [
    ("portal.migrations.0005_prefix_heading_ids", [Page]),
    ("guides.migrations.0005_prefix_heading_ids", [Stage, Task, Resource]),
    ("casestudies.migrations.0002_prefix_heading_ids", [CaseStudy]),
]


def stored(models):
    return [(model, row.pk, row.rendered) for model in models for row in model.objects.all()]


@pytest.mark.parametrize(("module", "models"), MIGRATIONS)
def test_the_migrations_give_stored_heading_ids_the_prefix_as_rendering_does(
    content_everywhere, module, models
):
    migration = import_module(module)
    rendered_now = stored(models)
    assert all(rendered for _model, _pk, rendered in rendered_now)

    migration.unprefix_heading_ids(apps, None)
    before = stored(models)
    migration.prefix_heading_ids(apps, None)

    # Undone, the ids are as they were stored before; done, exactly as rendering gives them.
    for _model, _pk, rendered in before:
        for html in rendered.values():
            assert "main-content" in html
            assert 'id="section-' not in html
    assert stored(models) == rendered_now


def test_the_migration_rewrites_heading_ids_and_nothing_else(make_page):
    page = make_page(body="x")
    old = (
        '<h2 id="main-content" class="govuk-heading-l">main-content</h2>\n'
        '<p class="govuk-body">Type &lt;h2 id="x"&gt; to see <code>id="y"</code>.</p>\n'
        '<h3 id="section-one" class="govuk-heading-m">Section one</h3>'
    )
    Page.objects.filter(pk=page.pk).update(rendered={"body": old, "print_body": ""})

    import_module(MIGRATIONS[0][0]).prefix_heading_ids(apps, None)

    assert Page.objects.get(pk=page.pk).rendered == {
        "body": (
            '<h2 id="section-main-content" class="govuk-heading-l">main-content</h2>\n'
            '<p class="govuk-body">Type &lt;h2 id="x"&gt; to see <code>id="y"</code>.</p>\n'
            '<h3 id="section-section-one" class="govuk-heading-m">Section one</h3>'
        ),
        "print_body": "",
    }
    assert render_markdown("## main-content\n\n### Section one").startswith(
        '<h2 id="section-main-content" class="govuk-heading-l">main-content</h2>\n'
    )
