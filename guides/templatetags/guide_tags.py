from django import template

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
