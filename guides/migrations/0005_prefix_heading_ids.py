"""Give every heading id in stored HTML the prefix that rendering now adds ('section-').

Rendered Markdown is stored on save (the `rendered` field), so rows saved before headings took
the prefix still carry ids such as "main-content" that can repeat the page's own. A stage's end
result also takes its own prefix, so its ids no longer repeat its body's on the same page. This
rewrites those ids in place, as rendering the text again gives them; it renders nothing, so it
does not depend on the Markdown code of the day. Undoing it puts the old ids back.
"""

import re

from django.db import migrations

PREFIX = "section-"
HEADING_ID = re.compile(r'(<h[2-6]\s(?:[^<>]*?\s)?id=")([^"]*)(")')


def _with_dash(prefix):
    return f"{prefix}-" if prefix else ""


def _rewrite_ids(html, old_prefix, new_prefix, forwards):
    """Move each heading id from under `old_prefix` to under `new_prefix`, both with a dash."""

    def rewrite(match):
        value = match.group(2)
        if value.startswith(old_prefix):
            value = new_prefix + value[len(old_prefix) :]
        elif forwards:
            # Rendered under a slug the row no longer has: it still needs the prefix.
            value = PREFIX + value
        return match.group(1) + value + match.group(3)

    return HEADING_ID.sub(rewrite, html)


def _stage_prefixes(stage):
    """(before, after) for each rendering of a stage, as Stage.markdown_renderings() names them."""
    return {
        "body": ("", PREFIX),
        "end_result": ("", PREFIX + "end-result-"),
        "print_body": (_with_dash(stage.slug), PREFIX + _with_dash(stage.slug)),
        "print_end_result": (
            _with_dash(stage.slug),
            PREFIX + _with_dash(f"{stage.slug}-end-result"),
        ),
    }


def _same_prefix(row):
    # Tasks and resources keep their own prefixes and gain PREFIX in front.
    return {key: ("", PREFIX) for key in row.rendered}


def _rewrite(apps, forwards):
    for name, fields, prefixes in [
        ("Stage", ["slug"], _stage_prefixes),
        ("Task", [], _same_prefix),
        ("Resource", [], _same_prefix),
    ]:
        model = apps.get_model("guides", name)
        changed = []
        for row in model.objects.only("pk", "rendered", *fields).iterator(chunk_size=500):
            moves = prefixes(row)
            rendered = {}
            for key, html in row.rendered.items():
                if isinstance(html, str) and key in moves:
                    before, after = moves[key]
                    old, new = (before, after) if forwards else (after, before)
                    html = _rewrite_ids(html, old, new, forwards)
                rendered[key] = html
            if rendered != row.rendered:
                row.rendered = rendered
                changed.append(row)
        model.objects.bulk_update(changed, ["rendered"], batch_size=500)


def prefix_heading_ids(apps, schema_editor):
    _rewrite(apps, forwards=True)


def unprefix_heading_ids(apps, schema_editor):
    _rewrite(apps, forwards=False)


class Migration(migrations.Migration):

    dependencies = [
        ("guides", "0004_rendered_markdown"),
    ]

    operations = [
        migrations.RunPython(prefix_heading_ids, unprefix_heading_ids),
    ]
