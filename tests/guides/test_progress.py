import pytest
from django.test import Client
from django.urls import reverse

from guides.progress import SESSION_KEY
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db

PROGRESS_URL = reverse("guides:progress")
NOT_FOUND = (
    "We could not find that task in the guide. "
    "It may have been changed or removed, so your progress has not been updated."
)


def mark(client, task, done="yes", **kwargs):
    return client.post(PROGRESS_URL, {"task": task.pk, "done": done}, **kwargs)


def messages_text(response):
    return [str(message) for message in response.context["messages"]]


def test_marking_a_task_done_redirects_back_to_the_task(client, guide):
    task = guide[1].tasks.first()
    response = mark(client, task)
    assert response.status_code == 302
    assert response.url == f"{guide[1].get_absolute_url()}#{task.anchor}"
    assert client.session[SESSION_KEY] == [task.pk]


def test_done_tasks_are_counted_on_the_overview_and_the_stage(client, guide):
    for task in [*guide[0].tasks.all(), guide[1].tasks.first()]:
        mark(client, task)
    overview = client.get(reverse("guides:overview")).content.decode()
    assert "3 of 6 tasks done" in overview
    assert "2 of 2 tasks done" in overview
    stage = client.get(guide[0].get_absolute_url()).content.decode()
    assert "3 of 6 tasks done</strong> in the guide, 2 of 2 in this stage" in stage
    assert stage.count("Mark as not done") == 2


def test_marking_a_task_not_done_undoes_it(client, guide):
    task = guide[0].tasks.first()
    mark(client, task)
    mark(client, task, done="no")
    assert client.session[SESSION_KEY] == []
    html = client.get(guide[0].get_absolute_url()).content.decode()
    assert "Mark as not done" not in html


def test_the_form_works_without_javascript(client, guide):
    """A plain HTML form: the task and the new state travel as hidden fields."""
    task = guide[0].tasks.first()
    html = client.get(guide[0].get_absolute_url()).content.decode()
    assert f'<form method="post" action="{PROGRESS_URL}"' in html
    # No per-visitor token, so the page can be cached; the browser's origin headers guard it.
    assert 'name="csrfmiddlewaretoken"' not in html
    assert f'<input type="hidden" name="task" value="{task.pk}">' in html
    assert '<input type="hidden" name="done" value="yes">' in html

    response = mark(client, task, follow=True)
    assert response.redirect_chain == [(f"{task.get_absolute_url()}", 302)]
    assert "Mark as not done" in response.content.decode()


def test_progress_refuses_a_post_from_another_site(guide):
    client = Client(enforce_csrf_checks=True, headers={"Sec-Fetch-Site": "cross-site"})
    response = mark(client, guide[0].tasks.first())
    assert response.status_code == 403


def test_progress_only_accepts_post(client, db):
    assert client.get(PROGRESS_URL).status_code == 405
    assert client.get(reverse("guides:progress-reset")).status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"task": "999999", "done": "yes"}, NOT_FOUND),
        ({"task": "not-a-number", "done": "yes"}, NOT_FOUND),
        ({"task": "99999999999999999999999999", "done": "yes"}, NOT_FOUND),
        ({"task": "-1", "done": "yes"}, NOT_FOUND),
        ({"task": "", "done": "yes"}, "Choose a task to mark as done"),
        ({}, "Choose a task to mark as done"),
        ({"task": "1.5", "done": "yes"}, NOT_FOUND),
        ({"task": "<script>alert(1)</script>", "done": "yes"}, NOT_FOUND),
    ],
)
def test_bad_input_gets_a_clear_message_not_an_error(client, guide, data, message):
    response = client.post(PROGRESS_URL, data, follow=True)
    assert response.status_code == 200
    assert response.redirect_chain == [(reverse("guides:overview"), 302)]
    assert messages_text(response) == [message]
    assert SESSION_KEY not in client.session


def test_unknown_task_message_is_shown_as_an_error_summary(client, guide):
    response = client.post(PROGRESS_URL, {"task": "999999", "done": "yes"}, follow=True)
    html = response.content.decode()
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert "There is a problem" in html
    assert "<title>Error: How to set up a mutual – Mutuals Information Service</title>" in html
    assert "We could not find that task in the guide." in html


@pytest.mark.parametrize("done", ["maybe", "", "1"])
def test_an_unknown_state_is_refused(client, guide, done):
    response = client.post(PROGRESS_URL, {"task": guide[0].tasks.first().pk, "done": done})
    assert response.status_code == 302
    assert response.url == reverse("guides:overview")
    assert SESSION_KEY not in client.session


def test_a_task_in_an_unpublished_stage_cannot_be_marked(client, guide):
    task = guide[0].tasks.first()
    guide[0].status = Status.DRAFT
    guide[0].save()
    response = mark(client, task, follow=True)
    assert messages_text(response) == [NOT_FOUND]
    assert SESSION_KEY not in client.session


def test_a_draft_task_cannot_be_marked(client, make_task):
    task = make_task(status=Status.DRAFT)
    response = mark(client, task, follow=True)
    assert messages_text(response) == [NOT_FOUND]


def test_reset_clears_progress(client, guide):
    for task in guide[0].tasks.all():
        mark(client, task)
    overview = client.get(reverse("guides:overview")).content.decode()
    assert "Reset your progress" in overview

    response = client.post(reverse("guides:progress-reset"), follow=True)
    assert response.redirect_chain == [(reverse("guides:overview"), 302)]
    assert messages_text(response) == ["Your progress has been reset. No tasks are marked as done."]
    assert "0 of 6 tasks done" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_reset_needs_a_csrf_token(guide):
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("guides:progress-reset")).status_code == 403


def test_a_task_removed_after_being_marked_no_longer_counts(client, guide):
    task = guide[0].tasks.first()
    mark(client, task)
    task.delete()
    assert "0 of 5 tasks done" in client.get(reverse("guides:overview")).content.decode()


def test_unexpected_values_in_the_session_are_ignored(client, guide):
    session = client.session
    session[SESSION_KEY] = ["rubbish", None, guide[0].tasks.first().pk]
    session.save()
    assert "1 of 6 tasks done" in client.get(reverse("guides:overview")).content.decode()


def test_the_site_sets_only_the_cookies_the_cookies_page_lists(client, guide):
    stage = guide[0]
    task = stage.tasks.first()
    client.get(reverse("portal:home"))
    client.get(stage.get_absolute_url())
    client.post(PROGRESS_URL, {"task": task.pk, "done": "yes"}, follow=True)
    client.post(PROGRESS_URL, {"task": "garbage"}, follow=True)
    client.post(reverse("guides:progress-reset"), follow=True)

    assert set(client.cookies) <= {"csrftoken", "sessionid"}
