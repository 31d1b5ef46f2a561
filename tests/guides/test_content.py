from io import StringIO

import pytest
from django.core.management import call_command

from guides.content import STAGES_FILE, load_guide
from guides.models import Stage, Task
from portal.core.content import LoadReport, read_toml
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db

SMALL_GUIDE = """
[[stage]]
number = 1
slug = "explore-the-idea"
title = "Explore the idea"
summary = "Find out whether a mutual could work."
last_reviewed = 2026-11-23
body = "Some text."
end_result = "- a decision"

[[stage.task]]
slug = "form-a-core-team"
title = "Form a core team"
optional = false
relation = ""
body = "Bring people together."

[[stage.task]]
slug = "talk-to-staff"
title = "Talk to staff"
optional = true
relation = "or"
body = "Share the idea."
"""


@pytest.fixture
def small_guide(tmp_path):
    path = tmp_path / "stages.toml"
    path.write_text(SMALL_GUIDE)
    return path


def load(path, reset=False):
    report = LoadReport()
    load_guide(reset=reset, report=report, path=path)
    return report.counts


def test_load_creates_published_stages_and_ordered_tasks(small_guide):
    assert load(small_guide) == {
        "Stages": {"created": 1, "updated": 0, "unchanged": 0},
        "Tasks": {"created": 2, "updated": 0, "unchanged": 0},
    }
    stage = Stage.objects.get(slug="explore-the-idea")
    assert stage.status == Status.PUBLISHED
    assert stage.body == "Some text.\n"
    tasks = list(stage.tasks.order_by("position"))
    assert [task.slug for task in tasks] == ["form-a-core-team", "talk-to-staff"]
    assert tasks[1].optional is True
    assert tasks[1].relation == Task.Relation.OR


def test_load_again_changes_nothing_and_keeps_admin_edits(small_guide):
    load(small_guide)
    Task.objects.filter(slug="talk-to-staff").update(title="Talk to your team")
    Stage.objects.update(summary="Edited in admin.")
    assert load(small_guide) == {
        "Stages": {"created": 0, "updated": 0, "unchanged": 1},
        "Tasks": {"created": 0, "updated": 0, "unchanged": 2},
    }
    assert Task.objects.get(slug="talk-to-staff").title == "Talk to your team"
    assert Stage.objects.get().summary == "Edited in admin."


def test_reset_overwrites_admin_edits(small_guide):
    load(small_guide)
    Task.objects.filter(slug="talk-to-staff").update(title="Talk to your team")
    counts = load(small_guide, reset=True)
    assert counts["Tasks"] == {"created": 0, "updated": 1, "unchanged": 1}
    assert Task.objects.get(slug="talk-to-staff").title == "Talk to staff"


def test_load_keeps_tasks_an_editor_added(small_guide, make_task):
    load(small_guide)
    make_task(Stage.objects.get(), slug="extra-task", title="An extra task")
    load(small_guide, reset=True)
    assert Task.objects.filter(slug="extra-task").exists()


def test_load_keeps_a_stage_whose_slug_an_editor_changed(small_guide):
    load(small_guide)
    Stage.objects.update(slug="explore-your-idea")

    counts = load(small_guide)

    assert counts["Stages"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert Stage.objects.get().slug == "explore-your-idea"
    assert Task.objects.count() == 2


def test_load_content_command_loads_the_shipped_guide(db):
    out = StringIO()
    call_command("load_content", stdout=out)
    assert "Stages: 5 created" in out.getvalue()
    call_command("load_content", stdout=out)
    assert "Stages: 0 created, 0 updated, 5 unchanged" in out.getvalue()


class TestShippedGuide:
    """The guide as shipped: five stages, at least four tasks each, help signposted at each."""

    @pytest.fixture
    def stages(self):
        return read_toml(STAGES_FILE)["stage"]

    def test_has_the_five_stages_in_order(self, stages):
        assert [stage["title"] for stage in stages] == [
            "Explore the idea",
            "Appraise the options",
            "Build the business case",
            "Set up and spin out",
            "Trade and grow",
        ]
        assert [stage["number"] for stage in stages] == [1, 2, 3, 4, 5]

    def test_each_stage_has_at_least_four_tasks_with_unique_slugs(self, stages):
        for stage in stages:
            slugs = [task["slug"] for task in stage["task"]]
            assert len(slugs) >= 4, stage["slug"]
            assert len(set(slugs)) == len(slugs), stage["slug"]

    def test_relations_are_valid_and_never_on_a_first_task(self, stages):
        for stage in stages:
            assert stage["task"][0].get("relation", "") == ""
            for task in stage["task"]:
                assert task.get("relation", "") in Task.Relation.values

    def test_each_stage_signposts_further_support(self, stages):
        for stage in stages:
            assert "(/contact/)" in stage["body"], stage["slug"]

    def test_every_title_is_in_sentence_case(self, stages):
        titles = [stage["title"] for stage in stages]
        titles += [task["title"] for stage in stages for task in stage["task"]]
        for title in titles:
            words = title.split()[1:]
            # Proper nouns and abbreviations keep their capitals.
            lowered = [w for w in words if w[0].isupper() and not w.isupper()]
            assert set(lowered) <= {"Rights", "Provide", "Fair", "Deal"}, title
