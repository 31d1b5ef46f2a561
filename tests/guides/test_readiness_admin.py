"""The readiness check in the admin: editing the rules, refusing unusable ones, "Try it", the
counts and who may do what."""

import re

import pytest
from django.urls import reverse

from guides.readiness.models import Option, Question, ReadinessCount
from portal.core.publishing import Status
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

TRY = reverse("admin:guides_question_try")


def change_url(question):
    return reverse("admin:guides_question_change", args=[question.pk])


def option_field(data, option, name):
    """The inline field name of `option`'s `name`, as the change form posts it."""
    for key, value in data.items():
        if key.endswith("-id") and value == str(option.pk):
            return f"{key[: -len('-id')]}-{name}"
    raise AssertionError(f"{option} is not on the form")


def try_it(client, **answers):
    params = {"try": "Try these answers"}
    for slug, labels in answers.items():
        options = Option.objects.filter(question__slug=slug, label__in=labels)
        params[f"q_{slug}"] = [str(o.pk) for o in options]
    return client.get(TRY, params)


def test_an_editor_changes_a_rule_and_try_it_shows_the_new_result(editor_client, shipped):
    answers = {"staff": ["Yes, but their views are mixed"], "core-team": ["Yes"]}
    before = try_it(editor_client, **answers).content.decode()
    assert "<strong>Stage 1, Explore the idea</strong>" in before
    assert "You answered ‘Yes, but their views are mixed’" in before

    # The editor decides mixed views are enough for stage 1: that answer now counts too,
    # and "Yes, and most are in favour" no longer does (radios count one answer).
    question = Question.objects.get(slug="staff")
    url = change_url(question)
    data = admin_form_data(editor_client, url)
    mixed = Option.objects.get(question=question, label="Yes, but their views are mixed")
    favour = Option.objects.get(question=question, label="Yes, and most of them are in favour")
    stage_1 = str(favour.stage_id)
    data[option_field(data, mixed, "stage")] = stage_1
    data[option_field(data, favour, "stage")] = ""
    response = editor_client.post(url, data)
    assert response.status_code == 302, response.context["inline_admin_formsets"][
        0
    ].formset.non_form_errors()

    after = try_it(editor_client, **answers).content.decode()
    assert "You answered ‘Yes, but their views are mixed’" not in after
    assert "You answered nothing to “Do you know who has to approve a spin-out?”" in after
    # History keeps the change, and editors can read it (changing is on the question's page).
    latest, earlier = mixed.history.all()[:2]
    assert (latest.stage_id, earlier.stage_id) == (favour.stage_id, None)
    history = reverse("admin:guides_option_history", args=[mixed.pk])
    assert editor_client.get(history).status_code == 200
    change = reverse("admin:guides_option_change", args=[mixed.pk])
    assert editor_client.post(change, {"label": "Changed"}).status_code == 403
    deleting = editor_client.post(reverse("admin:guides_option_delete", args=[mixed.pk]))
    assert deleting.url == change_url(question)
    assert Option.objects.filter(pk=mixed.pk).exists()
    question_history = reverse("admin:guides_question_history", args=[question.pk])
    assert editor_client.get(question_history).status_code == 200


def test_a_stage_no_answer_reaches_is_refused(editor_client, shipped):
    question = Question.objects.get(slug="incorporated")
    other_stage_4 = Option.objects.filter(stage__number=4).exclude(question=question)
    other_stage_4.update(stage=None)
    url = change_url(question)
    data = admin_form_data(editor_client, url)
    yes = Option.objects.get(question=question, label="Yes")
    data[option_field(data, yes, "stage")] = ""
    response = editor_client.post(url, data)
    assert response.status_code == 200
    assert (
        "No answer to a published question counts toward Stage 4: Set up and spin out, so no "
        "reader could be placed there. Make at least one answer count toward it."
    ) in response.content.decode()
    assert Option.objects.get(pk=yes.pk).stage.number == 4


def test_a_task_that_is_not_published_is_refused(editor_client, shipped):
    question = Question.objects.get(slug="decision")
    yes = Option.objects.get(question=question, label="Yes")
    task = yes.tasks_done.get()
    task.status = Status.DRAFT
    task.save()
    data = admin_form_data(editor_client, change_url(question))
    response = editor_client.post(change_url(question), data)
    assert response.status_code == 200
    assert (
        f"The answer ‘Yes’ points at the task “{task}”, which is not published. "
        "Choose a published task."
    ) in response.content.decode()
    # Try it says so too, for rules saved before the task was unpublished.
    assert "which is not published" in editor_client.get(TRY).content.decode()


