from django import template

from casestudies.models import CaseStudy

register = template.Library()

STAGE_LIMIT = 3


@register.inclusion_tag("casestudies/includes/stage_case_studies.html")
def stage_case_studies(stage):
    """Up to three published case studies that illustrate the stage, in one query."""
    case_studies = (
        CaseStudy.objects.published()
        .for_stage(stage)
        .with_listing_data()
        .order_by("-featured", "-last_reviewed", "title")[:STAGE_LIMIT]
    )
    return {"stage": stage, "case_studies": list(case_studies)}


@register.inclusion_tag("casestudies/includes/featured_case_study.html")
def featured_case_study():
    """The featured case study for the home page (or the latest reviewed), in one query."""
    case_study = (
        CaseStudy.objects.published()
        .with_listing_data()
        .order_by("-featured", "-last_reviewed", "title")
        .first()
    )
    return {"case_study": case_study}
