"""A content page's public history: `{% page_history stage stage.public_tasks as history %}`."""

from django import template

from portal.core.change_notes import page_history as history_of

register = template.Library()


@register.simple_tag
def page_history(item, *parts):
    """The item's last update and change notes, with those of the parts shown on its page.

    Each part may be one item or a list of them (a stage's tasks). One query in all.
    """
    items = [item]
    for part in parts:
        items.extend(part if isinstance(part, list | tuple) else [part])
    return history_of(*items)
