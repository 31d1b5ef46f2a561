"""The readiness check's pages: start, one question a page, check your answers and the result.

Answers live in the visitor's session only, as {question slug: [option ids]}, and go when it
expires or when they choose "Start again". Every page with answers is `private, no-store`; the
start page holds nothing personal, so the page cache shares it (portal/cache.py).
"""

from functools import wraps

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from enquiries.views import PREFILL_KEY, offer_prefill
from portal.cache import for_one_visitor_view

from ..progress import GuideProgress
from .forms import QuestionForm
from .models import Question, ReadinessCount
from .rules import RuleSet, chosen_options, score

ANSWERS_KEY = "readiness_answers"
COMPLETE_KEY = "readiness_complete"
TITLE = "Are you ready to spin out?"


def breadcrumbs(*extra):
    return [
        {"text": "Home", "href": reverse("portal:home")},
        {"text": "How to set up a mutual", "href": reverse("guides:overview")},
        *extra,
    ]


def stored_answers(request, rules):
    return rules.clean_answers(request.session.get(ANSWERS_KEY, {}))


def question_url(question, change=False):
    url = reverse("guides:readiness-question", kwargs={"slug": question.slug})
    return f"{url}?change=1" if change else url


@require_GET
def start(request):
    count = Question.objects.published().count()
    return render(
        request,
        "guides/readiness/start.html",
        {
            "title": TITLE,
            "question_count": count,
            "first": Question.objects.published().in_order().first(),
            "breadcrumbs": breadcrumbs(),
        },
    )


@for_one_visitor_view
@require_http_methods(["GET", "POST"])
def question(request, slug):
    rules = RuleSet.load()
    asked = rules.question(slug)
    if asked is None:
        messages.error(request, "That question is no longer asked. Start from the first question.")
        return redirect("guides:readiness-start")
    answers = stored_answers(request, rules)
    change = request.GET.get("change") == "1"
    if request.method == "POST":
        form = QuestionForm(asked, request.POST)
        if form.is_valid():
            answers[asked.slug] = form.cleaned_data["answer"]
            request.session[ANSWERS_KEY] = answers
            request.session.pop(COMPLETE_KEY, None)
            following = rules.first_unanswered(answers)
            if change or following is None:
                return redirect("guides:readiness-check")
            return redirect(question_url(following))
    else:
        initial = answers.get(asked.slug, [])
        value = (
            [str(i) for i in initial]
            if asked.is_checkboxes
            else next((str(i) for i in initial), None)
        )
        form = QuestionForm(asked, initial={"answer": value})
    index = rules.questions.index(asked)
    if change:
        back = reverse("guides:readiness-check")
    elif index:
        back = question_url(rules.questions[index - 1])
    else:
        back = reverse("guides:readiness-start")
    action = question_url(asked, change)
    return render(
        request,
        "guides/readiness/question.html",
        {
            "form": form,
            "question": asked,
            "number": index + 1,
            "total": len(rules.questions),
            "back_url": back,
            "action": action,
        },
    )


def answer_rows(rules, answers):
    return [
        {
            "key": q.text,
            "value": "\n".join(o.label for o in chosen_options(q, answers)),
            "href": question_url(q, change=True),
        }
        for q in rules.questions
    ]


@for_one_visitor_view
@require_http_methods(["GET", "POST"])
def check(request):
    rules = RuleSet.load()
    answers = stored_answers(request, rules)
    if not rules.questions:
        return redirect("guides:readiness-start")
    missing = rules.first_unanswered(answers)
    if missing is not None:
        return redirect(question_url(missing))
    if request.method == "POST":
        result = score(rules, answers)
        if result is None:
            return redirect("guides:readiness-start")
        # Counted once for each set of answers, when the reader asks for the result (not on
        # a second click, nor on each view of it): the stage and the month only.
        if not request.session.get(COMPLETE_KEY):
            ReadinessCount.record(result.stage)
        request.session[COMPLETE_KEY] = True
        return redirect("guides:readiness-result")
    return render(
        request,
        "guides/readiness/check.html",
        {
            "rows": answer_rows(rules, answers),
            "back_url": question_url(rules.questions[-1]),
            "breadcrumbs": breadcrumbs({"text": TITLE, "href": reverse("guides:readiness-start")}),
        },
    )


def finished(request, rules):
    """The answers, if the reader has asked for their result, there are still questions and
    all are still answered.
    """
    answers = stored_answers(request, rules)
    if (
        not rules.questions
        or not request.session.get(COMPLETE_KEY)
        or rules.first_unanswered(answers) is not None
    ):
        return None
    return answers


def with_result(view):
    """For a page that needs the reader's result: `view(request, rules, answers, outcome)`.
    A reader without one is sent to check their answers, or to the start when the questions
    as they now stand give no result.
    """

    @wraps(view)
    def scored_view(request):
        rules = RuleSet.load()
        answers = finished(request, rules)
        if answers is None:
            return redirect("guides:readiness-check")
        outcome = score(rules, answers)
        if outcome is None:
            return redirect("guides:readiness-start")
        return view(request, rules, answers, outcome)

    return scored_view


@for_one_visitor_view
@require_GET
@with_result
def result(request, rules, answers, outcome):
    done_ids = GuideProgress(request.session).done_ids
    return render(
        request,
        "guides/readiness/result.html",
        {
            "result": outcome,
            "done_ids": done_ids,
            "to_add": [t for t in outcome.done_tasks if t.pk not in done_ids],
            "breadcrumbs": breadcrumbs({"text": TITLE, "href": reverse("guides:readiness-start")}),
        },
    )


@for_one_visitor_view
@require_POST
@with_result
def add_to_checklist(request, rules, answers, outcome):
    """Tick, in the guide's own checklist, the tasks the reader's answers say are done."""
    progress = GuideProgress(request.session)
    for task in outcome.done_tasks:
        progress.mark(task, done=True)
    count = len(outcome.done_tasks)
    messages.success(
        request,
        f"{count} task{'s' if count != 1 else ''} marked as done in your checklist for "
        "How to set up a mutual.",
    )
    return redirect("guides:readiness-result")


def enquiry_message(rules, answers, outcome):
    lines = [
        f"I used the readiness check. It placed me at stage {outcome.stage.number}, "
        f"{outcome.stage.title}.",
        "",
        "My answers:",
    ]
    for row in answer_rows(rules, answers):
        lines.append(f"- {row['key']} {row['value'].replace(chr(10), '; ')}")
    lines += ["", "My question: "]
    return "\n".join(lines)


@for_one_visitor_view
@require_GET
@with_result
def ask_us(request, rules, answers, outcome):
    """Open the contact form with the stage and topics ticked and the answers summarised."""
    offer_prefill(
        request.session,
        stage=outcome.stage.slug,
        topics=[topic.slug for topic in outcome.topics],
        message=enquiry_message(rules, answers, outcome),
    )
    return redirect(f"{reverse('enquiries:contact')}?prefill=1")


@for_one_visitor_view
@require_POST
def start_again(request):
    for key in (ANSWERS_KEY, COMPLETE_KEY, PREFILL_KEY):
        request.session.pop(key, None)
    messages.success(request, "Your answers have been cleared.")
    return redirect("guides:readiness-start")