def test_unpublishing_the_only_question_of_a_stage_is_refused(editor_client, shipped):
    questions = Question.objects.filter(options__stage__number=4).distinct()
    response = editor_client.post(
        reverse("admin:guides_question_changelist"),
        {"action": "unpublish", "_selected_action": [q.pk for q in questions]},
        follow=True,
    )
    assert "Nothing was changed: No answer to a published question counts toward Stage 4" in (
        response.content.decode()
    )
    assert not Question.objects.filter(status=Status.DRAFT).exists()


def test_a_question_the_rules_need_cannot_be_deleted(editor_client, shipped):
    Option.objects.filter(stage__number=4).exclude(question__slug="incorporated").update(stage=None)
    question = Question.objects.get(slug="incorporated")
    url = reverse("admin:guides_question_delete", args=[question.pk])
    response = editor_client.post(url, {"post": "yes"}, follow=True)
    assert "This question cannot be deleted: No answer to a published question counts toward" in (
        response.content.decode()
    )
    assert Question.objects.filter(pk=question.pk).exists()
    # One the rules can do without can be.
    other = Question.objects.get(slug="core-team")
    url = reverse("admin:guides_question_delete", args=[other.pk])
    assert editor_client.post(url, {"post": "yes"}).status_code == 302
    assert not Question.objects.filter(pk=other.pk).exists()


def test_try_it_can_include_draft_questions(editor_client, shipped):
    draft = Question.objects.create(
        slug="draft", text="A draft question?", status=Status.DRAFT, position=1
    )
    Option.objects.create(question=draft, label="Maybe")
    assert "A draft question? (draft)" not in editor_client.get(TRY).content.decode()
    html = editor_client.get(TRY, {"include_drafts": "on"}).content.decode()
    assert "A draft question? (draft)" in html


def test_try_it_refuses_an_answer_that_is_not_an_option(editor_client, shipped):
    response = editor_client.get(TRY, {"try": "Try these answers", "q_staff": "999999"})
    assert response.status_code == 200
    assert response.context["result"] is None
    assert "Select a valid choice" in response.content.decode()


def test_counts_are_read_only_and_on_the_dashboard(editor_client, shipped):
    from guides.models import Stage

    ReadinessCount.record(Stage.objects.get(number=3))
    ReadinessCount.record(Stage.objects.get(number=3))
    html = editor_client.get(reverse("admin:index")).content.decode()
    assert "2 readers placed at stage 3, Build the business case" in html
    link = re.search(r'<a href="([^"]+)">2 readers placed at stage 3', html)[1]
    listed = editor_client.get(link.replace("&amp;", "&"))
    assert [(r.stage.number, r.count) for r in listed.context["cl"].result_list] == [(3, 2)]
    row = ReadinessCount.objects.get()
    changelist = editor_client.get(reverse("admin:guides_readinesscount_changelist"))
    assert changelist.status_code == 200
    change = editor_client.post(
        reverse("admin:guides_readinesscount_change", args=[row.pk]), {"count": 99}
    )
    assert change.status_code == 403
    row.refresh_from_db()
    assert row.count == 2


def test_the_rules_list_tasks_with_their_stage(editor_client, shipped):
    html = editor_client.get(change_url(Question.objects.get(slug="decision"))).content.decode()
    assert ">Stage 3: Get the formal decision to spin out</option>" in html


@pytest.mark.parametrize("group", ["Enquiry handlers", "Routing managers", "Mutuals Team"])
def test_only_content_editors_edit_the_questions(client, make_staff, shipped, group):
    client.force_login(make_staff(group, username="other"))
    question = Question.objects.first()
    assert client.get(change_url(question)).status_code == 403
    assert client.get(TRY).status_code == 403


def test_a_questions_address_is_fixed_once_it_is_saved(editor_client, shipped):
    """Readers part-way through keep their answers under it, and load_content finds it by it."""
    question = Question.objects.get(slug="staff")
    url = change_url(question)
    data = admin_form_data(editor_client, url)
    assert "slug" not in data

    response = editor_client.post(url, {**data, "slug": "renamed"})

    assert response.status_code == 302
    question.refresh_from_db()
    assert question.slug == "staff"
    adding = editor_client.get(reverse("admin:guides_question_add")).content.decode()
    assert 'name="slug"' in adding
