"""The directory's CSV and JSON downloads, and the shared CSV helper."""

import csv
import io
import json

import pytest
from django.urls import reverse

from casestudies.exports import COLUMNS
from portal.core.publishing import Status
from portal.exports import neutralise


@pytest.fixture
def csv_url(db):
    return reverse("casestudies:mutual-export-csv")


@pytest.fixture
def json_url(db):
    return reverse("casestudies:mutual-export-json")


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff"), "a byte order mark lets Excel read UTF-8"
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 20", "'+44 20"),
        ("-1+2", "'-1+2"),
        ("@cmd", "'@cmd"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("Plain text", "Plain text"),
        ("a=b", "a=b"),
        (2011, 2011),
        (None, ""),
        ("", ""),
    ],
)
def test_neutralise(value, expected):
    assert neutralise(value) == expected


def test_csv_is_an_attachment_with_a_stable_header_row(client, csv_url, make_mutual):
    make_mutual(name="Swindon co-op")

    response = client.get(csv_url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mutuals-directory.csv"'
    header = response.content.decode("utf-8").removeprefix("\ufeff").splitlines()[0]
    assert header == (
        "name,came_from,service_area,legal_form,region,status,year_spun_out,staff,"
        "contract_value_gbp,website,case_study_url,licence,status_year,place,pathfinder,outcomes"
    )
    assert header.split(",") == COLUMNS


def test_csv_rows_give_known_facts_and_leave_unknown_ones_empty(
    client, csv_url, make_mutual, make_service_area, make_case_study
):
    mutual = make_mutual(
        name="Essex CIC",
        parent_body="North East Essex Primary Care Trust",
        service_area=make_service_area("Health"),
        legal_form="community-interest-company",
        region="east-of-england",
        progress="developing",
        staff_count=850,
    )
    make_case_study(mutual=mutual, slug="essex-story")
    make_mutual(name="Nothing known")

    rows = read_csv(client.get(csv_url))

    assert rows[0] == {
        "name": "Essex CIC",
        "came_from": "North East Essex Primary Care Trust",
        "service_area": "Health",
        "legal_form": "Community interest company",
        "region": "East of England",
        "status": "Developing",
        "year_spun_out": "",
        "staff": "850",
        "contract_value_gbp": "",
        "website": "",
        "case_study_url": "http://testserver/case-studies/essex-story/",
        "licence": "Open Government Licence v3.0",
        "status_year": "",
        "place": "",
        "pathfinder": "no",
        "outcomes": "",
    }
    unknown = rows[1]
    assert unknown["name"] == "Nothing known"
    known = ("name", "licence", "pathfinder")
    assert {unknown[c] for c in COLUMNS if c not in known} == {""}


def test_csv_uses_the_page_filters_and_sort(client, csv_url, make_mutual):
    make_mutual(name="B London", region="london")
    make_mutual(name="A London", region="london")
    make_mutual(name="Swindon", region="south-west")
    make_mutual(name="Draft London", region="london", status=Status.DRAFT)

    rows = read_csv(client.get(csv_url, {"region": "london", "sort": "-name"}))

    assert [row["name"] for row in rows] == ["B London", "A London"]


def test_csv_neutralises_formula_cells(client, csv_url, make_mutual):
    make_mutual(name='=HYPERLINK("http://example.org")', slug="formula", parent_body="@SUM(1)")
    make_mutual(name="-2+3", slug="minus", parent_body="+cmd")

    rows = read_csv(client.get(csv_url))

    assert {row["name"] for row in rows} == {'\'=HYPERLINK("http://example.org")', "'-2+3"}
    assert {row["came_from"] for row in rows} == {"'@SUM(1)", "'+cmd"}


def test_csv_is_utf8_with_accents_and_symbols_intact(client, csv_url, make_mutual):
    make_mutual(name="Café Co-opérative – £ and ‘quotes’", slug="cafe")

    response = client.get(csv_url)

    assert response.content.startswith(b"\xef\xbb\xbf")
    assert read_csv(response)[0]["name"] == "Café Co-opérative – £ and ‘quotes’"


def test_bad_filters_on_an_export_are_ignored(client, csv_url, json_url, make_mutual):
    make_mutual(name="Kept")
    assert [r["name"] for r in read_csv(client.get(csv_url, {"region": "nowhere"}))] == ["Kept"]
    assert client.get(json_url, {"sort": "<x>", "page": "abc"}).status_code == 200


def test_json_has_the_licence_the_filters_and_the_same_columns(
    client, json_url, make_mutual, make_service_area
):
    health = make_service_area("Health")
    make_mutual(name="Swindon", service_area=health, region="south-west", year_spun_out=2011)
    make_mutual(name="London", region="london")

    response = client.get(json_url, {"service_area": "health"})
    data = json.loads(response.content.decode("utf-8"))

    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="mutuals-directory.json"'
    assert data["licence"].startswith("Open Government Licence v3.0")
    assert data["filters"] == {
        "service_area": ["health"],
        "region": [],
        "status": [],
        "legal_form": [],
        "pathfinder": [],
    }
    assert data["count"] == 1
    (row,) = data["mutuals"]
    assert list(row) == [c for c in COLUMNS if c != "licence"]
    assert row["name"] == "Swindon"
    assert row["year_spun_out"] == 2011
    assert row["staff"] is None


def test_json_keeps_non_ascii_text_readable(client, json_url, make_mutual):
    make_mutual(name="Café – £", slug="cafe")
    body = client.get(json_url).content.decode("utf-8")
    assert "Café – £" in body


@pytest.mark.parametrize("count", [2, 25])
def test_export_query_count_does_not_grow(
    client, csv_url, json_url, make_mutual, make_service_area, count, django_assert_num_queries
):
    area = make_service_area("Health")
    for _ in range(count):
        make_mutual(service_area=area)
    # The service areas for the filter, the mutuals, then what happened next to them.
    with django_assert_num_queries(3):
        client.get(csv_url, {"service_area": "health"})
    with django_assert_num_queries(3):
        client.get(json_url, {"service_area": "health"})
