"""The directory of mutuals: filters, sorting, the chart and its numbers."""

import re

import pytest
from django.urls import reverse

from casestudies.filters import CaseStudyFilterSet, MutualFilterSet
from portal.core.publishing import Status


@pytest.fixture
def directory_url(db):
    return reverse("casestudies:mutual-list")


def names(response):
    return [m.name for m in response.context["page"].object_list]


@pytest.fixture
def mutuals(make_mutual, make_service_area, make_case_study):
    health, youth = make_service_area("Health"), make_service_area("Youth services")
    rows = [
        make_mutual(
            name="Swindon co-op",
            service_area=health,
            region="south-west",
            progress="developing",
            legal_form="co-operative",
            year_spun_out=2011,
        ),
        make_mutual(
            name="Essex CIC",
            service_area=health,
            region="east-of-england",
            progress="trading",
            legal_form="community-interest-company",
            year_spun_out=2012,
        ),
        make_mutual(name="Kensington youth", service_area=youth, region="london"),
        make_mutual(name="Awarding body"),
    ]
    make_mutual(name="Draft mutual", status=Status.DRAFT, service_area=health)
    make_case_study(title="Essex story", slug="essex-story", mutual=rows[1])
    return rows


def test_directory_lists_published_mutuals_in_a_table(client, directory_url, mutuals):
    response = client.get(directory_url)
    html = response.content.decode()

    assert response.status_code == 200
    assert len(re.findall(r"<h1\b", html)) == 1
    assert names(response) == ["Awarding body", "Essex CIC", "Kensington youth", "Swindon co-op"]
    assert "Draft mutual" not in html
    assert "4 mutuals" in html
    assert '<caption class="govuk-table__caption govuk-table__caption--m"' in html
    assert '<meta name="description"' in html


def test_unknown_facts_say_not_known(client, directory_url, mutuals):
    html = client.get(directory_url).content.decode()
    row = re.search(
        r'<tr class="govuk-table__row" id="mutual-awarding-body">(.*?)</tr>', html, re.S
    )
    cells = re.findall(r'<td class="govuk-table__cell">(.*?)</td>', row.group(1), re.S)

    assert cells[:5] == ["Not known"] * 5
    assert cells[5] == "None recorded"
    assert cells[6] == "None yet"


def test_links_to_the_case_study_where_there_is_one(client, directory_url, mutuals):
    html = client.get(directory_url).content.decode()
    url = reverse("casestudies:case-study-detail", kwargs={"slug": "essex-story"})
    assert (
        f'href="{url}">Read the case study<span class="govuk-visually-hidden"> of Essex CIC' in html
    )


def test_a_draft_case_study_is_not_linked(client, directory_url, make_mutual, make_case_study):
    mutual = make_mutual(name="Only a draft")
    make_case_study(mutual=mutual, status=Status.DRAFT)
    html = client.get(directory_url).content.decode()
    assert "Read the case study" not in html


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"service_area": "health"}, ["Essex CIC", "Swindon co-op"]),
        ({"region": "london"}, ["Kensington youth"]),
        ({"status": "trading"}, ["Essex CIC"]),
        ({"legal_form": "co-operative"}, ["Swindon co-op"]),
        ({"region": ["london", "south-west"]}, ["Kensington youth", "Swindon co-op"]),
        ({"service_area": "health", "status": "developing"}, ["Swindon co-op"]),
    ],
)
def test_filters(client, directory_url, mutuals, query, expected):
    assert names(client.get(directory_url, query)) == expected


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Awarding body", "Essex CIC", "Kensington youth", "Swindon co-op"]),
        ("-name", ["Swindon co-op", "Kensington youth", "Essex CIC", "Awarding body"]),
        # Not known comes last either way.
        ("region", ["Essex CIC", "Kensington youth", "Swindon co-op", "Awarding body"]),
        ("-region", ["Swindon co-op", "Kensington youth", "Essex CIC", "Awarding body"]),
        ("year", ["Swindon co-op", "Essex CIC", "Awarding body", "Kensington youth"]),
        ("-year", ["Essex CIC", "Swindon co-op", "Awarding body", "Kensington youth"]),
    ],
)
def test_sorting(client, directory_url, mutuals, sort, expected):
    assert names(client.get(directory_url, {"sort": sort})) == expected


def test_sort_links_keep_the_filters_and_toggle_direction(client, directory_url, mutuals):
    html = client.get(directory_url, {"region": "london", "sort": "name"}).content.decode()

    assert 'aria-sort="ascending"><a class="govuk-link app-sort-link" href="' in html
    assert f'href="{directory_url}?region=london&amp;sort=-name"' in html
    assert f'href="{directory_url}?region=london&amp;sort=year"' in html
    # The filter form carries the sort, so applying filters keeps it.
    assert '<input type="hidden" name="sort" value="name">' in html


