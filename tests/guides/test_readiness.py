"""The readiness check: the question pages, the placing rule, the admin's rules and "Try it",
the shipped questions, the monthly counts and the contact form's prefill."""

import datetime
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from enquiries.views import PREFILL_KEY, prefill_initial
from guides.models import Stage, Task
from guides.progress import GuideProgress
from guides.readiness.models import Option, Question, ReadinessCount
from guides.readiness.rules import RuleSet, rule_problems, score
from guides.readiness.views import ANSWERS_KEY, COMPLETE_KEY
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db

START = reverse("guides:readiness-start")
CHECK = reverse("guides:readiness-check")
RESULT = reverse("guides:readiness-result")
START_AGAIN = reverse("guides:readiness-start-again")
CHECKLIST = reverse("guides:readiness-checklist")
ASK = reverse("guides:readiness-ask")

# Answers to the shipped questions that place a reader at stage 3.
AT_STAGE_3 = {
    "staff": ["Yes, and most of them are in favour"],
    "core-team": ["Yes"],
    "approval": ["Yes"],
    "commissioners": ["Yes, they support it"],
    "options-appraisal": ["Yes"],
    "legal-form": ["Yes"],
    "business-plan": ["Not yet"],
    "advice": ["None of these yet"],
    "decision": ["Not yet"],
    "contract-route": ["Not yet"],
    "staff-transfer": ["Not yet"],
    "incorporated": ["Not yet"],
}
STAGE_3_NEXT_TASKS = [
    "Write a business plan",
    "Prepare financial forecasts",
    "Plan your working capital",
    "Plan for staff pensions",
    "Find out how TUPE affects your staff",
]
STAGE_3_PARTNERS = [
    "Cabinet Office Mutuals Team",
    "Employee Ownership Association",
    "Mutual Ventures",
]


def question_url(slug, change=False):
    url = reverse("guides:readiness-question", kwargs={"slug": slug})
    return f"{url}?change=1" if change else url


def option_ids(slug, labels):
    return [str(Option.objects.get(question__slug=slug, label=label).pk) for label in labels]


def answer(client, slug, labels, change=False):
    return client.post(question_url(slug, change), {"answer": option_ids(slug, labels)})


def answer_all(client, answers=AT_STAGE_3):
    for slug, labels in answers.items():
        response = answer(client, slug, labels)
        assert response.status_code == 302, response.content.decode()
    return response


def finish(client, answers=AT_STAGE_3):
    answer_all(client, answers)
    return client.post(CHECK)


def list_items(html, heading_id):
    """The link texts of the list labelled by `heading_id`, in order."""
    start = html.index(f'aria-labelledby="{heading_id}"')
    block = html[start : re.compile(r"</[ou]l>").search(html, start).start()]
    return re.findall(r'<a class="govuk-link" href="[^"]*">([^<]*)</a>', block)


# Factories for rule sets of our own ------------------------------------------------------------


def make_question(slug, options, kind=Question.Kind.RADIOS, status=Status.PUBLISHED, **fields):
    """A question with options given as (label, stage, tasks_done, tasks_recommended, topics)."""
    position = Question.objects.count() * 10 + 10
    question = Question.objects.create(
        slug=slug, text=f"Question {slug}?", kind=kind, status=status, position=position, **fields
    )
    for index, (label, stage, done, recommended, topics) in enumerate(options):
        option = Option.objects.create(
            question=question, label=label, stage=stage, position=index * 10
        )
        option.tasks_done.set(done)
        option.tasks_recommended.set(recommended)
        option.topics.set(topics)
    return question


@pytest.fixture
def three_stages(make_stage, make_task, make_partner, make_topic):
    """Three stages of three tasks, a partner each, and a yes/no question for stages 1 and 2."""
    stages = [make_stage() for _ in range(3)]
    tasks = [[make_task(stage) for _ in range(3)] for stage in stages]
    for stage in stages:
        make_partner(f"Helps at {stage.number}", stages=[stage])
    topic = make_topic("Money")
    make_question(
        "one",
        [
            ("Yes", stages[0], [tasks[0][0]], [], []),
            ("No", None, [], [tasks[0][2]], [topic]),
        ],
    )
    make_question(
        "two",
        [
            ("Yes", stages[1], [tasks[1][0]], [], []),
            ("No", None, [], [tasks[1][2]], []),
        ],
    )
    return stages, tasks, topic


