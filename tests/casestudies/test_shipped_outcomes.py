"""The shipped mutuals as they are now: dated statuses, what happened next, the other mutuals,
and bringing them to a site loaded before they existed."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from casestudies.models import CaseStudy, Mutual, Outcome, ServiceArea

BEFORE = [("casestudies", "0002_prefix_heading_ids")]
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
OUTCOMES = {
    ("newton-rigg-college", 2021, "The college campus closed"),
    ("swindon-health-and-social-care", 2011, "Became SEQOL"),
    (
        "swindon-health-and-social-care",
        2016,
        "Contract ended and the services passed back to the NHS",
    ),
    ("north-east-essex-community-health", 2011, "Became Anglian Community Enterprise CIC"),
    ("kensington-and-chelsea-youth-services", 2014, "Became Epic CIC"),
    (
        "leicester-homeless-health",
        None,
        "Became Inclusion Healthcare, a social enterprise for people who are homeless",
    ),
}


def load(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def snapshot():
    """Every row the case studies' content makes, as plain values."""
    return {
        "areas": sorted(ServiceArea.objects.values_list("slug", "name", "position")),
        "mutuals": sorted(
            Mutual.objects.values_list(
                "slug", "name", "progress", "progress_year", "year_spun_out", "pathfinder"
            )
        ),
        "outcomes": sorted(
            Outcome.objects.values_list("pk", "mutual__slug", "year", "description", "source"),
            key=str,
        ),
        "case_studies": sorted(CaseStudy.objects.values_list("slug", "results", "lessons")),
    }


def shipped_outcomes():
    return set(Outcome.objects.values_list("mutual__slug", "year", "description"))


@pytest.fixture
def loaded(db):
    return load()


def test_the_pathfinders_keep_their_2010_status_with_its_year(loaded):
    pathfinders = Mutual.objects.filter(pathfinder=True)
    assert sorted(pathfinders.values_list("slug", flat=True)) == sorted(PATHFINDER_SLUGS)
    assert set(pathfinders.values_list("progress_year", flat=True)) == {2010}
    assert Mutual.objects.get(slug="lambeth-resource-centre").status_display == (
        "Exploring, in 2010"
    )


def test_what_happened_next_is_shipped_as_the_sources_give_it(loaded):
    assert shipped_outcomes() == OUTCOMES
    # No source is named in the sources, so none is shipped.
    assert not Outcome.objects.exclude(source="").exists()
    years = dict(Mutual.objects.filter(pathfinder=True).values_list("slug", "year_spun_out"))
    assert {slug: year for slug, year in years.items() if year} == {
        "swindon-health-and-social-care": 2011,
        "north-east-essex-community-health": 2011,
        "kensington-and-chelsea-youth-services": 2014,
    }


@pytest.mark.parametrize(
    ("slug", "facts"),
    [
        (
            "central-surrey-health",
            {"year_spun_out": 2006, "service_area__slug": "health", "place": "", "region": ""},
        ),
        (
            "greenwich-leisure-limited",
            {"year_spun_out": 1993, "service_area__slug": "leisure", "legal_form": ""},
        ),
        (
            "city-health-care-partnership",
            {"year_spun_out": 2010, "place": "Hull", "legal_form": "community-interest-company"},
        ),
        ("your-healthcare", {"year_spun_out": 2010, "place": "Kingston", "region": "london"}),
        ("bristol-community-health", {"year_spun_out": 2011, "place": "Bristol"}),
        (
            "sirona-care-and-health",
            {"year_spun_out": 2011, "place": "Bath and North East Somerset"},
        ),
        ("locala-community-partnerships", {"year_spun_out": 2011, "place": "Kirklees"}),
        (
            "suffolk-libraries",
            {"year_spun_out": 2012, "legal_form": "community-benefit-society"},
        ),
        (
            "achieving-for-children",
            {"year_spun_out": 2014, "service_area__slug": "childrens-services"},
        ),
        (
            "explore-york-libraries-and-archives",
            {"year_spun_out": 2014, "legal_form": "community-benefit-society", "place": "York"},
        ),
        (
            "leading-lives",
            {"year_spun_out": 2014, "service_area__slug": "adult-social-care", "legal_form": ""},
        ),
        ("libraries-unlimited", {"year_spun_out": 2016, "legal_form": "charity", "place": "Devon"}),
    ],
)
def test_the_other_mutuals_carry_only_the_facts_given(loaded, slug, facts):
    row = Mutual.objects.filter(slug=slug).values(
        "pathfinder", "progress", "progress_year", "staff_count", "contract_value", *facts
    )[0]
    assert row.pop("pathfinder") is False
    assert (row.pop("progress"), row.pop("progress_year")) == ("spun-out", facts["year_spun_out"])
    assert (row.pop("staff_count"), row.pop("contract_value")) == (None, None)
    assert row == facts


