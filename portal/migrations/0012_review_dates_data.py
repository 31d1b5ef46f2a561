"""Owners and review dates for the content and partners already on the site.

Every row without an owner goes to the Mutuals Team (a group made here if it is not there
yet; `migrate` then keeps it in step with portal/groups.py). Each row's review date is 12
months after its last review, or 6 for the fast-changing topics, as REVIEW_* settings say;
the rule is copied here, as migrations must not import the site's code. Tasks, reviewed until
now with their stage, start from their stage's last review. The public "Last updated" date
(`public_updated_at`) is left as it is.
"""

import calendar

from django.conf import settings
from django.db import migrations
from django.db.models import OuterRef, Subquery

REVIEWABLE = [
    "portal.Page",
    "guides.Stage",
    "guides.Task",
    "guides.Resource",
    "casestudies.Mutual",
    "casestudies.CaseStudy",
    "enquiries.Partner",
]


def add_months(date, months):
    index = date.month - 1 + months
    year, month = date.year + index // 12, index % 12 + 1
    return date.replace(
        year=year, month=month, day=min(date.day, calendar.monthrange(year, month)[1])
    )


def review_due(from_date, topic_slugs):
    short = set(settings.REVIEW_SHORT_PERIOD_TOPICS) & set(topic_slugs)
    months = settings.REVIEW_SHORT_PERIOD_MONTHS if short else settings.REVIEW_PERIOD_MONTHS
    return add_months(from_date, months)


def tasks_reviewed_with_their_stage(apps, schema_editor):
    Stage = apps.get_model("guides", "Stage")
    reviewed = Stage.objects.filter(pk=OuterRef("stage_id")).values("last_reviewed")[:1]
    apps.get_model("guides", "Task").objects.update(last_reviewed=Subquery(reviewed))


def owners_and_review_dates(apps, schema_editor):
    team, _ = apps.get_model("auth", "Group").objects.get_or_create(
        name=settings.REVIEW_DEFAULT_TEAM
    )
    for label in REVIEWABLE:
        model = apps.get_model(label)
        model.objects.filter(owner_user=None, owner_team=None).update(owner_team=team)
        tagged = any(field.name == "topics" for field in model._meta.many_to_many)
        rows = model.objects.filter(review_by=None)
        rows = list(rows.prefetch_related("topics") if tagged else rows)
        for row in rows:
            slugs = [topic.slug for topic in row.topics.all()] if tagged else []
            row.review_by = review_due(row.last_reviewed, slugs)
        model.objects.bulk_update(rows, ["review_by"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("portal", "0011_review_dates"),
        ("guides", "0007_review_dates"),
        ("casestudies", "0006_review_dates"),
        ("enquiries", "0009_review_dates"),
    ]

    operations = [
        migrations.RunPython(tasks_reviewed_with_their_stage, migrations.RunPython.noop),
        migrations.RunPython(owners_and_review_dates, migrations.RunPython.noop),
    ]
