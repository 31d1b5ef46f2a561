"""Give every heading id in stored HTML the prefix that rendering now adds ('section-').

Rendered Markdown is stored on save (the `rendered` field), so rows saved before headings took
the prefix still carry ids such as "main-content" that can repeat the page's own. This rewrites
those ids in place, as rendering the text again gives them; it renders nothing, so it does not
depend on the Markdown code of the day. Undoing it removes the prefix again.
"""

import re

from django.db import migrations

PREFIX = "section-"
HEADING_ID = re.compile(r'(<h[2-6]\s(?:[^<>]*?\s)?id=")')
PREFIXED_HEADING_ID = re.compile(r'(<h[2-6]\s(?:[^<>]*?\s)?id=")' + PREFIX)
MODELS = ["CaseStudy"]


def _rewrite(apps, pattern, replacement):
    for name in MODELS:
        model = apps.get_model("casestudies", name)
        changed = []
        for row in model.objects.only("pk", "rendered").iterator(chunk_size=500):
            rendered = {
                key: pattern.sub(replacement, html) if isinstance(html, str) else html
                for key, html in row.rendered.items()
            }
            if rendered != row.rendered:
                row.rendered = rendered
                changed.append(row)
        model.objects.bulk_update(changed, ["rendered"], batch_size=500)


def prefix_heading_ids(apps, schema_editor):
    _rewrite(apps, HEADING_ID, r"\g<1>" + PREFIX)


def unprefix_heading_ids(apps, schema_editor):
    _rewrite(apps, PREFIXED_HEADING_ID, r"\g<1>")


class Migration(migrations.Migration):

    dependencies = [
        ("casestudies", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(prefix_heading_ids, unprefix_heading_ids),
    ]