@pytest.mark.parametrize(
    "query",
    [
        {"sort": "DROP TABLE"},
        {"region": "atlantis"},
        {"status": ["spun-out", "<b>"]},
        {"service_area": "x" * 1000},
        {"page": "abc"},
        {"page": "0"},
        {"page": "500"},
        {"legal_form": "\x00"},
    ],
)
def test_bad_values_never_give_an_error(client, directory_url, mutuals, query):
    response = client.get(directory_url, query)
    assert response.status_code == 200
    assert response.context["notices"]


def test_chart_numbers_match_the_table(client, directory_url, mutuals):
    response = client.get(directory_url, {"region": ["south-west", "east-of-england", "london"]})
    rows = list(response.context["page"].object_list)
    by_area = {b.label: b.count for b in response.context["service_area_bars"]}
    by_status = {b.label: b.count for b in response.context["status_bars"]}

    assert by_area == {"Health": 2, "Youth services": 1}
    assert by_status == {"Developing": 1, "Trading": 1, "Not known": 1}
    assert sum(by_area.values()) == sum(by_status.values()) == len(rows)
    html = response.content.decode()
    # The numbers are text on the page, not only bar lengths.
    assert re.search(
        r'Health</th>\s*<td class="govuk-table__cell"><span class="app-chart__row">'
        r'<span class="app-chart__value">2</span>',
        html,
    )
    assert "<caption" in html and "Mutuals by service area" in html and "Mutuals by status" in html


def test_chart_bars_are_sized_by_class_not_inline_style(client, directory_url, mutuals):
    html = client.get(directory_url).content.decode()
    assert "app-chart__bar--w100" in html
    assert "app-chart__bar--w50" in html
    assert "style=" not in html


def test_downloads_carry_the_same_filters(client, directory_url, mutuals):
    html = client.get(directory_url, {"region": "london", "sort": "-name"}).content.decode()
    csv_url = reverse("casestudies:mutual-export-csv")
    assert f'href="{csv_url}?region=london&amp;sort=-name"' in html
    assert "Open Government Licence" in html


def test_directory_pages_keep_filters(client, directory_url, make_mutual):
    for n in range(55):
        make_mutual(name=f"Mutual {n:02}", region="london")

    first = client.get(directory_url, {"region": "london"})
    second = client.get(directory_url, {"region": "london", "page": 2})

    assert len(first.context["page"].object_list) == 50
    assert len(second.context["page"].object_list) == 5
    assert "region=london&amp;page=2" in first.content.decode()
    # The chart counts every match, not only the page.
    assert second.context["service_area_bars"][0].count == 55


@pytest.mark.parametrize("count", [2, 30])
def test_directory_query_count_does_not_grow(
    client,
    directory_url,
    make_mutual,
    make_service_area,
    make_case_study,
    count,
    django_assert_num_queries,
):
    area = make_service_area("Health")
    for n in range(count):
        mutual = make_mutual(service_area=area, region="london", progress="developing")
        if n % 2:
            make_case_study(mutual=mutual)
    # Service areas for the filter, the count, the page, what happened next to the page's
    # mutuals and the two charts.
    with django_assert_num_queries(6):
        client.get(directory_url, {"region": "london", "sort": "-year"})


def test_sitemap_lists_case_studies_and_the_directory(client, directory_url, mutuals):
    xml = client.get(reverse("sitemap")).content.decode()
    assert f"http://testserver{directory_url}</loc>" in xml
    assert "http://testserver/case-studies/</loc>" in xml
    assert "http://testserver/case-studies/essex-story/</loc>" in xml


def test_filtersets_work_with_no_query_string_at_all(mutuals):
    assert MutualFilterSet().qs.count() == 4
    assert MutualFilterSet().notices() == []
    assert CaseStudyFilterSet().qs.count() == 1


def test_the_directory_and_case_studies_speak_of_the_pathfinders_in_the_past(client, shipped):
    """The Pathfinders' statuses date from 2010; the lists' opening lines say so, not that they
    are on their way now."""
    directory = client.get(reverse("casestudies:mutual-list")).content.decode()
    case_studies = client.get(reverse("casestudies:case-study-list")).content.decode()

    assert "ones that were working towards it" in directory
    assert "on the way" not in directory
    assert "How public sector teams set up, or planned, mutuals" in case_studies
