"""Dated statuses and what happened next: the directory, case studies, chart and downloads."""

import csv
import io
import json
import re

import pytest
from django.urls import reverse

from casestudies.charts import by_status
from casestudies.filters import MutualFilterSet
from casestudies.models import Mutual, Outcome


@pytest.fixture
def directory_url(db):
    return reverse("casestudies:mutual-list")


@pytest.fixture
def swindon(make_mutual, make_service_area):
    mutual = make_mutual(
        name="Swindon co-op",
        service_area=make_service_area("Health"),
        region="south-west",
        progress="developing",
        progress_year=2010,
        pathfinder=True,
        place="Swindon",
    )
    # Added out of order: they show oldest first, an undated one last.
    Outcome.objects.create(
        mutual=mutual,
        year=2016,
        description="Contract ended",
        source="Council report, 2016",
    )
    Outcome.objects.create(mutual=mutual, description="Staff moved on")
    Outcome.objects.create(mutual=mutual, year=2011, description="Became SEQOL")
    return mutual


def row_of(html, slug):
    row = re.search(rf'<tr class="govuk-table__row" id="mutual-{slug}">(.*?)</tr>', html, re.S)
    return row.group(1)


def text(html):
    """The words a reader sees: bold runs into its line, other tags break words apart."""
    html = re.sub(r"</?strong>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def read_csv(response):
    body = response.content.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(body)))


def test_a_status_shows_with_the_year_it_was_recorded():
    mutual = Mutual(progress="developing", progress_year=2010)
    assert mutual.status_display == "Developing, in 2010"
    assert Mutual(progress="trading").status_display == "Trading"
    assert Mutual(progress_year=2010).status_display == ""


def test_the_directory_shows_dated_statuses_and_what_happened_next(
    client, directory_url, swindon, make_mutual
):
    make_mutual(name="Quiet mutual", progress="trading")

    html = client.get(directory_url).content.decode()

    row = text(row_of(html, "swindon-co-op"))
    assert "Developing, in 2010" in row
    assert "First Mutual Pathfinder, 2010" in row
    assert "Swindon" in row
    assert (
        "2011: Became SEQOL 2016: Contract ended Source: Council report, 2016 Staff moved on"
        in (row)
    )
    quiet = text(row_of(html, "quiet-mutual"))
    assert "Trading" in quiet and ", in " not in quiet
    assert "None recorded" in quiet
    assert "First Mutual Pathfinder" not in quiet
    assert '<th scope="col" class="govuk-table__header">What happened next</th>' in html


def test_the_status_chart_counts_each_dated_status(client, directory_url, make_mutual):
    make_mutual(progress="developing", progress_year=2010)
    make_mutual(progress="developing", progress_year=2010)
    make_mutual(progress="developing")
    make_mutual(progress="spun-out", progress_year=2014)
    make_mutual(progress="spun-out", progress_year=2006)
    make_mutual()

    response = client.get(directory_url)

    bars = [(bar.label, bar.count) for bar in response.context["status_bars"]]
    assert bars == [
        ("Developing, in 2010", 2),
        ("Developing", 1),
        ("Spun out, in 2006", 1),
        ("Spun out, in 2014", 1),
        ("Not known", 1),
    ]
    chart = response.content.decode().split('id="chart-status"')[1].split("</table>")[0]
    assert ">Developing, in 2010</th>" in chart


def test_the_status_filter_explains_the_dates_and_finds_every_year(
    client, directory_url, make_mutual
):
    make_mutual(name="Then", progress="spun-out", progress_year=2006)
    make_mutual(name="Later", progress="spun-out", progress_year=2016)
    make_mutual(name="Still developing", progress="developing", progress_year=2010)

    response = client.get(directory_url, {"status": "spun-out"})

    assert [m.name for m in response.context["page"].object_list] == ["Later", "Then"]
    html = response.content.decode()
    assert 'aria-describedby="filter-status-hint"' in html
    hint = re.search(r'<div id="filter-status-hint" class="govuk-hint">(.*?)</div>', html)
    assert "Developing, in 2010" in hint.group(1)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"pathfinder": "yes"}, ["Pathfinder"]),
        ({"pathfinder": "no"}, ["Later mutual"]),
        ({"pathfinder": ["yes", "no"]}, ["Later mutual", "Pathfinder"]),
        ({"pathfinder": "perhaps"}, ["Later mutual", "Pathfinder"]),
    ],
)
def test_the_pathfinders_can_be_told_from_the_others(
    client, directory_url, make_mutual, query, expected
):
    make_mutual(name="Pathfinder", pathfinder=True)
    make_mutual(name="Later mutual")

    response = client.get(directory_url, query)

    assert [m.name for m in response.context["page"].object_list] == expected


