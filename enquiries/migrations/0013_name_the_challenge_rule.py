from django.db import migrations

OLD_NAME = "Rights to Provide and local authority leaders go to the Mutuals Team"
NEW_NAME = "Rights to Provide and the Community Right to Challenge go to the Mutuals Team"


def name_what_the_rule_matches(apps, schema_editor):
    """The shipped rule matches words about Rights to Provide and the Community Right to
    Challenge, not local authority leaders. Handlers read its name as the reason an enquiry
    reached them, and load_content finds shipped rules by name, so the name changes here."""
    RoutingRule = apps.get_model("enquiries", "RoutingRule")
    if not RoutingRule.objects.filter(name=NEW_NAME).exists():
        RoutingRule.objects.filter(name=OLD_NAME).update(name=NEW_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0012_note_by_the_service"),
    ]

    operations = [
        migrations.RunPython(name_what_the_rule_matches, migrations.RunPython.noop),
    ]
