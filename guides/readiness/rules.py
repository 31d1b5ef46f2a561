"""The readiness check's rules: where a reader's answers place them, and what they should do next.

The placing rule. Every answer that "counts toward" a stage is one of that stage's milestones,
and a reader meets a milestone by choosing that answer. The reader is at the earliest published
stage with a milestone they have not met; if they have met them all, they are at the last stage.
The reasons given are the answers that placed them there: their answer to each question whose
milestone for that stage they did not meet.

`score()` is the one function that decides, for the public result page and the admin's
"Try it" page alike. It reads nothing from the database: `RuleSet.load()` fetches everything it
needs first, in the same few queries however many questions, stages or partners there are.
"""

from dataclasses import dataclass, field

from django.db.models import Prefetch

from enquiries.models import Partner
from portal.core.publishing import Status

from ..library.models import Resource
from ..models import Stage, Task
from .models import Option, Question

# The result lists at most this many next tasks, and tops up from the next stage below the least.
MAX_NEXT_TASKS = 5
MIN_NEXT_TASKS = 3
MAX_RESOURCES = 5


@dataclass
class RuleSet:
    """The questions with their options and rules, and the published stages with what they list."""

    questions: list
    stages: list

    @classmethod
    def load(cls, include_drafts=False):
        questions = Question.objects.in_order()
        if not include_drafts:
            questions = questions.published()
        options = Option.objects.order_by("position", "pk").prefetch_related(
            Prefetch("tasks_done", queryset=Task.objects.select_related("stage")),
            Prefetch("tasks_recommended", queryset=Task.objects.select_related("stage")),
            "topics",
        )
        questions = questions.prefetch_related(Prefetch("options", queryset=options))
        stages = (
            Stage.objects.published()
            .in_order()
            .with_listing_data()
            .prefetch_related(
                Prefetch(
                    "partners",
                    queryset=Partner.objects.active().order_by("-is_fallback", "name"),
                    to_attr="active_partners",
                ),
                Prefetch(
                    "resources",
                    queryset=Resource.objects.published()
                    .order_by("title", "pk")
                    .prefetch_related("topics"),
                    to_attr="published_resources",
                ),
            )
        )
        return cls(questions=list(questions), stages=list(stages))

    def question(self, slug):
        return next((q for q in self.questions if q.slug == slug), None)

    def clean_answers(self, raw):
        """The stored answers that still fit the questions: {slug: [option ids]}."""
        answers = {}
        for question in self.questions:
            ids = raw.get(question.slug) if isinstance(raw, dict) else None
            if not isinstance(ids, list):
                continue
            known = {option.pk for option in question.options.all()}
            chosen = [i for i in ids if isinstance(i, int) and i in known]
            if chosen and (question.is_checkboxes or len(chosen) == 1):
                answers[question.slug] = chosen
        return answers

    def first_unanswered(self, answers):
        return next((q for q in self.questions if q.slug not in answers), None)


@dataclass
class Result:
    stage: object
    reasons: list
    stages_met: list
    next_tasks: list
    done_tasks: list
    resources: list
    partners: list
    topics: list = field(default_factory=list)


def chosen_options(question, answers):
    ids = set(answers.get(question.slug, []))
    return [option for option in question.options.all() if option.pk in ids]


def listed(labels, word):
    """‘A’, ‘B’ and ‘C’ (or 'or'), or 'nothing'."""
    quoted = [f"‘{label}’" for label in labels]
    if len(quoted) < 2:
        return "".join(quoted) or "nothing"
    return f"{', '.join(quoted[:-1])} {word} {quoted[-1]}"


