from django import template

from enquiries.models import Partner

register = template.Library()


@register.simple_tag
def partners_for_stage(stage):
    """The active partners that help at this stage, the Mutuals Team first: one query."""
    return list(Partner.objects.for_stage(stage).only("name", "slug", "helps_with", "is_fallback"))
