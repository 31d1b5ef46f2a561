"""Every existing content item starts its public history with "First published".

The note, and the item's public "Last updated" date, take the date the row was created. Items
that already have a note are left alone, so running this again changes nothing.
"""

from django.db import migrations
from django.db.models import F

CONTENT = [
    ("portal", "Page"),
    ("guides", "Stage"),
    ("guides", "Task"),
    ("guides", "Resource"),
    ("casestudies", "Mutual"),
    ("casestudies", "CaseStudy"),
]


def add_first_published_notes(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ChangeNote = apps.get_model("portal", "ChangeNote")
    for app_label, model_name in CONTENT:
        model = apps.get_model(app_label, model_name)
        if not model.objects.exists():
            continue
        model.objects.update(public_updated_at=F("created"))
        content_type, _ = ContentType.objects.get_or_create(
            app_label=app_label, model=model_name.lower()
        )
        noted = ChangeNote.objects.filter(content_type=content_type).values("object_id")
        ChangeNote.objects.bulk_create(
            ChangeNote(
                content_type=content_type,
                object_id=pk,
                note="First published",
                published_at=created,
            )
            for pk, created in model.objects.exclude(pk__in=noted).values_list("pk", "created")
        )


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("portal", "0008_change_notes"),
        ("guides", "0006_change_notes_and_schedule"),
        ("casestudies", "0005_change_notes_and_schedule"),
    ]

    operations = [
        migrations.RunPython(add_first_published_notes, migrations.RunPython.noop, elidable=True)
    ]