def test_the_case_study_page_shows_the_dated_status_and_what_happened_next(
    client, swindon, make_case_study
):
    response = client.get(make_case_study(mutual=swindon).get_absolute_url())

    facts = {row["key"]: row["value"] for row in response.context["mutual"].facts()}
    assert facts["Status"] == "Developing, in 2010"
    assert facts["Place"] == "Swindon"
    html = response.content.decode()
    assert '<h2 class="govuk-heading-m" id="what-happened-next">What happened next</h2>' in html
    section = html.split('id="what-happened-next"')[1].split("</ul>")[0]
    assert text(section).endswith(
        "2011: Became SEQOL 2016: Contract ended Source: Council report, 2016 Staff moved on"
    )


def test_no_empty_heading_when_nothing_happened_next(client, make_case_study, make_mutual):
    mutual = make_mutual(progress="developing", progress_year=2010)
    html = client.get(make_case_study(mutual=mutual).get_absolute_url()).content.decode()

    assert "What happened next" not in html
    assert 'id="results"' not in html


def test_the_admin_preview_shows_what_happened_next(editor_client, swindon):
    url = reverse("admin:casestudies_mutual_preview", args=[swindon.pk])
    html = editor_client.get(url).content.decode()
    assert "Developing, in 2010" in html
    assert "2016</strong>: Contract ended" in html


def test_the_csv_carries_the_status_year_and_what_happened_next(client, swindon, make_mutual):
    make_mutual(name="Unknown mutual")

    rows = read_csv(client.get(reverse("casestudies:mutual-export-csv")))

    assert rows[0]["name"] == "Swindon co-op"
    assert rows[0]["status"] == "Developing"
    assert rows[0]["status_year"] == "2010"
    assert rows[0]["place"] == "Swindon"
    assert rows[0]["pathfinder"] == "yes"
    assert rows[0]["outcomes"] == (
        "2011: Became SEQOL; 2016: Contract ended (source: Council report, 2016); Staff moved on"
    )
    assert (rows[1]["status_year"], rows[1]["outcomes"], rows[1]["pathfinder"]) == ("", "", "no")


def test_the_json_carries_the_status_year_and_what_happened_next(client, swindon, make_mutual):
    make_mutual(name="Unknown mutual")

    data = json.loads(client.get(reverse("casestudies:mutual-export-json")).content)

    swindon_row, unknown = data["mutuals"]
    assert swindon_row["status"] == "Developing"
    assert swindon_row["status_year"] == 2010
    assert swindon_row["pathfinder"] is True
    assert swindon_row["outcomes"] == [
        {"year": 2011, "description": "Became SEQOL", "source": None},
        {"year": 2016, "description": "Contract ended", "source": "Council report, 2016"},
        {"year": None, "description": "Staff moved on", "source": None},
    ]
    assert (unknown["status_year"], unknown["outcomes"], unknown["pathfinder"]) == (None, [], False)


def test_a_formula_in_an_outcome_is_neutralised(client, make_mutual):
    mutual = make_mutual(name="Formula")
    Outcome.objects.create(mutual=mutual, description="=HYPERLINK(1)")

    rows = read_csv(client.get(reverse("casestudies:mutual-export-csv")))

    assert rows[0]["outcomes"] == "'=HYPERLINK(1)"


