import pytest
from django.urls import reverse

from guides.models import Stage, Task
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:guides_stage_changelist")


def change_url(stage):
    return reverse("admin:guides_stage_change", args=[stage.pk])


def stage_form_data(stage, tasks, new_tasks=()):
    """The stage's change form as the admin would post it, tasks inline."""
    data = {
        "number": stage.number,
        "title": stage.title,
        "slug": stage.slug,
        "summary": stage.summary,
        "body": stage.body,
        "end_result": stage.end_result,
        "status": stage.status,
        "last_reviewed": stage.last_reviewed.isoformat(),
        "tasks-TOTAL_FORMS": len(tasks) + len(new_tasks),
        "tasks-INITIAL_FORMS": len(tasks),
        "tasks-MIN_NUM_FORMS": 0,
        "tasks-MAX_NUM_FORMS": 1000,
    }
    rows = [{"id": task.pk, **task_fields(task)} for task in tasks] + list(new_tasks)
    for index, row in enumerate(rows):
        data.update({f"tasks-{index}-{name}": value for name, value in row.items()})
        data[f"tasks-{index}-stage"] = stage.pk
    return data


def task_fields(task):
    return {
        "position": task.position,
        "title": task.title,
        "slug": task.slug,
        "optional": "on" if task.optional else "",
        "relation": task.relation,
        "status": task.status,
        "body": task.body,
    }


@pytest.fixture
def outsider_client(client, make_staff):
    """A staff member who is not a content editor."""
    client.force_login(make_staff("Enquiry handlers", username="outsider"))
    return client


def test_changelist_shows_status_last_reviewed_and_task_count(editor_client, guide, make_task):
    make_task(guide[0], status=Status.DRAFT)
    response = editor_client.get(CHANGELIST)
    assert response.status_code == 200
    html = response.content.decode()
    for heading in ["Status", "Last reviewed", "Tasks", "Preview"]:
        assert f">{heading}</a>" in html or f">{heading}</span>" in html, heading
    assert "3 (2 published)" in html
    assert "Stage 1: Stage title 1" in html


def test_changelist_search_finds_a_stage_by_its_task(editor_client, guide, make_task):
    make_task(guide[2], title="Choose a pension scheme")
    response = editor_client.get(CHANGELIST, {"q": "pension"})
    assert list(response.context["cl"].result_list) == [guide[2]]


@pytest.mark.parametrize("task_count", [5, 50])
def test_changelist_query_count_is_flat(
    editor_client, make_stage, make_task, django_assert_num_queries, task_count
):
    stages = [make_stage() for _ in range(5)]
    for index in range(task_count):
        make_task(stages[index % 5])
    # Session, user, two permission lookups, two counts, then the stages with their task counts.
    with django_assert_num_queries(7):
        response = editor_client.get(CHANGELIST)
    assert response.status_code == 200


def test_editor_can_add_a_task_inline_and_reorder(editor_client, make_stage, make_task):
    stage = make_stage()
    first = make_task(stage, title="First task", slug="first", position=10)
    second = make_task(stage, title="Second task", slug="second", position=20)
    assert editor_client.get(change_url(stage)).status_code == 200

    first.position, second.position = 20, 10
    new_task = {
        "position": 30,
        "title": "A new task",
        "slug": "a-new-task",
        "optional": "on",
        "relation": "or",
        "status": Status.PUBLISHED,
        "body": "Do this.",
    }
    response = editor_client.post(
        change_url(stage), stage_form_data(stage, [first, second], [new_task])
    )
    assert response.status_code == 302, response.context["errors"]

    ordered = list(stage.tasks.order_by("position").values_list("title", flat=True))
    assert ordered == ["Second task", "First task", "A new task"]
    html = editor_client.get(stage.get_absolute_url()).content.decode()
    assert html.index("Second task") < html.index("First task") < html.index("A new task")


def test_a_task_slug_must_be_unique_within_its_stage(editor_client, make_stage, make_task):
    stage = make_stage()
    task = make_task(stage, slug="taken")
    clash = {**task_fields(task), "position": 50, "title": "Another"}
    response = editor_client.post(change_url(stage), stage_form_data(stage, [task], [clash]))
    assert response.status_code == 200
    assert Task.objects.count() == 1


def test_editor_change_shows_up_live(editor_client, guide):
    stage = guide[0]
    tasks = list(stage.tasks.order_by("position"))
    tasks[0].title = "Talk to your trade union"
    response = editor_client.post(change_url(stage), stage_form_data(stage, tasks))
    assert response.status_code == 302
    html = editor_client.get(stage.get_absolute_url()).content.decode()
    assert "Talk to your trade union" in html