def ids(answers):
    return {
        slug: [Option.objects.get(question__slug=slug, label=label).pk for label in labels]
        for slug, labels in answers.items()
    }


# The placing rule ------------------------------------------------------------------------------


def test_the_reader_is_at_the_earliest_stage_with_a_milestone_not_met(three_stages):
    stages, tasks, topic = three_stages
    result = score(RuleSet.load(), ids({"one": ["Yes"], "two": ["No"]}))
    assert result.stage == stages[1]
    assert result.reasons == ["You answered ‘No’ to “Question two?”"]
    assert result.stages_met == [stages[0]]
    # The recommended task first, then the rest of the stage; shown in the guide's order.
    assert [t.pk for t in result.next_tasks] == [t.pk for t in tasks[1]]
    assert result.done_tasks == [tasks[0][0]]
    assert [p.name for p in result.partners] == ["Helps at 2"]
    assert result.topics == []


def test_an_unmet_earlier_milestone_decides_whatever_comes_later(three_stages):
    stages, tasks, topic = three_stages
    result = score(RuleSet.load(), ids({"one": ["No"], "two": ["Yes"]}))
    assert result.stage == stages[0]
    assert result.topics == [topic]
    assert result.done_tasks == [tasks[1][0]]


def test_meeting_every_milestone_places_the_reader_at_the_last_stage(three_stages):
    stages, tasks, _topic = three_stages
    result = score(RuleSet.load(), ids({"one": ["Yes"], "two": ["Yes"]}))
    assert result.stage == stages[2]
    assert result.reasons == ["Your answers meet every milestone of the earlier stages"]
    assert result.stages_met == stages[:2]


def test_few_tasks_left_are_topped_up_from_the_next_stage(three_stages):
    stages, tasks, _topic = three_stages
    Task.objects.filter(pk__in=[tasks[0][1].pk, tasks[0][2].pk]).update(status=Status.DRAFT)
    result = score(RuleSet.load(), ids({"one": ["No"], "two": ["No"]}))
    assert result.stage == stages[0]
    # Stage 1 has one published task left, so two of stage 2's come after it: the one the
    # answers recommend, then the first; all in the guide's order.
    assert [t.pk for t in result.next_tasks] == [tasks[0][0].pk, tasks[1][0].pk, tasks[1][2].pk]


def test_an_unpublished_task_is_never_listed(three_stages):
    stages, tasks, _topic = three_stages
    Task.objects.filter(pk=tasks[0][0].pk).update(status=Status.DRAFT)
    result = score(RuleSet.load(), ids({"one": ["Yes"], "two": ["No"]}))
    assert result.done_tasks == []


def test_checkbox_milestones_each_count(make_stage, make_task):
    first, second = make_stage(), make_stage()
    make_question(
        "advice",
        [("Legal", first, [], [], []), ("Pensions", first, [], [], []), ("None", None, [], [], [])],
        kind=Question.Kind.CHECKBOXES,
    )
    rules = RuleSet.load()
    assert score(rules, ids({"advice": ["Legal"]})).reasons == [
        "To “Question advice?” you did not choose ‘Pensions’"
    ]
    assert score(rules, ids({"advice": ["None"]})).reasons == [
        "To “Question advice?” you did not choose ‘Legal’ or ‘Pensions’"
    ]
    assert score(rules, ids({"advice": ["Legal", "Pensions"]})).stage == second


# Rules an editor may not save ------------------------------------------------------------------


def pairs():
    found = []
    for question in Question.objects.prefetch_related("options"):
        options = list(question.options.all())
        for option in options:
            option._rule_tasks = [*option.tasks_done.all(), *option.tasks_recommended.all()]
        found.append((question, options))
    return found


def test_the_shipped_kind_of_rules_have_no_problems(three_stages):
    assert rule_problems(pairs(), list(Stage.objects.all())) == []


def test_a_stage_no_answer_reaches_is_a_problem(three_stages):
    stages, _tasks, _topic = three_stages
    Option.objects.filter(stage=stages[1]).update(stage=None)
    assert rule_problems(pairs(), list(Stage.objects.all())) == [
        f"No answer to a published question counts toward {stages[1]}, so no reader could be "
        "placed there. Make at least one answer count toward it."
    ]


