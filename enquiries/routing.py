"""Routing: which partner an enquiry goes to, and why.

`RoutingRule.objects.evaluate`, `first_match` and `route` call these functions with the active
rules, so the contact form and the admin's "Try the routing" page decide the same way.
"""

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .choices import OrganisationType, Role

if TYPE_CHECKING:
    from .models import Partner, RoutingRule


@dataclass
class Answers:
    """What an enquirer told us, as routing sees it."""

    topic_ids: set = field(default_factory=set)
    stage_id: int | None = None
    role: str = ""
    organisation_type: str = ""
    message: str = ""


@dataclass
class Condition:
    label: str
    wanted: str
    matched: bool


@dataclass
class RuleCheck:
    rule: "RoutingRule"
    conditions: list
    matched: bool


@dataclass
class Decision:
    """Where an enquiry goes and why."""

    rule: "RoutingRule | None"
    destination: "Partner | None"
    copies: list

    @property
    def reason(self):
        if self.rule is None:
            return "No rule matched, so the Mutuals Team answers it."
        return f"Rule '{self.rule.name}' matched."


def keyword_list(text):
    return [word.strip().lower() for word in text.split(",") if word.strip()]


def mentions_any(message, words):
    """A word counts from its start, so 'co-op' finds 'co-ops' but not 'taco-op'."""
    message = message.lower()
    return any(re.search(r"(?<!\w)" + re.escape(word), message) for word in words)


def rule_conditions(rule, answers):
    """The rule's filled-in conditions, each marked as matched or not."""
    result = []
    topics = list(rule.topics.all())
    if topics:
        result.append(
            Condition(
                "Topics",
                ", ".join(t.name for t in topics),
                any(t.pk in answers.topic_ids for t in topics),
            )
        )
    stages = list(rule.stages.all())
    if stages:
        result.append(
            Condition(
                "Stage",
                ", ".join(s.title for s in stages),
                any(s.pk == answers.stage_id for s in stages),
            )
        )
    if rule.roles:
        labels = dict(Role.choices)
        result.append(
            Condition(
                "Role",
                ", ".join(labels.get(r, r) for r in rule.roles),
                answers.role in rule.roles,
            )
        )
    if rule.organisation_types:
        labels = dict(OrganisationType.choices)
        result.append(
            Condition(
                "Organisation type",
                ", ".join(labels.get(o, o) for o in rule.organisation_types),
                answers.organisation_type in rule.organisation_types,
            )
        )
    words = keyword_list(rule.keywords)
    if words:
        result.append(
            Condition(
                "Words in the message", ", ".join(words), mentions_any(answers.message, words)
            )
        )
    return result


def rule_matches(rule, conditions):
    """A rule matches when all its conditions do and its partner takes enquiries."""
    return rule.is_active and rule.destination.is_active and all(c.matched for c in conditions)


def check_rule(rule, answers):
    conditions = rule_conditions(rule, answers)
    return RuleCheck(rule, conditions, rule_matches(rule, conditions))


def evaluate(rules, answers):
    """Each rule, in the order given, with its conditions ticked or crossed."""
    return [check_rule(rule, answers) for rule in rules]


def first_match(rules, answers):
    return next((check.rule for check in evaluate(rules, answers) if check.matched), None)


def decide(rule, fallback):
    """Send to the rule's partner, copying the fallback if the rule asks; no rule, the fallback."""
    if rule is None:
        return Decision(rule=None, destination=fallback, copies=[])
    copies = (
        [fallback] if rule.copy_mutuals_team and fallback and fallback != rule.destination else []
    )
    return Decision(rule=rule, destination=rule.destination, copies=copies)
