import datetime
import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from guides.models import Task
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db


def test_overview_lists_each_stage_with_its_tasks_as_a_step_by_step(client, guide, make_page):
    make_page(slug="how-to-set-up-a-mutual", title="How to set up a mutual", body="Intro text.")
    response = client.get(reverse("guides:overview"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-module="app-step-nav"' in html
    assert "Intro text." in html
    for stage in guide:
        assert stage.title in html
        assert stage.get_absolute_url() in html
        for task in stage.tasks.all():
            assert f'href="{task.get_absolute_url()}"' in html
    assert '<span class="app-step-nav__relation">or</span>' in html
    assert "You may need to" in html
    assert "0 of 6 tasks done" in html
    assert "js/step-by-step.mjs" in html
    assert "build/site.css" in html  # the guide's styles are in the one stylesheet


def test_overview_without_stages_still_offers_help(client, db):
    response = client.get(reverse("guides:overview"))
    assert response.status_code == 200
    assert "Contact the Mutuals Team" in response.content.decode()


def test_stage_page_shows_summary_body_tasks_end_result_and_breadcrumbs(client, guide):
    stage = guide[1]
    task = stage.tasks.first()
    response = client.get(stage.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<h1 class="govuk-heading-xl">{stage.title}</h1>' in html
    assert stage.summary in html
    assert "What to think about" in html
    assert f'id="{task.anchor}"' in html
    assert "At the end of this stage" in html
    assert "Last reviewed" in html
    assert response.context["breadcrumbs"][-1] == {
        "text": "How to set up a mutual",
        "href": reverse("guides:overview"),
    }
    assert "Part of" in html
    assert "You are viewing this stage" in html
    assert 'class="app-step-nav__step app-step-nav__step--current"' in html
    assert "Get help with this stage" in html


def test_stage_page_says_whether_each_task_is_a_must(client, make_stage, make_task):
    stage = make_stage()
    make_task(stage, title="Write a business plan")
    make_task(stage, title="Find a mentor", optional=True, relation=Task.Relation.AND)
    html = client.get(stage.get_absolute_url()).content.decode()
    assert re.search(r"You must</span>\s+Write a business plan", html)
    assert re.search(r"You may need to</span>\s+Find a mentor", html)
    assert '<p class="app-task__relation">and</p>' in html


def test_previous_and_next_links_stop_at_the_ends(client, guide):
    first, middle, last = guide
    first_page = client.get(first.get_absolute_url())
    assert first_page.context["pagination"] == {
        "previous": None,
        "next": {
            "href": middle.get_absolute_url(),
            "title": "Next stage",
            "label": f"Stage 2: {middle.title}",
        },
    }
    assert 'rel="prev"' not in first_page.content.decode()
    assert 'rel="next"' in first_page.content.decode()

    middle_page = client.get(middle.get_absolute_url()).content.decode()
    assert 'rel="prev"' in middle_page
    assert 'rel="next"' in middle_page

    last_page = client.get(last.get_absolute_url())
    assert last_page.context["pagination"]["next"] is None
    assert last_page.context["pagination"]["previous"]["href"] == middle.get_absolute_url()
    assert 'rel="next"' not in last_page.content.decode()


def test_previous_and_next_skip_an_unpublished_stage(client, guide):
    first, middle, last = guide
    middle.status = Status.DRAFT
    middle.save()
    response = client.get(first.get_absolute_url())
    assert response.context["pagination"]["next"]["href"] == last.get_absolute_url()


def test_print_page_has_the_intro_and_every_stage_and_task(client, guide, make_page):
    make_page(slug="how-to-set-up-a-mutual", body="The stages are not a strict sequence.")
    response = client.get(reverse("guides:print"))
    assert response.status_code == 200
    html = response.content.decode()
    for stage in guide:
        assert f'id="{stage.slug}-heading"' in html
        for task in stage.tasks.all():
            assert task.title in html
    assert "build/site.css" in html  # the guide's styles are in the one stylesheet
    assert '<meta name="robots" content="noindex">' in html
    assert "The stages are not a strict sequence." in html
    assert "/contact/ is http://testserver/contact/" in html
    # Headings in a stage's text sit below the stage's own heading.
    for stage in guide:
        heading = f'<h3 id="section-{stage.slug}-what-to-think-about" class="govuk-heading-m">'
        assert heading in html


def test_print_stylesheet_hides_navigation_shows_links_and_breaks_pages(client):
    css = Path(finders.find("css/guides.css")).read_text()
    print_rules = css[css.index("@media print") :]
    assert ".app-part-of" in print_rules
    assert "break-before: page" in print_rules
    assert 'content: " (" attr(href) ")"' in print_rules


class TestUnpublishedContent:
    def test_draft_stage_is_a_404_and_left_out_everywhere(self, client, guide):
        draft = guide[0]
        draft.status = Status.DRAFT
        draft.save()
        assert client.get(draft.get_absolute_url()).status_code == 404
        for url in [
            reverse("guides:overview"),
            reverse("guides:print"),
            guide[1].get_absolute_url(),
        ]:
            html = client.get(url).content.decode()
            assert draft.title not in html, url
            assert draft.get_absolute_url() not in html, url
        sitemap = client.get(reverse("sitemap")).content.decode()
        assert draft.get_absolute_url() not in sitemap

    def test_draft_task_is_left_out_everywhere(self, client, make_stage, make_task):
        stage = make_stage()
        make_task(stage, title="A published task")
        make_task(stage, title="A draft task", status=Status.DRAFT)
        for url in [stage.get_absolute_url(), reverse("guides:overview"), reverse("guides:print")]:
            html = client.get(url).content.decode()
            assert "A published task" in html
            assert "A draft task" not in html
        assert "0 of 1 task done" in client.get(reverse("guides:overview")).content.decode()

    def test_unknown_stage_is_a_404(self, client, db):
        url = reverse("guides:stage-detail", kwargs={"slug": "no-such-stage"})
        assert client.get(url).status_code == 404


def test_sitemap_lists_the_overview_and_published_stages_with_lastmod(client, guide):
    guide[2].last_reviewed = datetime.date(2026, 12, 1)
    guide[2].save()
    xml = client.get(reverse("sitemap")).content.decode()
    assert f"http://testserver{reverse('guides:overview')}</loc><lastmod>2026-12-01" in xml
    for stage in guide:
        assert f"http://testserver{stage.get_absolute_url()}</loc><lastmod>" in xml
    assert f"{guide[0].get_absolute_url()}</loc><lastmod>2026-11-23" in xml
    assert reverse("guides:print") not in xml


def make_tasks(make_stage, make_task, count):
    stages = [make_stage() for _ in range(5)]
    for index in range(count):
        make_task(stages[index % 5])
    return stages


@pytest.mark.parametrize("task_count", [5, 50])
class TestQueryCounts:
    """Each guide page costs the same number of queries however many tasks there are."""

    def test_overview(self, client, make_stage, make_task, django_assert_num_queries, task_count):
        make_tasks(make_stage, make_task, task_count)
        # Stages, their tasks and the intro page.
        with django_assert_num_queries(3):
            response = client.get(reverse("guides:overview"))
        assert response.context["tasks_total"] == task_count

    def test_stage(self, client, make_stage, make_task, django_assert_num_queries, task_count):
        stages = make_tasks(make_stage, make_task, task_count)
        # Stages, their tasks, the stage's resources, its case studies, who can help and the
        # change notes of the stage and its tasks.
        with django_assert_num_queries(6):
            response = client.get(stages[2].get_absolute_url())
        assert response.context["tasks_total"] == task_count

    def test_print(self, client, make_stage, make_task, django_assert_num_queries, task_count):
        make_tasks(make_stage, make_task, task_count)
        with django_assert_num_queries(3):
            client.get(reverse("guides:print"))

    def test_stage_with_progress(
        self, client, make_stage, make_task, django_assert_num_queries, task_count
    ):
        stages = make_tasks(make_stage, make_task, task_count)
        for task in Task.objects.all()[:3]:
            client.post(reverse("guides:progress"), {"task": task.pk, "done": "yes"})
        # Adds the session, read once.
        with django_assert_num_queries(7):
            response = client.get(stages[0].get_absolute_url())
        assert response.context["tasks_done"] == 3