def score(rules, answers):
    """Place the reader and plan their next steps, from `answers` ({slug: [option ids]})."""
    if not rules.stages:
        return None
    chosen = {q.slug: chosen_options(q, answers) for q in rules.questions}
    stage_ids = {stage.pk for stage in rules.stages}
    unmet = {}  # stage id -> [(question, option)]
    for question in rules.questions:
        for option in question.options.all():
            if option.stage_id in stage_ids and option not in chosen[question.slug]:
                unmet.setdefault(option.stage_id, []).append((question, option))
    stage = next((s for s in rules.stages if s.pk in unmet), rules.stages[-1])
    stages_met = [s for s in rules.stages if s.number < stage.number]

    reasons = []
    if stage.pk in unmet:
        missed = {}  # question -> the answers that would have met its milestones
        for question, option in unmet[stage.pk]:
            missed.setdefault(question, []).append(option.label)
        for question, labels in missed.items():
            if question.is_checkboxes:
                reasons.append(f"To “{question.text}” you did not choose {listed(labels, 'or')}")
            else:
                given = [o.label for o in chosen[question.slug]]
                reasons.append(f"You answered {listed(given, 'and')} to “{question.text}”")
    else:
        reasons.append("Your answers meet every milestone of the earlier stages")

    public_tasks = {task.pk: task for s in rules.stages for task in s.public_tasks}
    picked = [option for options in chosen.values() for option in options]
    done_ids = {t.pk for o in picked for t in o.tasks_done.all() if t.pk in public_tasks}
    done_tasks = [task for task in public_tasks.values() if task.pk in done_ids]
    recommended_ids = {
        t.pk
        for o in picked
        for t in o.tasks_recommended.all()
        if t.pk in public_tasks and t.pk not in done_ids
    }

    def to_do(stage):
        """The stage's tasks not yet done, those the answers recommend first."""
        tasks = [task for task in stage.public_tasks if task.pk not in done_ids]
        return sorted(tasks, key=lambda task: task.pk not in recommended_ids)

    next_tasks = to_do(stage)
    later = [s for s in rules.stages if s.number > stage.number]
    if len(next_tasks) < MIN_NEXT_TASKS and later:
        next_tasks += to_do(later[0])[: MIN_NEXT_TASKS - len(next_tasks)]
    # Shown in the guide's own order.
    order = {pk: index for index, pk in enumerate(public_tasks)}
    next_tasks = sorted(next_tasks[:MAX_NEXT_TASKS], key=lambda t: order[t.pk])

    topics = sorted({t.pk: t for o in picked for t in o.topics.all()}.values(), key=str)
    topic_ids = {t.pk for t in topics}
    resources = sorted(
        stage.published_resources,
        key=lambda r: not any(t.pk in topic_ids for t in r.topics.all()),
    )[:MAX_RESOURCES]
    return Result(
        stage=stage,
        reasons=reasons,
        stages_met=stages_met,
        next_tasks=next_tasks,
        done_tasks=done_tasks,
        resources=resources,
        partners=list(stage.active_partners),
        topics=topics,
    )


def task_published(task):
    return task.status == Status.PUBLISHED and task.stage.status == Status.PUBLISHED


def rule_problems(questions, stages):
    """What makes a rule set unusable, in words an editor can act on.

    `questions` is a list of (question, options) pairs, each option an Option (saved or not)
    with `_rule_tasks` (the tasks it marks as done or recommends) set; `stages` is every stage.
    """
    problems = []
    published = [(q, opts) for q, opts in questions if q.status == Status.PUBLISHED]
    published_stages = [s for s in stages if s.status == Status.PUBLISHED]
    for question, options in published:
        counting = [o for o in options if o.stage_id]
        if question.kind == Question.Kind.RADIOS and len(counting) > 1:
            problems.append(
                f"“{question.text}” has radios, so a reader chooses only one answer: only one "
                "of its answers can count toward a stage."
            )
        if len(options) < 2:
            problems.append(f"“{question.text}” needs at least 2 answers to choose from.")
        for option in options:
            stage = next((s for s in stages if s.pk == option.stage_id), None)
            if stage is not None and stage.status != Status.PUBLISHED:
                problems.append(
                    f"The answer ‘{option.label}’ counts toward {stage}, which is not published."
                )
            for task in option._rule_tasks:
                if not task_published(task):
                    problems.append(
                        f"The answer ‘{option.label}’ points at the task “{task}”, which is not "
                        "published. Choose a published task."
                    )
    reached = {o.stage_id for _q, opts in published for o in opts if o.stage_id}
    for stage in published_stages[:-1]:
        if stage.pk not in reached:
            problems.append(
                f"No answer to a published question counts toward {stage}, so no reader could "
                "be placed there. Make at least one answer count toward it."
            )
    return problems


def stored_problems(include_drafts=False, stages=None):
    """The problems with the rules as saved (a task unpublished since, for example)."""
    rules = RuleSet.load(include_drafts=include_drafts)
    pairs = []
    for question in rules.questions:
        options = list(question.options.all())
        for option in options:
            option._rule_tasks = [*option.tasks_done.all(), *option.tasks_recommended.all()]
        pairs.append((question, options))
    if include_drafts:
        for question, _options in pairs:
            question.status = Status.PUBLISHED
    stages = stages if stages is not None else list(Stage.objects.in_order())
    return rule_problems(pairs, stages)