def test_the_directory_shows_more_than_the_twelve_pathfinders(client, loaded):
    response = client.get(reverse("casestudies:mutual-list"))
    html = response.content.decode()

    assert response.context["page"].paginator.count == 24
    assert "24 mutuals" in html
    assert html.count("First Mutual Pathfinder, 2010") == 12
    assert html.count('<td class="govuk-table__cell">Developing, in 2010</td>') == 11
    assert ">Spun out, in 1993<" in html
    assert "<strong>2016</strong>: Contract ended and the services passed back to the NHS" in html


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ({"service_area": "libraries"}, 3),
        ({"service_area": "health"}, 7),
        ({"region": "yorkshire-and-the-humber"}, 3),
        ({"region": "london"}, 7),
        ({"status": "spun-out"}, 12),
        ({"status": "developing"}, 11),
        ({"legal_form": "community-interest-company"}, 9),
        ({"pathfinder": "yes"}, 12),
        ({"pathfinder": "no", "region": "east-of-england"}, 2),
    ],
)
def test_filters_work_with_the_new_mutuals(client, loaded, query, count):
    response = client.get(reverse("casestudies:mutual-list"), query)
    assert response.context["page"].paginator.count == count
    assert sum(bar.count for bar in response.context["status_bars"]) == count


def test_no_case_study_shows_an_empty_or_not_known_section(client, loaded):
    for case_study in CaseStudy.objects.published():
        html = client.get(case_study.get_absolute_url()).content.decode()
        story = html.split('class="app-cs-story"')[1].split('id="stages"')[0]
        assert "not yet known" not in story.lower(), case_study.slug
        # Every heading in the story has text under it.
        assert not re.search(r"</h2>\s*<div class=\"app-prose\">\s*</div>", story)
    mansfield = CaseStudy.objects.get(slug="mansfield-housing-support-social-enterprise")
    html = client.get(mansfield.get_absolute_url()).content.decode()
    assert 'id="results"' not in html
    assert "What happened next" not in html


def test_the_swindon_story_tells_how_seqol_ended_and_what_it_teaches(client, loaded):
    story = CaseStudy.objects.get(slug="swindon-health-and-social-care-co-operative")
    html = client.get(story.get_absolute_url()).content.decode()

    assert "Developing, in 2010" in html
    assert "<strong>2011</strong>: Became SEQOL" in html
    results = html.split('id="results"')[1].split("</div>")[0]
    assert "2016" in results and "NHS" in results
    assert ">A contract can end</h3>" in html


def test_loading_twice_gives_the_same_rows(loaded):
    before = snapshot()

    output = load()

    assert snapshot() == before
    assert "Mutuals: 0 created, 0 updated, 24 unchanged" in output
    assert "What happened next: 0 created, 0 updated, 6 unchanged" in output
    assert "Service areas: 0 created, 0 updated, 11 unchanged" in output


def test_an_edited_outcome_is_kept_and_never_doubled_and_reset_restores_it(loaded):
    seqol = Outcome.objects.get(content_key="services-back-to-the-nhs")
    seqol.description = "Contract ended; the NHS took the services back"
    seqol.save()
    mutual = seqol.mutual
    Outcome.objects.create(mutual=mutual, year=2017, description="An editor's own event")

    load()
    assert mutual.outcomes.count() == 3
    assert mutual.outcomes.filter(description__startswith="Contract ended;").exists()

    output = load("--reset")
    assert "What happened next: 0 created, 1 updated, 5 unchanged" in output
    assert sorted(mutual.outcomes.values_list("description", flat=True)) == [
        "An editor's own event",
        "Became SEQOL",
        "Contract ended and the services passed back to the NHS",
    ]


def migrate(targets):
    """Move the test database to the given migrations; the apps as they were then."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_latest():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.fixture
def back_to_latest():
    """Leave the database fully migrated for the tests that follow."""
    yield
    migrate_to_latest()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("back_to_latest")
def test_an_existing_site_gets_dates_outcomes_and_the_other_mutuals_without_reset(client):
    apps = migrate(BEFORE)
    OldMutual = apps.get_model("casestudies", "Mutual")
    for slug in PATHFINDER_SLUGS:
        OldMutual.objects.create(
            name=slug.replace("-", " ").capitalize(),
            slug=slug,
            progress="exploring" if slug == "lambeth-resource-centre" else "developing",
            status="published",
        )
    # An editor had already changed one Pathfinder's status and name: both are kept.
    OldMutual.objects.filter(slug="westminster-childrens-services").update(
        name="Edited in the admin", progress=""
    )
    OldMutual.objects.create(
        name="An editor's own mutual", slug="own", progress="trading", status="published"
    )

    DatedMutual = migrate([("casestudies", "0004_date_the_pathfinders_statuses")]).get_model(
        "casestudies", "Mutual"
    )

    pathfinders = DatedMutual.objects.filter(pathfinder=True)
    assert sorted(pathfinders.values_list("slug", flat=True)) == sorted(PATHFINDER_SLUGS)
    assert set(pathfinders.exclude(progress="").values_list("progress_year", flat=True)) == {2010}
    westminster = DatedMutual.objects.get(slug="westminster-childrens-services")
    assert (westminster.progress, westminster.progress_year) == ("", None)
    own = DatedMutual.objects.get(slug="own")
    assert (own.pathfinder, own.progress_year) == (False, None)
    migrate_to_latest()

    output = load()

    assert "Mutuals: 12 created, 0 updated, 12 unchanged" in output
    assert "What happened next: 6 created, 0 updated, 0 unchanged" in output
    assert shipped_outcomes() == OUTCOMES
    assert Mutual.objects.get(slug="westminster-childrens-services").name == "Edited in the admin"
    html = client.get(reverse("casestudies:mutual-list")).content.decode()
    assert "25 mutuals" in html
    assert ">Developing, in 2010<" in html
    assert "<strong>2014</strong>: Became Epic CIC" in html

    before = snapshot()
    assert "What happened next: 0 created, 0 updated, 6 unchanged" in load()
    assert snapshot() == before
