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


def _same(a, b):
    """Whether two option values are equal, as JavaScript's == compares a number and a string."""
    return a is not None and b is not None and str(a) == str(b)


@register.simple_tag
def govuk_choices(
    kind, name, id_prefix, items, value, values, fieldset, hint, error_message, described_by
):
    """What radios.html and checkboxes.html work out before rendering, as GOV.UK Frontend does.

    The first item's id is the prefix alone (so an error summary can link to it), the others
    end -2, -3 and so on. A hint and an error message add their ids to the fieldset's
    aria-describedby (for checkboxes without a fieldset, to each checkbox's).
    """
    prefix = id_prefix or name
    fieldset = fieldset or None
    described = (
        (fieldset or {}).get("describedBy") or (described_by if kind == "checkboxes" else "") or ""
    )
    hint_id = error_id = ""
    if hint:
        hint_id = f"{prefix}-hint"
        described = f"{described} {hint_id}" if described else hint_id
    if error_message:
        error_id = f"{prefix}-error"
        described = f"{described} {error_id}" if described else error_id
    rows = []
    for index, item in enumerate(items or [], start=1):
        if not item:
            continue
        if item.get("divider"):
            rows.append({"divider": item["divider"]})
            continue
        item_id = item.get("id") or (prefix if index == 1 else f"{prefix}-{index}")
        if item.get("checked"):
            checked = True
        elif kind == "radios":
            checked = bool(value) and _same(item.get("value"), value)
            checked = checked and item.get("checked") is not False
        else:
            checked = bool(values) and any(_same(item.get("value"), v) for v in values)
            checked = checked and item.get("checked") is not False
        item_hint = item.get("hint") or {}
        has_hint = bool(item_hint.get("text") or item_hint.get("html"))
        item_hint_id = f"{item_id}-item-hint" if has_hint else ""
        if kind == "radios":
            item_described = item_hint_id
        else:
            item_described = " ".join(
                part for part in ("" if fieldset else described, item_hint_id) if part
            )
        rows.append(
            {
                "item": item,
                "id": item_id,
                "name": (item.get("name") if kind == "checkboxes" else None) or name,
                "checked": checked,
                "hint": item_hint if has_hint else None,
                "hint_id": item_hint_id,
                "described_by": item_described,
                "conditional_id": f"conditional-{item_id}",
                "label": item.get("label") or {},
            }
        )
    return {
        "rows": rows,
        "hint_id": hint_id,
        "error_id": error_id,
        "described_by": described,
        # None when not given, so the error message keeps its "Error" prefix.
        "error_hidden_text": (error_message or {}).get("visuallyHiddenText"),
    }


@register.filter
def govuk_items(options):
    """options["items"], or none: `options.items` would be the dictionary's own items()."""
    return (options or {}).get("items") or []


@register.simple_tag(takes_context=True)
def govuk_is_null(context, name):
    """Whether the argument was given as None, which GOV.UK Frontend tells apart from not given
    (the footer's content_licence=None leaves out the licence)."""
    return name in context and context[name] is None
