import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from guides.models import Publisher, Resource, Topic
from portal.core.publishing import Status
from tests.factories import PDF, PNG, XLSX

pytestmark = pytest.mark.django_db

ADD = reverse("admin:guides_resource_add")
CHANGELIST = reverse("admin:guides_resource_changelist")


def stored_files(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


def change_url(resource):
    return reverse("admin:guides_resource_change", args=[resource.pk])


def form_data(**fields):
    """The add form as an editor would post it."""
    return {
        "title": "Business plan template",
        "slug": "business-plan-template",
        "summary": "A template to write your mutual's business plan in.",
        "body": "",
        "resource_type": Resource.Type.TEMPLATE,
        "publisher": "",
        "published_on": "2012-06-01",
        "published_precision": Resource.DatePrecision.MONTH,
        "external_url": "",
        "status": Status.PUBLISHED,
        "last_reviewed": "2026-11-23",
        **fields,
    }


def test_editor_adds_a_resource_with_a_pdf(
    editor_client, media, make_topic, make_publisher, make_stage
):
    topic, stage = make_topic("Business planning"), make_stage()
    publisher = make_publisher("Cabinet Office")
    data = form_data(topics=[topic.pk], stages=[stage.pk], publisher=publisher.pk)
    data["file"] = SimpleUploadedFile("../Business plan.pdf", PDF)

    response = editor_client.post(ADD, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    resource = Resource.objects.get(slug="business-plan-template")
    assert (resource.file_type, resource.file_size) == ("PDF", len(PDF))
    assert resource.file_description == f"PDF, {len(PDF)} bytes"
    assert resource.file.name.endswith("/Business_plan.pdf")
    assert stored_files(media) == [resource.file.name]
    assert list(resource.topics.all()) == [topic]
    assert list(resource.stages.all()) == [stage]
    assert resource.publisher == publisher
    assert resource.history.count() == 1
    assert resource in Resource.objects.published()
    download = editor_client.get(resource.get_download_url())
    assert b"".join(download.streaming_content) == PDF
    finder = editor_client.get(reverse("guides:resource-list")).content.decode()
    assert f'href="{resource.get_absolute_url()}"' in finder
    assert f"PDF, {len(PDF)} bytes" in finder
    page = editor_client.get(resource.get_absolute_url()).content.decode()
    assert "Business plan template" in page
    assert f'href="{resource.get_download_url()}"' in page


def test_a_bad_upload_shows_the_error_and_stores_nothing(editor_client, media):
    data = form_data(file=SimpleUploadedFile("photo.pdf", PNG))

    response = editor_client.post(ADD, data)

    assert response.status_code == 200
    form = response.context["adminform"].form
    message = "The selected file must be a PDF, DOCX, XLSX, ODT, ODS, CSV or TXT"
    assert form.errors["file"] == [message]
    assert message in response.content.decode()
    assert Resource.objects.count() == 0
    assert stored_files(media) == []


def test_an_empty_upload_is_refused(editor_client, media):
    response = editor_client.post(ADD, form_data(file=SimpleUploadedFile("plan.pdf", b"")))
    assert response.context["adminform"].form.errors["file"] == ["The selected file is empty"]
    assert stored_files(media) == []


def test_replacing_a_file_removes_the_old_one_after_saving(
    editor_client, media, django_capture_on_commit_callbacks
):
    editor_client.post(ADD, form_data(file=SimpleUploadedFile("plan.pdf", PDF)))
    resource = Resource.objects.get()
    old_name = resource.file.name

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(resource), form_data(file=SimpleUploadedFile("budget.xlsx", XLSX))
        )

    assert response.status_code == 302
    resource.refresh_from_db()
    assert (resource.file_type, resource.file_size) == ("XLSX", len(XLSX))
    assert stored_files(media) == [resource.file.name]
    assert resource.file.name != old_name


def test_clearing_a_file_removes_it_and_its_details(
    editor_client, media, django_capture_on_commit_callbacks
):
    editor_client.post(ADD, form_data(file=SimpleUploadedFile("plan.pdf", PDF)))
    resource = Resource.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(change_url(resource), form_data(**{"file-clear": "on"}))

    resource.refresh_from_db()
    assert not resource.file
    assert (resource.file_type, resource.file_size) == ("", None)
    assert stored_files(media) == []


def test_a_failed_change_keeps_the_old_file(editor_client, media):
    editor_client.post(ADD, form_data(file=SimpleUploadedFile("plan.pdf", PDF)))
    resource = Resource.objects.get()

    response = editor_client.post(
        change_url(resource), form_data(title="", file=SimpleUploadedFile("budget.xlsx", XLSX))
    )

    assert response.status_code == 200
    assert stored_files(media) == [resource.file.name]


def test_change_form_groups_fields_for_an_editor(editor_client, make_resource, make_topic):
    resource = make_resource(topics=[make_topic("Tax")])
    response = editor_client.get(change_url(resource))
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ["About the document", "The document", "Where it appears", "Publishing"]:
        assert heading in html
    assert 'type="checkbox" name="topics"' in html
    assert "No file uploaded" in html
    assert 'accept=".pdf,.docx,.xlsx,.odt,.ods,.csv,.txt"' in html
    assert "Preview" in html


def test_preview_shows_a_draft_resource(editor_client, make_resource):
    resource = make_resource(status=Status.DRAFT, title="A draft guide to TUPE")
    url = reverse("admin:guides_resource_preview", args=[resource.pk])
    response = editor_client.get(url)
    assert response.status_code == 200
    assert response.context["resource"] == resource


def link_states(make_resource):
    now = timezone.now()
    return {
        "ok": make_resource(
            title="Working link", external_url="https://example.org/a", link_status=200,
            link_checked_at=now,
        ),
        "missing": make_resource(
            title="Missing page", external_url="https://example.org/b", link_status=404,
            link_checked_at=now,
        ),
        "timeout": make_resource(
            title="Slow site", external_url="https://example.org/c", link_error="Timed out",
            link_checked_at=now,
        ),
        "unchecked": make_resource(title="New link", external_url="https://example.org/d"),
        "no_link": make_resource(title="Only a file"),
    }  # fmt: skip


@pytest.mark.parametrize(
    ("value", "expected"),
    [("broken", {"missing", "timeout"}), ("ok", {"ok"}), ("not-checked", {"unchecked"})],
)
def test_link_check_filter(editor_client, make_resource, value, expected):
    states = link_states(make_resource)
    response = editor_client.get(CHANGELIST, {"link": value})
    shown = set(response.context["cl"].result_list)
    assert shown == {states[name] for name in expected}


def test_link_column_says_what_the_check_found(editor_client, make_resource):
    link_states(make_resource)
    html = editor_client.get(CHANGELIST).content.decode()
    for text in ["OK", "Broken (404)", "Broken (Timed out)", "Not checked", "No web address"]:
        assert f">{text}</td>" in html, text


def test_changelist_filters_by_topic_and_searches_summaries(
    editor_client, make_resource, make_topic
):
    tupe = make_topic("TUPE")
    match = make_resource(topics=[tupe], summary="Staff transfer rules explained.")
    make_resource(summary="Nothing about that.")
    response = editor_client.get(CHANGELIST, {"topics__id__exact": tupe.pk})
    assert list(response.context["cl"].result_list) == [match]
    response = editor_client.get(CHANGELIST, {"q": "transfer"})
    assert list(response.context["cl"].result_list) == [match]


@pytest.mark.parametrize("rows", [1, 30])
def test_changelist_query_count_is_flat(
    editor_client,
    make_resource,
    make_publisher,
    make_topic,
    make_stage,
    django_assert_num_queries,
    rows,
):
    topics = [make_topic(), make_topic()]
    stage = make_stage()
    for index in range(rows):
        make_resource(
            publisher=make_publisher(f"Publisher {index % 3}"),
            topics=topics,
            stages=[stage],
            external_url="https://example.org/",
        )
    editor_client.get(CHANGELIST)  # warm the session and permission caches
    # session, user, permissions, filters (topics, stages, publishers), count, rows, ...
    with django_assert_num_queries(10):
        response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == rows


def test_topic_admin_counts_published_resources(editor_client, make_topic, make_resource):
    topic = make_topic("Pensions")
    make_resource(topics=[topic])
    make_resource(topics=[topic], status=Status.DRAFT)
    response = editor_client.get(reverse("admin:guides_topic_changelist"))
    assert response.status_code == 200
    row = response.context["cl"].result_list[0]
    assert row.published_resource_count == 1


def test_editor_adds_a_topic_and_a_publisher(editor_client):
    response = editor_client.post(
        reverse("admin:guides_topic_add"),
        {"name": "Procurement", "slug": "procurement", "description": "Buying services."},
    )
    assert response.status_code == 302
    assert Topic.objects.get(slug="procurement").history.count() == 1
    response = editor_client.post(
        reverse("admin:guides_publisher_add"), {"name": "Co-operatives UK", "slug": "co-ops-uk"}
    )
    assert response.status_code == 302
    assert Publisher.objects.filter(slug="co-ops-uk").exists()


def test_publisher_autocomplete_finds_publishers(editor_client, make_publisher):
    make_publisher("Social Enterprise UK")
    make_publisher("Cabinet Office")
    response = editor_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "social",
            "app_label": "guides",
            "model_name": "resource",
            "field_name": "publisher",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Social Enterprise UK"]


def test_publish_action_records_history(editor_client, make_resource):
    draft = make_resource(status=Status.DRAFT, last_reviewed=datetime.date(2026, 1, 1))
    editor_client.post(
        CHANGELIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True
    )
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED
    assert draft.history.count() == 2


def test_editor_opens_a_draft_file_from_the_change_form(editor_client, media):
    data = form_data(status=Status.DRAFT, file=SimpleUploadedFile("plan.pdf", PDF))
    editor_client.post(ADD, data)
    resource = Resource.objects.get()
    file_url = reverse("admin:guides_resource_file", args=[resource.pk])

    html = editor_client.get(change_url(resource)).content.decode()
    assert f'href="{file_url}"' in html
    assert ">plan.pdf</a>" in html

    response = editor_client.get(file_url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"] == 'attachment; filename="business-plan-template.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert editor_client.get(resource.get_download_url()).status_code == 404


def test_only_staff_who_may_see_resources_open_their_files(client, make_staff, make_resource):
    resource = make_resource()
    client.force_login(make_staff("Enquiry handlers", username="outsider"))
    response = client.get(reverse("admin:guides_resource_file", args=[resource.pk]))
    assert response.status_code == 403


def test_deleting_a_resource_removes_its_file(
    editor_client, media, django_capture_on_commit_callbacks
):
    editor_client.post(ADD, form_data(file=SimpleUploadedFile("plan.pdf", PDF)))
    resource = Resource.objects.get()
    delete_url = reverse("admin:guides_resource_delete", args=[resource.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(delete_url, {"post": "yes"})

    assert response.status_code == 302
    assert not Resource.objects.exists()
    assert stored_files(media) == []


def test_deleting_selected_resources_removes_their_files(
    editor_client, media, django_capture_on_commit_callbacks
):
    for slug in ["plan-one", "plan-two"]:
        data = form_data(slug=slug, file=SimpleUploadedFile("plan.pdf", PDF))
        editor_client.post(ADD, data)
    assert len(stored_files(media)) == 2
    ids = list(Resource.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        editor_client.post(
            CHANGELIST, {"action": "delete_selected", "_selected_action": ids, "post": "yes"}
        )

    assert not Resource.objects.exists()
    assert stored_files(media) == []


@pytest.mark.parametrize("rows", [1, 12])
def test_topic_changelist_query_count_is_flat(
    editor_client, make_topic, make_resource, django_assert_num_queries, rows
):
    topics = [make_topic() for _ in range(rows)]
    make_resource(topics=topics)
    editor_client.get(reverse("admin:guides_topic_changelist"))
    with django_assert_num_queries(7):
        response = editor_client.get(reverse("admin:guides_topic_changelist"))
    assert len(response.context["cl"].result_list) == rows
