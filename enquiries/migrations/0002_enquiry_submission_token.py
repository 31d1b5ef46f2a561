import secrets

from django.db import migrations, models

import enquiries.models


def give_each_enquiry_a_token(apps, schema_editor):
    Enquiry = apps.get_model("enquiries", "Enquiry")
    for enquiry in Enquiry.objects.filter(submission_token__isnull=True).only("pk"):
        enquiry.submission_token = secrets.token_urlsafe(16)
        enquiry.save(update_fields=["submission_token"])


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="enquiry",
            name="submission_token",
            field=models.CharField(editable=False, max_length=64, null=True),
        ),
        migrations.RunPython(give_each_enquiry_a_token, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="enquiry",
            name="submission_token",
            field=models.CharField(
                default=enquiries.models.new_token, editable=False, max_length=64, unique=True
            ),
        ),
        migrations.AddField(
            model_name="historicalenquiry",
            name="submission_token",
            field=models.CharField(
                db_index=True, default=enquiries.models.new_token, editable=False, max_length=64
            ),
        ),
    ]