def test_an_unpublished_task_and_two_milestones_in_radios_are_problems(three_stages):
    stages, tasks, _topic = three_stages
    Task.objects.filter(pk=tasks[0][0].pk).update(status=Status.DRAFT)
    Option.objects.filter(question__slug="two", label="No").update(stage=stages[1])
    assert rule_problems(pairs(), list(Stage.objects.all())) == [
        f"The answer ‘Yes’ points at the task “{tasks[0][0]}”, which is not published. "
        "Choose a published task.",
        "“Question two?” has radios, so a reader chooses only one answer: only one of its "
        "answers can count toward a stage.",
    ]


# The monthly counts ----------------------------------------------------------------------------


def test_counts_add_up_per_month_and_stage(make_stage):
    stage = make_stage()
    november, december = datetime.date(2026, 11, 30), datetime.date(2026, 12, 1)
    ReadinessCount.record(stage, november)
    ReadinessCount.record(stage, november)
    ReadinessCount.record(stage, december)
    assert list(ReadinessCount.objects.order_by("month").values_list("month", "count")) == [
        (datetime.date(2026, 11, 1), 2),
        (datetime.date(2026, 12, 1), 1),
    ]


# The contact form's prefill --------------------------------------------------------------------


def test_the_prefill_keeps_only_what_the_form_can_take(client, settings):
    settings.ENQUIRY_MESSAGE_MAX_CHARACTERS = 10
    session = {PREFILL_KEY: {"stage": ["x"], "topics": ["legal", 3, None], "message": "a" * 50}}
    assert prefill_initial(session) == {"topics": ["legal"], "message": "a" * 10}
    assert prefill_initial({PREFILL_KEY: "nonsense"}) == {}


# The pages, with the shipped questions ---------------------------------------------------------


def test_the_start_page_is_shared_and_links_to_the_first_question(client, shipped):
    response = client.get(START)
    html = response.content.decode()
    assert response.status_code == 200
    assert "private" not in response.get("Cache-Control", "")
    assert not response.cookies
    assert f'href="{question_url("staff")}"' in html
    assert "There are 12 questions" in html
    assert html.count("<h1") == 1


def test_the_start_page_is_shared_from_the_page_cache(
    page_cache, shipped, django_assert_num_queries
):
    Client().get(START)
    with django_assert_num_queries(0):
        second = Client().get(START)
    assert second["Cache-Control"] == "public, max-age=0, must-revalidate"
    assert second.has_header("ETag")


def test_pages_with_answers_are_never_shared(page_cache, shipped):
    reader = Client()
    answer_all(reader)
    for url in (question_url("staff"), CHECK):
        response = reader.get(url)
        assert response["Cache-Control"] == "private, no-store", url
        assert not response.has_header("ETag"), url
    assert 'checked="checked"' in reader.get(question_url("staff")).content.decode()
    assert 'checked="checked"' not in Client().get(question_url("staff")).content.decode()
    assert Client().get(CHECK).status_code == 302


def test_the_start_page_is_linked_from_the_home_page_the_guide_and_each_stage(client, shipped):
    pages = [reverse("portal:home"), reverse("guides:overview")] + [
        stage.get_absolute_url() for stage in Stage.objects.published()
    ]
    for url in pages:
        assert f'href="{START}"' in client.get(url).content.decode(), url


def test_a_question_answered_with_nothing_shows_the_error(client, shipped):
    response = client.post(question_url("staff"), {})
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    message = "Select whether you have talked to staff about the idea"
    assert html.count(message) == 2  # the summary and the field
    assert '<a href="#id_answer">' in html
    assert "<title>Error: " in html
    assert ANSWERS_KEY not in client.session


def test_an_option_from_another_question_is_refused(client, shipped):
    other = option_ids("core-team", ["Yes"])
    response = client.post(question_url("staff"), {"answer": other})
    assert "Select an answer from the list" in response.content.decode()


def test_none_of_these_with_another_answer_is_refused(client, shipped):
    response = answer(client, "advice", ["Legal advice", "None of these yet"])
    assert response.status_code == 200
    assert (
        "Select the answers that apply, or select ‘None of these yet’ on its own"
        in response.content.decode()
    )


def test_an_unknown_question_goes_back_to_the_start(client, shipped):
    response = client.get(question_url("no-such-question"))
    assert response.status_code == 302
    assert response.url == START