def test_an_editor_records_what_happened_next_in_the_admin(editor_client, make_mutual):
    mutual = make_mutual(name="Essex CIC", progress="developing", progress_year=2010)
    url = reverse("admin:casestudies_mutual_change", args=[mutual.pk])
    form = editor_client.get(url).content.decode()
    assert "What happened next" in form
    assert "Services passed back to the NHS" in form  # the help text's example

    data = {
        "name": "Essex CIC",
        "slug": "essex-cic",
        "parent_body": "",
        "service_area": "",
        "legal_form": "",
        "place": "",
        "region": "",
        "progress": "developing",
        "progress_year": "2010",
        "year_spun_out": "",
        "staff_count": "",
        "contract_value": "",
        "website": "",
        "status": "published",
        "last_reviewed": "2026-11-23",
        "outcomes-TOTAL_FORMS": "1",
        "outcomes-INITIAL_FORMS": "0",
        "outcomes-0-year": "2011",
        "outcomes-0-description": "Became Anglian Community Enterprise CIC",
        "outcomes-0-source": "",
    }
    response = editor_client.post(url, data)

    assert response.status_code == 302
    (outcome,) = mutual.outcomes.all()
    assert (outcome.year, outcome.description, outcome.content_key) == (
        2011,
        "Became Anglian Community Enterprise CIC",
        "",
    )


def test_a_status_year_needs_a_status(editor_client):
    data = {
        "name": "Year only",
        "slug": "year-only",
        "progress": "",
        "progress_year": "2010",
        "status": "draft",
        "last_reviewed": "2026-11-23",
        "outcomes-TOTAL_FORMS": "0",
        "outcomes-INITIAL_FORMS": "0",
    }
    response = editor_client.post(reverse("admin:casestudies_mutual_add"), data)

    assert response.status_code == 200
    assert "progress_year" in response.context["adminform"].form.errors
    assert not Mutual.objects.exists()


def mutuals_with_outcomes(make_mutual, make_service_area, make_case_study, count):
    area = make_service_area("Health")
    for n in range(count):
        mutual = make_mutual(
            service_area=area, region="london", progress="developing", progress_year=2010
        )
        Outcome.objects.create(mutual=mutual, year=2011, description="Became a company")
        Outcome.objects.create(mutual=mutual, year=2016, description="Contract ended")
        if n % 2:
            make_case_study(mutual=mutual)


@pytest.mark.parametrize("count", [2, 30])
def test_directory_queries_stay_flat_as_mutuals_and_outcomes_grow(
    client,
    directory_url,
    make_mutual,
    make_service_area,
    make_case_study,
    count,
    django_assert_num_queries,
):
    mutuals_with_outcomes(make_mutual, make_service_area, make_case_study, count)
    # Service areas, the count, the page, its mutuals' outcomes and the two charts.
    with django_assert_num_queries(6):
        response = client.get(directory_url, {"region": "london"})
    assert response.content.decode().count("Contract ended") == count


@pytest.mark.parametrize("count", [2, 30])
def test_export_queries_stay_flat_as_outcomes_grow(
    client, make_mutual, make_service_area, make_case_study, count, django_assert_num_queries
):
    mutuals_with_outcomes(make_mutual, make_service_area, make_case_study, count)
    for name in ("casestudies:mutual-export-csv", "casestudies:mutual-export-json"):
        # Service areas for the filter, the mutuals, then their outcomes.
        with django_assert_num_queries(3):
            client.get(reverse(name), {"region": "london"})


@pytest.mark.parametrize("count", [1, 20])
def test_case_study_queries_stay_flat_as_outcomes_grow(
    client, make_mutual, make_case_study, make_topic, make_stage, count, django_assert_num_queries
):
    mutual = make_mutual()
    for year in range(2010, 2010 + count):
        Outcome.objects.create(mutual=mutual, year=year, description=f"Event of {year}")
    story = make_case_study(mutual=mutual, topics=[make_topic()], stages=[make_stage()])
    # The story with its mutual, topics, outcomes, stages, related resources and case studies,
    # and the change notes of the story and its mutual.
    with django_assert_num_queries(7):
        client.get(story.get_absolute_url())


def test_the_chart_is_one_query(make_mutual, django_assert_num_queries):
    for year in (2006, 2010, 2014):
        make_mutual(progress="spun-out", progress_year=year)
    filterset = MutualFilterSet()
    with django_assert_num_queries(1):
        by_status(filterset.qs)