@pytest.mark.parametrize(
    "url",
    [
        CHANGELIST,
        reverse("admin:guides_stage_add"),
        reverse("admin:guides_task_changelist"),
        reverse("admin:guides_task_add"),
    ],
)
def test_staff_outside_content_editors_cannot_edit_the_guide(outsider_client, guide, url):
    assert outsider_client.get(url).status_code == 403


def test_staff_outside_content_editors_cannot_change_or_preview_a_stage(outsider_client, guide):
    stage = guide[0]
    assert outsider_client.get(change_url(stage)).status_code == 403
    preview = reverse("admin:guides_stage_preview", args=[stage.pk])
    assert outsider_client.get(preview).status_code == 403
    data = stage_form_data(stage, [])
    data["title"] = "Hijacked"
    assert outsider_client.post(change_url(stage), data).status_code == 403
    stage.refresh_from_db()
    assert stage.title != "Hijacked"


def test_the_public_is_sent_to_the_admin_login(client, guide):
    response = client.get(CHANGELIST)
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


def test_history_records_an_edit_and_revert_restores_it(editor_client, make_stage):
    stage = make_stage(title="Explore the idea")
    tasks = []
    data = stage_form_data(stage, tasks)
    editor_client.post(change_url(stage), {**data, "title": "Explore your idea"})
    stage.refresh_from_db()
    assert stage.title == "Explore your idea"

    history = reverse("admin:guides_stage_history", args=[stage.pk])
    html = editor_client.get(history).content.decode()
    assert "Explore the idea" in html and "Explore your idea" in html
    assert stage.history.count() == 2
    assert stage.history.first().history_user.username == "editor"

    original = stage.history.earliest()
    revert_url = reverse("admin:guides_stage_simple_history", args=[stage.pk, original.history_id])
    assert "Revert" in editor_client.get(revert_url).content.decode()
    response = editor_client.post(revert_url, {**data, "title": original.title})
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.title == "Explore the idea"
    assert stage.history.count() == 3


def test_task_history_is_kept(editor_client, make_task):
    task = make_task(title="Form a core team")
    url = reverse("admin:guides_task_change", args=[task.pk])
    data = {"stage": task.stage.pk, **task_fields(task), "title": "Form a project team"}
    assert editor_client.post(url, data).status_code == 302
    assert list(task.history.values_list("title", flat=True)) == [
        "Form a project team",
        "Form a core team",
    ]


def test_preview_shows_a_draft_stage_as_the_public_would_see_it(
    editor_client, guide, make_stage, make_task
):
    draft = make_stage(title="Trade and grow", status=Status.DRAFT)
    make_task(draft, title="Find a mentor")
    make_task(draft, title="An unfinished task", status=Status.DRAFT)
    assert editor_client.get(draft.get_absolute_url()).status_code == 404

    response = editor_client.get(reverse("admin:guides_stage_preview", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is a preview." in html
    assert '<h1 class="govuk-heading-xl">Trade and grow</h1>' in html
    assert "Find a mentor" in html
    assert "An unfinished task" not in html
    assert "Mark as done" not in html
    assert response.context["pagination"]["previous"]["href"] == guide[-1].get_absolute_url()


def test_change_form_links_to_the_preview(editor_client, guide):
    html = editor_client.get(change_url(guide[0])).content.decode()
    assert reverse("admin:guides_stage_preview", args=[guide[0].pk]) in html


def test_an_editor_can_add_a_stage(editor_client, db):
    data = {
        "number": 1,
        "title": "Explore the idea",
        "slug": "explore-the-idea",
        "summary": "Find out whether a mutual could work.",
        "body": "",
        "end_result": "",
        "status": Status.DRAFT,
        "last_reviewed": "2026-11-23",
        "tasks-TOTAL_FORMS": 0,
        "tasks-INITIAL_FORMS": 0,
        "tasks-MIN_NUM_FORMS": 0,
        "tasks-MAX_NUM_FORMS": 1000,
    }
    response = editor_client.post(reverse("admin:guides_stage_add"), data)
    assert response.status_code == 302
    assert Stage.objects.get().title == "Explore the idea"


def test_stage_number_must_be_from_one_to_five(editor_client, make_stage):
    stage = make_stage()
    data = {**stage_form_data(stage, []), "number": 6}
    response = editor_client.post(change_url(stage), data)
    assert response.status_code == 200
    assert "number" in response.context["adminform"].form.errors
