"""Editors manage mutuals, service areas and case studies, with preview and history."""

import pytest
from django.urls import reverse

from casestudies.models import CaseStudy, Mutual
from portal.core.publishing import Status


def case_study_form(mutual, **fields):
    return {
        "title": "How Swindon joined two services",
        "slug": "swindon",
        "mutual": mutual.pk,
        "summary": "Health and social care as one co-operative.",
        "service_before": "Two teams.",
        "why_a_mutual": "",
        "how_they_did_it": "## Step one\n\nThey talked to staff.",
        "support": "",
        "results": "Not yet known.",
        "lessons": "",
        "pull_quote": "",
        "quote_attribution": "",
        "status": Status.DRAFT,
        "last_reviewed": "2026-11-23",
        **fields,
    }


def test_editor_adds_a_draft_case_study_previews_it_then_publishes_it(
    client, editor_client, make_mutual, make_stage, make_topic
):
    mutual, stage, topic = make_mutual(name="Swindon co-op"), make_stage(), make_topic("TUPE")
    data = case_study_form(mutual, stages=[stage.pk], topics=[topic.pk])

    response = editor_client.post(reverse("admin:casestudies_casestudy_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    case_study = CaseStudy.objects.get(slug="swindon")
    assert list(case_study.stages.all()) == [stage]
    assert case_study.history.count() == 1
    assert client.get(case_study.get_absolute_url()).status_code == 404

    preview = editor_client.get(
        reverse("admin:casestudies_casestudy_preview", args=[case_study.pk])
    )
    html = preview.content.decode()
    assert preview.status_code == 200
    assert "This is a preview" in html
    assert 'id="section-how-they-did-it-step-one"' in html

    editor_client.post(
        reverse("admin:casestudies_casestudy_changelist"),
        {"action": "publish", "_selected_action": [case_study.pk]},
    )
    assert client.get(case_study.get_absolute_url()).status_code == 200
    assert case_study.history.count() == 2


def test_markdown_that_is_too_long_is_rejected_on_its_field(editor_client, make_mutual, settings):
    settings.MARKDOWN_MAX_CHARACTERS = 50
    data = case_study_form(make_mutual(), lessons="x" * 60)

    response = editor_client.post(reverse("admin:casestudies_casestudy_add"), data)

    assert response.status_code == 200
    assert "lessons" in response.context["adminform"].form.errors


def mutual_form(area, **fields):
    return {
        "name": "Fire mutual",
        "slug": "fire-mutual",
        "parent_body": "",
        "service_area": area.pk,
        "legal_form": "",
        "region": "",
        "progress": "exploring",
        "year_spun_out": "",
        "staff_count": "",
        "contract_value": "",
        "website": "",
        "status": Status.PUBLISHED,
        "last_reviewed": "2026-11-23",
        # The "What happened next" inline, with no rows.
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
        **fields,
    }


def test_editor_adds_a_mutual_leaving_unknown_facts_empty(editor_client, make_service_area):
    data = mutual_form(make_service_area("Fire"))

    response = editor_client.post(reverse("admin:casestudies_mutual_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    mutual = Mutual.objects.get(slug="fire-mutual")
    assert (mutual.year_spun_out, mutual.staff_count, mutual.contract_value) == (None, None, None)
    preview = editor_client.get(reverse("admin:casestudies_mutual_preview", args=[mutual.pk]))
    # Came from, legal form, place, region, year spun out, staff and contract value.
    assert preview.content.decode().count(">Not known<") == 7


@pytest.mark.parametrize("field", ["staff_count", "contract_value"])
def test_zero_is_refused_for_a_figure_so_unknown_stays_empty(
    editor_client, make_service_area, field
):
    data = mutual_form(make_service_area("Fire"), **{field: "0"})

    response = editor_client.post(reverse("admin:casestudies_mutual_add"), data)

    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    assert not Mutual.objects.exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:casestudies_casestudy_changelist",
        "admin:casestudies_mutual_changelist",
        "admin:casestudies_servicearea_changelist",
        "admin:casestudies_casestudy_add",
    ],
)
def test_content_editors_can_open_the_case_study_admin(editor_client, url_name):
    assert editor_client.get(reverse(url_name)).status_code == 200


def test_enquiry_handlers_cannot_edit_case_studies(client, make_staff, make_case_study):
    client.force_login(make_staff("Enquiry handlers", username="handler"))
    case_study = make_case_study()
    assert client.get(reverse("admin:casestudies_casestudy_changelist")).status_code == 403
    preview = reverse("admin:casestudies_casestudy_preview", args=[case_study.pk])
    assert client.get(preview).status_code == 403


@pytest.mark.parametrize("rows", [1, 15])
def test_case_study_changelist_query_count_does_not_grow(
    editor_client, make_case_study, rows, django_assert_num_queries
):
    for _ in range(rows):
        make_case_study()
    editor_client.get(reverse("admin:casestudies_casestudy_changelist"))  # warm the session
    with django_assert_num_queries(10):
        editor_client.get(reverse("admin:casestudies_casestudy_changelist"))