def test_each_question_leads_to_the_next_with_a_back_link(client, shipped):
    response = answer(client, "staff", ["Not yet"])
    assert response.url == question_url("core-team")
    html = client.get(question_url("core-team")).content.decode()
    assert f'<a href="{question_url("staff")}" class="govuk-back-link">Back</a>' in html
    assert "Question 2 of 12" in html
    first = client.get(question_url("staff")).content.decode()
    assert f'<a href="{START}" class="govuk-back-link">Back</a>' in first
    # The answer given is shown again.
    assert 'checked="checked"' in first


def test_check_your_answers_needs_every_answer(client, shipped):
    answer(client, "staff", ["Not yet"])
    response = client.get(CHECK)
    assert response.status_code == 302
    assert response.url == question_url("core-team")


def test_a_change_link_returns_to_check_your_answers(client, shipped):
    answer_all(client)
    html = client.get(CHECK).content.decode()
    assert f'href="{question_url("business-plan", change=True)}"' in html
    page = client.get(question_url("business-plan", change=True)).content.decode()
    assert f'<a href="{CHECK}" class="govuk-back-link">Back</a>' in page
    response = answer(client, "business-plan", ["Yes"], change=True)
    assert response.url == CHECK
    assert "Yes" in client.get(CHECK).content.decode()


def test_the_shipped_questions_place_a_reader_at_stage_3(client, shipped):
    response = finish(client)
    assert response.status_code == 302 and response.url == RESULT
    response = client.get(RESULT)
    html = response.content.decode()
    assert response["Cache-Control"] == "private, no-store"
    assert "You are at stage 3, Build the business case</h1>" in html
    assert (
        "You answered ‘Not yet’ to “Do you have a business plan with cash flow forecasts?”" in html
    )
    assert (
        "To “Which specialist advice have you taken?” you did not choose ‘Legal advice’, "
        "‘Pensions advice’ or ‘Advice on TUPE and staff terms’" in html
    )
    assert list_items(html, "next-tasks-heading") == STAGE_3_NEXT_TASKS
    assert list_items(html, "partners-heading") == STAGE_3_PARTNERS
    assert html.count("<h1") == 1
    stage = Stage.objects.get(number=3)
    assert ReadinessCount.objects.get().stage == stage
    # Looking at the result again, or sending the answers twice, counts nothing more.
    client.get(RESULT)
    client.post(CHECK)
    assert ReadinessCount.objects.get().count == 1
    # A changed answer is a new result.
    answer(client, "business-plan", ["Yes"], change=True)
    client.post(CHECK)
    assert ReadinessCount.objects.get().count == 2


def test_the_result_needs_the_answers_checked_first(client, shipped):
    answer_all(client)
    assert client.get(RESULT).url == CHECK
    answer(client, "staff", ["Not yet"])  # a new answer means checking them again
    client.post(CHECK)
    assert client.session[COMPLETE_KEY] is True
    answer(client, "staff", ["Yes, and most of them are in favour"])
    assert COMPLETE_KEY not in client.session


def test_start_again_clears_the_answers(client, shipped):
    finish(client)
    response = client.post(START_AGAIN)
    assert response.url == START
    assert ANSWERS_KEY not in client.session
    assert COMPLETE_KEY not in client.session
    assert client.get(RESULT).url == CHECK


def test_the_tasks_done_go_into_the_guides_checklist(client, shipped):
    finish(client)
    client.post(CHECKLIST)
    done = Task.objects.filter(pk__in=GuideProgress(client.session).done_ids)
    assert sorted(done.values_list("slug", flat=True)) == sorted(
        [
            "talk-to-staff-about-the-idea",
            "form-a-core-team",
            "find-out-who-approves-a-spin-out",
            "talk-to-commissioners-early",
            "carry-out-an-options-appraisal",
            "compare-legal-forms",
        ]
    )
    assert "Add these tasks to your checklist" not in client.get(RESULT).content.decode()


