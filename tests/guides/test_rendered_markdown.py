"""Guide content stores its rendered Markdown for each place it is shown."""

from importlib import import_module

import pytest
from django.apps import apps

from guides.models import Stage, Task
from portal.models import Page


def test_task_bodies_are_stored_for_the_stage_page_and_the_printable_guide(make_task):
    task = make_task(slug="form-a-team", body="## Who to ask")

    assert 'id="section-task-form-a-team-who-to-ask"' in task.rendered["body"]
    assert task.rendered["body"].startswith("<h4")
    assert (
        f'id="section-stage-{task.stage_id}-task-form-a-team-who-to-ask"'
        in task.rendered["print_body"]
    )
    assert task.rendered["print_body"].startswith("<h5")


def test_renaming_a_stage_renders_its_print_ids_again(make_stage):
    stage = make_stage(slug="old", body="## Money")
    stage.slug = "new"
    stage.save()

    assert 'id="section-new-money"' in stage.rendered["print_body"]


@pytest.mark.parametrize(
    ("module", "function"),
    [
        ("portal.migrations.0003_rendered_markdown", "render_existing_pages"),
        ("guides.migrations.0004_rendered_markdown", "render_existing_content"),
    ],
)
def test_migrations_fill_the_html_of_existing_rows(make_page, make_task, module, function):
    make_page(body="## Old page")
    make_task(body="## Old task")
    Page.objects.update(rendered={})
    Stage.objects.update(rendered={})
    Task.objects.update(rendered={})

    getattr(import_module(module), function)(apps, None)

    if module.startswith("portal"):
        assert "Old page</h2>" in Page.objects.get().rendered["body"]
    else:
        assert "Old task</h4>" in Task.objects.get().rendered["body"]
        assert Stage.objects.get().rendered["body"].startswith("<h2")
