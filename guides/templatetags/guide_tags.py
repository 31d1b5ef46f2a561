import re

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.inclusion_tag("guides/includes/step_by_step.html", takes_context=True)
def stage_navigation(context, current=None, heading_level=2, small=False):
    """The guide as a step-by-step, from the stages the view loaded; the current stage is marked."""
    done_ids = context.get("done_ids", set())
    show_progress = bool(done_ids)
    steps = []
    for stage in context["stages"]:
        tasks = [{"task": task, "done": task.pk in done_ids} for task in stage.public_tasks]
        steps.append(
            {
                "stage": stage,
                "tasks": tasks,
                "tasks_done": sum(item["done"] for item in tasks),
                "current": current is not None and stage.pk == current.pk,
            }
        )
    return {
        "steps": steps,
        "heading_level": heading_level,
        "small": small,
        "show_progress": show_progress,
    }


HEADING_CLASSES = {
    2: "govuk-heading-l",
    3: "govuk-heading-m",
    4: "govuk-heading-s",
    5: "govuk-heading-s",
    6: "govuk-heading-s",
}
HEADING_TAG = re.compile(r"<(/?)h([2-4])\b([^>]*)>")


@register.filter
def demote_headings(html, levels=1):
    """Move rendered Markdown headings down a level or more, so they sit under the page's own."""
    levels = int(levels)

    def demote(match):
        closing, level, attributes = match.group(1), int(match.group(2)), match.group(3)
        new_level = min(level + levels, 6)
        if closing:
            return f"</h{new_level}>"
        attributes = re.sub(
            r'class="govuk-heading-[a-z]+"', f'class="{HEADING_CLASSES[new_level]}"', attributes
        )
        return f"<h{new_level}{attributes}>"

    # Text that is not already safe HTML is escaped first, so only real headings change.
    return mark_safe(HEADING_TAG.sub(demote, str(conditional_escape(html))))


HEADING_ID = re.compile(r'(<h[2-6]\b[^>]*\bid=")([^"]+)(")')


@register.filter
def prefix_heading_ids(html, prefix):
    """Make rendered heading ids unique when several Markdown texts share a page."""
    return mark_safe(HEADING_ID.sub(rf"\g<1>{prefix}-\g<2>\g<3>", str(conditional_escape(html))))
