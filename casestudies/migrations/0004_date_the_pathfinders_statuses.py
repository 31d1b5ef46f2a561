"""Mark the shipped first Mutual Pathfinders as such and date their statuses to 2010.

On a site loaded before statuses carried a year, the 12 Pathfinders (found by their shipped
slugs) get `pathfinder` ticked and, where a status is set and no year is, the year 2010: the
status shipped is the one each had when the Cabinet Office named it. Nothing an editor typed is
overwritten. New mutuals and what happened next come from `load_content`, which needs no
`--reset` for them. Undoing it leaves the rows as they are, since the fields go away anyway.
"""

from django.db import migrations

PATHFINDER_SLUGS = [
    "mansfield-housing-support",
    "newton-rigg-college",
    "swindon-health-and-social-care",
    "north-east-essex-community-health",
    "westminster-childrens-services",
    "hammersmith-and-fulham-childrens-services",
    "kensington-and-chelsea-youth-services",
    "lambeth-resource-centre",
    "leicester-homeless-health",
    "further-education-awarding-body",
    "london-partnership-reducing-multiple-disadvantage",
    "london-and-south-east-learning-disability-team",
]
NAMED_IN = 2010


def date_pathfinders(apps, schema_editor):
    mutual = apps.get_model("casestudies", "Mutual")
    pathfinders = mutual.objects.filter(slug__in=PATHFINDER_SLUGS)
    pathfinders.update(pathfinder=True)
    pathfinders.filter(progress_year__isnull=True).exclude(progress="").update(
        progress_year=NAMED_IN
    )


class Migration(migrations.Migration):

    dependencies = [
        ("casestudies", "0003_mutual_outcomes_and_dated_status"),
    ]

    operations = [
        migrations.RunPython(date_pathfinders, migrations.RunPython.noop),
    ]
