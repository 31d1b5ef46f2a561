"""Data migrations render stored HTML as the code of their day did, whatever it is now.

Rows saved before rendering moved to save time get their HTML from portal 0003 and guides 0004;
later migrations then give every heading id the 'section-' prefix. Rendered with today's code,
the first step would already add the prefix and the second would add it again.
"""

import ast
import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from portal.core.markdown import render_markdown
from tests.migrating import migrate

BEFORE_RENDERING = [("portal", "0002_publishable"), ("guides", "0003_resource_library")]
BODY = "## Money\n\nSome text.\n\n### Pensions\n\nMore text."
APPS = ["portal", "guides", "casestudies", "enquiries"]


def latest():
    return MigrationLoader(connection).graph.leaf_nodes()


def rendered_as_saving_does(row):
    return {
        name: render_markdown(getattr(row, field), demote, id_prefix)
        for name, (field, demote, id_prefix) in row.markdown_renderings().items()
    }


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_rows_from_before_rendering_end_with_the_html_saving_gives_them():
    old = migrate(BEFORE_RENDERING)
    reviewed = datetime.date(2026, 11, 1)
    page = old.get_model("portal", "Page").objects.create(
        title="About", slug="about", body=BODY, status="published", last_reviewed=reviewed
    )
    stage = old.get_model("guides", "Stage").objects.create(
        number=1, title="Explore the idea", slug="explore-the-idea", summary="First.",
        body=BODY, end_result=BODY, status="published", last_reviewed=reviewed,
    )  # fmt: skip
    task = old.get_model("guides", "Task").objects.create(
        stage=stage, title="Form a team", slug="form-a-team", body=BODY, position=10,
        status="published",
    )  # fmt: skip
    resource = old.get_model("guides", "Resource").objects.create(
        title="A letter", slug="a-letter", summary="A letter.", body=BODY,
        resource_type="guide", status="published", last_reviewed=reviewed,
    )  # fmt: skip

    migrate(latest())

    from guides.models import Resource, Stage, Task
    from portal.models import Page

    for model, pk in [(Page, page.pk), (Stage, stage.pk), (Task, task.pk), (Resource, resource.pk)]:
        row = model.objects.get(pk=pk)
        assert row.rendered == rendered_as_saving_does(row), model
        for html in row.rendered.values():
            assert 'id="section-' in html
            assert "section-section-" not in html


def test_no_migration_imports_the_sites_rendering_or_models():
    for app in APPS:
        for path in sorted(Path(settings.BASE_DIR, app, "migrations").glob("0*.py")):
            tree = ast.parse(path.read_text())
            modules = {
                node.module if isinstance(node, ast.ImportFrom) else alias.name
                for node in ast.walk(tree)
                if isinstance(node, ast.Import | ast.ImportFrom)
                for alias in node.names
            }
            assert not [m for m in modules if m and m.split(".")[0] == "portal"], path
