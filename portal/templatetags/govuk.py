"""What the GOV.UK component includes (templates/includes/govuk/) need beyond Django's tags."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def govuk_attributes(attributes):
    """A component's `attributes` option as GOV.UK Frontend's govukAttributes renders it.

    Each value renders as ` name="value"`. A value given as {"value": ..., "optional": True} is
    left out when empty or false, and renders as a bare boolean attribute when true.
    """
    if not attributes:
        return ""
    if isinstance(attributes, str):
        return mark_safe(attributes)  # GOV.UK Frontend passes a string through as written
    pairs = []
    for name, item in attributes.items():
        optional = False
        value = item
        if isinstance(item, dict):
            value, optional = item.get("value"), item.get("optional", False)
        if optional and (value is None or value is False):
            continue
        if optional and value is True:
            pairs.append(format_html(" {}", name))
            continue
        if value is None:
            value = ""
        elif isinstance(value, bool):
            value = "true" if value else "false"
        pairs.append(format_html(' {}="{}"', name, value))
    return mark_safe("".join(pairs))


@register.filter
def govuk_summary_rows(rows):
    """Summary list rows as GOV.UK Frontend's options, each with its action_items listed.

    The site's own shorter rows ({"key", "value", "href", "action_text"}) become the same: an
    action labelled action_text (default "View") whose hidden text is the key.
    """
    normal = []
    for row in rows or []:
        if not row:
            continue
        if isinstance(row.get("key"), dict) or isinstance(row.get("value"), dict):
            actions = row.get("actions") or {}
            normal.append({**row, "actions": actions, "action_items": actions.get("items") or []})
            continue
        items = []
        if row.get("href"):
            items.append(
                {
                    "href": row["href"],
                    "text": row.get("action_text") or "View",
                    "visuallyHiddenText": str(row["key"]).lower(),
                }
            )
        normal.append(
            {
                "key": {"text": row["key"]},
                "value": {"text": row["value"]},
                "actions": {},
                "action_items": items,
            }
        )
    return normal


@register.filter
def govuk_any_actions(rows):
    """Whether any row of govuk_summary_rows has an action: then the others say they have none."""
    return any(row["action_items"] for row in rows)


@register.filter
def govuk_truthy(items):
    """The items that are set, as GOV.UK Frontend's select("truthy") keeps them."""
    return [item for item in items or [] if item]
