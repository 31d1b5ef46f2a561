"""The shipped Mutual Pathfinders and case studies, loaded by load_content."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from casestudies.content import CONTENT_FILE, load_casestudies
from casestudies.models import CaseStudy, Mutual, ServiceArea
from portal.core.content import LoadReport, read_toml
from portal.core.publishing import Status
from tests.content_text import says


def load(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def loaded(db):
    return load()


def test_ships_the_twelve_first_wave_pathfinders_others_and_six_case_studies(loaded):
    assert "Mutuals: 24 created, 0 updated, 0 unchanged" in loaded
    assert Mutual.objects.published().count() == 24
    assert Mutual.objects.filter(pathfinder=True).count() == 12
    assert CaseStudy.objects.published().count() >= 6
    assert ServiceArea.objects.count() == 11


def test_no_figures_are_invented(loaded):
    # A year spun out only where the sources give one: none for most Pathfinders.
    given = [
        "swindon-health-and-social-care",
        "north-east-essex-community-health",
        "kensington-and-chelsea-youth-services",
    ]
    dated = Mutual.objects.filter(pathfinder=True, year_spun_out__isnull=False)
    assert not dated.exclude(slug__in=given).exists()
    assert not Mutual.objects.filter(staff_count__isnull=False).exists()
    assert not Mutual.objects.filter(contract_value__isnull=False).exists()
    assert not Mutual.objects.exclude(website="").exists()
    assert not CaseStudy.objects.exclude(pull_quote="").exists()
    # The sources say who ran Newton Rigg (a trust of its staff), not who ran the college.
    newton_rigg = CaseStudy.objects.get(slug="newton-rigg-college-staff-trust")
    assert newton_rigg.service_before.strip() == (
        "In 2010, Newton Rigg College was a college in Cumbria, in the north west of England."
    )


def test_known_facts_are_recorded(loaded):
    swindon = Mutual.objects.get(slug="swindon-health-and-social-care")
    assert swindon.region == Mutual.Region.SOUTH_WEST
    assert swindon.legal_form == Mutual.LegalForm.COOPERATIVE
    essex = Mutual.objects.get(slug="north-east-essex-community-health")
    assert essex.legal_form == Mutual.LegalForm.CIC
    assert essex.region == Mutual.Region.EAST
    assert Mutual.objects.get(slug="newton-rigg-college").region == Mutual.Region.NORTH_WEST
    assert Mutual.objects.get(slug="mansfield-housing-support").region == "east-midlands"
    # The primary care trust ran the services until they moved to the CIC in 2011.
    story = CaseStudy.objects.get(mutual=essex)
    assert essex.year_spun_out == 2011
    assert says(story.service_before, "Until 2011", "Primary Care Trust")
    assert "Until 2010" not in story.service_before
    # Regions the sources do not make clear stay unknown.
    assert Mutual.objects.get(slug="further-education-awarding-body").region == ""


def test_case_studies_are_tagged_with_stages_and_topics_that_exist(loaded):
    for case_study in CaseStudy.objects.all():
        assert case_study.stages.exists(), case_study.slug
        assert case_study.topics.exists(), case_study.slug
        # No section only says that its facts are not known; each story says it started as a
        # 2010 Pathfinder.
        assert not any(
            "results are not yet known" in getattr(case_study, name).lower()
            for name, _ in CaseStudy.SECTIONS
        )
        assert says(case_study.how_they_did_it, "2010", "Cabinet Office", "Pathfinder")


def test_shipped_text_is_plain_and_sentences_are_short(db):
    content = read_toml(CONTENT_FILE)
    for item in content["case_study"]:
        text = " ".join([item["summary"], *(item.get(name, "") for name, _ in CaseStudy.SECTIONS)])
        assert "<" not in text and "click here" not in text.lower(), item["slug"]
        plain = re.sub(r"\[([^\]]+)\]\([^)]+\)", r"\1", text)
        for sentence in re.split(r"(?<=[.!?])\s+", plain):
            assert len(sentence.split()) <= 25, (item["slug"], sentence)


def test_second_load_changes_nothing_and_keeps_admin_edits(loaded):
    CaseStudy.objects.filter(slug="swindon-health-and-social-care-co-operative").update(
        title="Edited in admin"
    )
    output = load()
    assert "Case studies: 0 created, 0 updated, 6 unchanged" in output
    assert CaseStudy.objects.filter(title="Edited in admin").exists()


def test_reset_restores_text_and_tags(loaded):
    story = CaseStudy.objects.get(slug="swindon-health-and-social-care-co-operative")
    story.stages.clear()
    Mutual.objects.filter(slug="lambeth-resource-centre").update(region="")

    output = load("--reset")

    assert story.stages.exists()
    assert Mutual.objects.get(slug="lambeth-resource-centre").region == "london"
    assert "Case studies: 0 created, 1 updated, 5 unchanged" in output


def test_loads_without_the_guide_or_library(db):
    """Missing stages and topics are skipped rather than failing the load."""
    report = LoadReport()
    load_casestudies(reset=False, report=report)

    assert CaseStudy.objects.count() >= 6
    assert not CaseStudy.stages.through.objects.exists()
    assert Mutual.objects.filter(status=Status.PUBLISHED).count() == 24


def test_shipped_case_studies_render(client, loaded):
    for case_study in CaseStudy.objects.published():
        response = client.get(case_study.get_absolute_url())
        assert response.status_code == 200
        assert "Not known" in response.content.decode()
