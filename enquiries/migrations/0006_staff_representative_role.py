from django.db import migrations, models

# Frozen here on purpose: the role the form no longer offers, and the one that replaces it.
OLD_ROLE = "trade-union"
NEW_ROLE = "staff-representative"
ROLE_CHOICES = [
    ("front-line", "Front-line worker"),
    ("manager", "Manager"),
    ("commissioner", "Commissioner"),
    ("elected-member", "Elected member"),
    ("staff-representative", "Staff representative"),
    ("other", "Other"),
]


def replace_role(roles):
    """The list with the old role replaced by the new one, once, in the same place."""
    replaced = []
    for role in roles:
        role = NEW_ROLE if role == OLD_ROLE else role
        if role not in replaced:
            replaced.append(role)
    return replaced


def stop_recording_trade_union_membership(apps, schema_editor):
    """Saying you are a trade union representative says you belong to a trade union, which
    is special category data. Every stored answer, in enquiries and in their history, becomes
    "Staff representative", and so does every routing rule that matched the old answer, so
    the same enquiries still go to the same place.
    """
    for model in ("Enquiry", "HistoricalEnquiry"):
        apps.get_model("enquiries", model).objects.filter(role=OLD_ROLE).update(role=NEW_ROLE)
    for model in ("RoutingRule", "HistoricalRoutingRule"):
        # JSON lists cannot be searched alike on every database; there are only a few rules.
        for rule in apps.get_model("enquiries", model).objects.only("pk", "roles"):
            if OLD_ROLE in (rule.roles or []):
                rule.roles = replace_role(rule.roles)
                rule.save(update_fields=["roles"])


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0005_retire_historical_partners"),
    ]

    operations = [
        migrations.AlterField(
            model_name="enquiry",
            name="role",
            field=models.CharField(choices=ROLE_CHOICES, max_length=30),
        ),
        migrations.AlterField(
            model_name="historicalenquiry",
            name="role",
            field=models.CharField(choices=ROLE_CHOICES, max_length=30),
        ),
        # Not undone: turning staff representatives back into trade union members would
        # record a union membership that some of them never told us about.
        migrations.RunPython(stop_recording_trade_union_membership, migrations.RunPython.noop),
    ]
