from django.db import migrations

# Frozen here on purpose: what partners.toml shipped before this change, and what it ships now.
HISTORICAL_PARTNER_SLUGS = ("public-service-mutuals", "community-empowerment-group")
RENAMED_RULES = {
    "Legal, TUPE and pensions questions go to Public Service Mutuals": (
        "Legal, TUPE and pensions questions go to the Mutuals Team, which refers them on"
    ),
    "Back-office services go to Community Empowerment Group": (
        "Back-office services go to the Mutuals Team, which refers them on"
    ),
}
BAXI_SLUG = "baxi-partnership"
BAXENDALE_NAME = "Baxendale (formerly Baxi Partnership)"


def retire_historical_partners(apps, schema_editor):
    """Public Service Mutuals and the Community Empowerment Group no longer take enquiries.

    Their rows stay, because old enquiries point at them, but they are made inactive, which
    hides them and takes them out of routing. Their rules go to the partner that answers
    everything else, renamed as partners.toml now names them so load_content finds them.
    """
    Partner = apps.get_model("enquiries", "Partner")
    RoutingRule = apps.get_model("enquiries", "RoutingRule")
    historical = Partner.objects.filter(slug__in=HISTORICAL_PARTNER_SLUGS)
    fallback = Partner.objects.filter(is_fallback=True).exclude(pk__in=historical).first()
    for rule in RoutingRule.objects.filter(destination__in=historical):
        if fallback is None:
            rule.is_active = False  # nowhere to send it: routing then skips it
        else:
            rule.destination = fallback
            rule.copy_mutuals_team = False  # the Mutuals Team gets it already
        new_name = RENAMED_RULES.get(rule.name)
        if new_name and not RoutingRule.objects.filter(name=new_name).exists():
            rule.name = new_name
        rule.save()
    historical.update(is_active=False)

    name_taken = Partner.objects.filter(name=BAXENDALE_NAME).exclude(slug=BAXI_SLUG).exists()
    if not name_taken:
        Partner.objects.filter(slug=BAXI_SLUG).update(name=BAXENDALE_NAME)


class Migration(migrations.Migration):
    dependencies = [
        ("enquiries", "0004_see_every_enquiry_and_stuck_email"),
    ]

    operations = [
        # Nothing to undo: the old partners stay inactive and the rules where they are.
        migrations.RunPython(retire_historical_partners, migrations.RunPython.noop),
    ]