def test_ask_us_opens_the_contact_form_filled_in(client, shipped):
    finish(client)
    response = client.get(ASK)
    assert response.url == f"{reverse('enquiries:contact')}?prefill=1"
    form = client.get(response.url).context["form"]
    assert form["stage"].value() == "build-the-business-case"
    assert sorted(form["topics"].value()) == [
        "business-planning",
        "legal",
        "pensions",
        "procurement",
        "tupe",
    ]
    message = form["message"].value()
    assert message.startswith(
        "I used the readiness check. It placed me at stage 3, Build the business case."
    )
    assert "- Do you have a business plan with cash flow forecasts? Not yet" in message


def test_the_result_page_makes_the_same_queries_however_many_questions(client, shipped):
    def queries():
        client.post(START_AGAIN)
        finish(client, {**AT_STAGE_3, **extra})
        with CaptureQueriesContext(connection) as captured:
            assert client.get(RESULT).status_code == 200
        return len(captured)

    extra = {}
    before = queries()
    stage = Stage.objects.get(number=4)
    tasks = list(stage.tasks.all()[:2])
    for n in range(3):
        make_question(
            f"more-{n}",
            [("Yes", stage, tasks, [], []), ("No", None, [], tasks, [])],
        )
        extra[f"more-{n}"] = ["No"]
    assert queries() == before


def test_loading_twice_changes_nothing_and_reset_puts_back_the_rules(shipped):
    option = Option.objects.get(question__slug="business-plan", label="Yes")
    option.label = "Yes, we do"
    option.stage = None
    option.save()
    out = StringIO()
    call_command("load_content", stdout=out)
    assert "Questions: 0 created, 0 updated, 12 unchanged" in out.getvalue()
    option.refresh_from_db()
    assert option.label == "Yes, we do"
    out = StringIO()
    call_command("load_content", "--reset", stdout=out)
    assert "Questions: 0 created, 0 updated, 12 unchanged" in out.getvalue()
    assert "Answer options: 0 created, 1 updated, 30 unchanged" in out.getvalue()
    option.refresh_from_db()
    assert (option.label, option.stage.number) == ("Yes", 3)


def test_a_question_with_hints_on_its_answers_has_no_id_twice(client, shipped):
    html = client.get(question_url("advice")).content.decode()
    found = re.findall(r'\sid="([^"]+)"', html)
    assert "id_answer_hint" in found and "id_answer_1_hint" in found
    assert len(found) == len(set(found))
    assert 'aria-describedby="id_answer_1_hint"' in html


def test_a_question_page_makes_the_same_queries_however_many_questions(client, shipped):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(question_url("business-plan")).status_code == 200
        return len(captured)

    before = queries()
    stage = Stage.objects.get(number=4)
    tasks = list(stage.tasks.all()[:2])
    for n in range(3):
        make_question(f"more-{n}", [("Yes", stage, tasks, [], []), ("No", None, [], tasks, [])])
    assert queries() == before


def test_with_no_published_questions_the_pages_send_readers_to_the_start(client, shipped):
    Question.objects.update(status=Status.DRAFT)
    assert "The questions are being updated" in client.get(START).content.decode()
    assert client.get(CHECK).url == START
    assert client.get(RESULT).url == CHECK
    assert client.get(question_url("staff")).url == START


def test_a_finished_reader_whose_questions_were_withdrawn_is_sent_to_the_start(client, shipped):
    finish(client)
    assert client.get(RESULT).status_code == 200
    Question.objects.update(status=Status.DRAFT)

    assert client.get(RESULT).url == CHECK
    assert client.post(CHECKLIST).url == CHECK
    assert client.get(ASK).url == CHECK


def test_a_finished_reader_whose_stages_were_all_withdrawn_is_sent_to_the_start(client, shipped):
    finish(client)
    Stage.objects.update(status=Status.DRAFT)

    assert client.get(RESULT).url == START
    assert client.post(CHECKLIST).url == START
    assert client.get(ASK).url == START
    assert GuideProgress(client.session).done_ids == set()


def test_the_staff_transfer_question_asks_what_tupe_requires(shipped):
    """TUPE has the employers tell staff representatives and only in some cases consult them,
    as the guide's TUPE tasks say, so the question does not assume a formal consultation."""
    question = Question.objects.get(slug="staff-transfer")
    assert (
        question.text
        == "Have staff and their representatives been told about the transfer to the mutual?"
    )
    assert "in some cases consult them" in question.hint
    transfer = Task.objects.get(slug="transfer-staff-under-tupe")
    assert "in some cases consult their representatives" in transfer.body
