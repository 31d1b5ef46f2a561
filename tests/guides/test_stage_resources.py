import re

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from guides.models import Resource, Stage
from guides.views import STAGE_RESOURCES_PER_TOPIC, stage_resources
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db


def resources_section(html):
    """The 'Resources for this stage' part of a stage page, up to the help that follows it."""
    start = html.index('<div class="app-stage-resources">')
    return html[start : html.index('<div class="app-get-help">', start)]


def grouped_titles(section):
    """[(topic heading, [resource titles])] in page order."""
    groups = re.findall(
        r'<h3 class="govuk-heading-m">(.*?)</h3>\s*'
        r'<ul class="govuk-list app-resource-list">(.*?)</ul>',
        section,
        re.DOTALL,
    )
    return [
        (name, re.findall(r'class="govuk-link" href="[^"]+">([^<]+)</a>', items))
        for name, items in groups
    ]


def test_stage_lists_its_resources_grouped_by_topic(client, make_stage, make_resource, make_topic):
    stage, other_stage = make_stage(), make_stage()
    tax, tupe = make_topic("Tax"), make_topic("TUPE")
    make_resource(title="Transfer checklist", topics=[tupe], stages=[stage])
    make_resource(title="Budget measures", topics=[tax], stages=[stage])
    make_resource(title="Both at once", topics=[tax, tupe], stages=[stage])
    make_resource(title="Untagged note", topics=[], stages=[stage])
    make_resource(title="Another stage's resource", topics=[tax], stages=[other_stage])

    html = client.get(stage.get_absolute_url()).content.decode()
    section = resources_section(html)

    assert '<h2 class="govuk-heading-l" id="resources">Resources for this stage</h2>' in section
    # A resource with two topics is under each; one with none comes last, under "Other".
    assert grouped_titles(section) == [
        ("Tax", ["Both at once", "Budget measures"]),
        ("TUPE", ["Both at once", "Transfer checklist"]),
        ("Other", ["Untagged note"]),
    ]
    assert "Another stage's resource" not in html


def test_each_resource_links_to_its_page_with_type_and_file(
    client, make_stage, make_resource, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    stage = make_stage()
    template = make_resource(
        title="Business plan template", resource_type=Resource.Type.TEMPLATE, stages=[stage]
    )
    template.file.save("plan.docx", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    template.file_type, template.file_size = "DOCX", 48 * 1024
    template.save()
    make_resource(
        title="Myth busting",
        resource_type=Resource.Type.REPORT,
        external_url="https://example.org/myths",
        stages=[stage],
    )
    make_resource(title="Ask for it", resource_type=Resource.Type.LETTER, stages=[stage])

    section = resources_section(client.get(stage.get_absolute_url()).content.decode())

    assert f'href="{template.get_absolute_url()}">Business plan template</a>' in section
    assert '<span class="app-resource-list__meta">Template (DOCX, 48 KB)</span>' in section
    assert '<span class="app-resource-list__meta">Report (on another website)</span>' in section
    assert '<span class="app-resource-list__meta">Letter</span>' in section


def test_draft_resources_are_left_out(client, make_stage, make_resource):
    stage = make_stage()
    make_resource(title="Published guidance", stages=[stage])
    make_resource(title="Unfinished guidance", stages=[stage], status=Status.DRAFT)
    html = client.get(stage.get_absolute_url()).content.decode()
    assert "Published guidance" in html
    assert "Unfinished guidance" not in html


def test_links_to_the_finder_filtered_to_the_stage(client, make_stage, make_resource):
    stage = make_stage(slug="appraise-the-options")
    make_resource(stages=[stage])
    section = resources_section(client.get(stage.get_absolute_url()).content.decode())
    assert (
        f'<a class="govuk-link" href="{reverse("guides:resource-list")}'
        '?stage=appraise-the-options">'
        "Find resources for this stage in the resource library</a>" in section
    )


def test_stage_without_resources_has_no_resources_section(client, make_stage, make_resource):
    stage = make_stage()
    make_resource(title="Elsewhere", stages=[make_stage()])
    make_resource(title="Not ready", stages=[stage], status=Status.DRAFT)
    html = client.get(stage.get_absolute_url()).content.decode()
    assert "Resources for this stage" not in html
    assert "Get help with this stage" in html


def test_admin_preview_of_a_stage_lists_its_resources(editor_client, make_stage, make_resource):
    draft = make_stage(status=Status.DRAFT)
    make_resource(title="Ready for the draft stage", stages=[draft])
    url = reverse("admin:guides_stage_preview", args=[draft.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert "Ready for the draft stage" in response.content.decode()


@pytest.mark.parametrize("resource_count", [2, 40])
def test_stage_page_query_count_is_the_same_however_many_resources(
    make_stage, make_task, make_resource, make_topic, django_assert_num_queries, resource_count
):
    stages = [make_stage() for _ in range(5)]
    for stage in stages:
        make_task(stage)
    topics = [make_topic() for _ in range(4)]
    for index in range(resource_count):
        make_resource(topics=topics[: index % 4], stages=stages[index % 2 :: 2])
    client = Client()
    # Stages, their tasks, the stage's resources with their topics, its case studies, its change
    # notes and who can help.
    with django_assert_num_queries(6):
        response = client.get(stages[0].get_absolute_url())
    stage_rows = Resource.objects.filter(stages=stages[0])
    for group in response.context["stage_resources"]:
        in_topic = (
            stage_rows.filter(topics__slug=group["topic_slug"])
            if group["topic_slug"]
            else stage_rows.filter(topics=None)
        )
        assert group["total"] == in_topic.count()
        assert len(group["resources"]) == min(group["total"], STAGE_RESOURCES_PER_TOPIC)


def test_a_long_topic_shows_the_first_few_and_links_to_the_rest(
    client, make_stage, make_resource, make_topic
):
    stage, other_stage = make_stage(slug="explore-the-idea"), make_stage()
    pensions, tax = make_topic("Pensions"), make_topic("Tax")
    for number in range(STAGE_RESOURCES_PER_TOPIC + 3):
        make_resource(title=f"Pensions note {number:02}", topics=[pensions], stages=[stage])
    make_resource(title="Elsewhere", topics=[pensions], stages=[other_stage])
    make_resource(title="Tax note", topics=[tax], stages=[stage])

    html = client.get(Stage.objects.get(pk=stage.pk).get_absolute_url()).content.decode()
    section = resources_section(html)

    assert grouped_titles(section) == [
        ("Pensions", [f"Pensions note {n:02}" for n in range(STAGE_RESOURCES_PER_TOPIC)]),
        ("Tax", ["Tax note"]),
    ]
    see_all = reverse("guides:resource-list") + "?stage=explore-the-idea&amp;topic=pensions"
    assert (
        f'href="{see_all}">See all {STAGE_RESOURCES_PER_TOPIC + 3} resources about Pensions '
        "for this stage</a>"
    ) in section
    assert "resources about Tax" not in section


def test_grouping_keeps_every_topic_and_resource_pair(make_stage, make_resource, make_topic):
    stage = make_stage()
    a, b = make_topic("Assets"), make_topic("Back office support")
    make_resource(title="Two topics", topics=[a, b], stages=[stage])
    groups = stage_resources(Stage.objects.get(pk=stage.pk))
    assert [(g["name"], [r.title for r in g["resources"]]) for g in groups] == [
        ("Assets", ["Two topics"]),
        ("Back office support", ["Two topics"]),
    ]
