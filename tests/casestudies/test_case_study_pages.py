"""The case study list, a case study's page, and the links between them and the guide."""

import re

import pytest
from django.urls import reverse

from casestudies.models import Mutual
from portal.core.publishing import Status


@pytest.fixture
def list_url(db):
    return reverse("casestudies:case-study-list")


def titles(response):
    return [cs.title for cs in response.context["page"].object_list]


def h1s(response):
    return len(re.findall(r"<h1\b", response.content.decode()))


def test_list_shows_published_case_studies_with_a_count(list_url, client, make_case_study):
    make_case_study(title="Swindon story")
    make_case_study(title="Essex story")

    response = client.get(list_url)
    html = response.content.decode()

    assert response.status_code == 200
    assert h1s(response) == 1
    assert titles(response) == ["Essex story", "Swindon story"]
    assert "2 case studies" in html
    assert '<meta name="description"' in html


def test_drafts_and_case_studies_of_draft_mutuals_stay_invisible(
    list_url, client, make_case_study, make_mutual
):
    make_case_study(title="Published")
    draft = make_case_study(title="Draft story", status=Status.DRAFT)
    hidden_mutual = make_case_study(title="Of a draft mutual", mutual=make_mutual(status="draft"))

    assert titles(client.get(list_url)) == ["Published"]
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert client.get(hidden_mutual.get_absolute_url()).status_code == 404


def test_filters_by_service_area_stage_and_legal_form(
    list_url, client, make_case_study, make_mutual, make_service_area, make_stage
):
    health, housing = make_service_area("Health"), make_service_area("Housing support")
    explore, appraise = make_stage(), make_stage()
    make_case_study(
        title="Health CIC",
        mutual=make_mutual(service_area=health, legal_form=Mutual.LegalForm.CIC),
        stages=[explore],
    )
    make_case_study(
        title="Housing co-op",
        mutual=make_mutual(service_area=housing, legal_form=Mutual.LegalForm.COOPERATIVE),
        stages=[explore, appraise],
    )

    assert titles(client.get(list_url, {"service_area": "health"})) == ["Health CIC"]
    assert titles(client.get(list_url, {"stage": appraise.slug})) == ["Housing co-op"]
    # Ticking both stages lists a study with both once.
    both = client.get(list_url, {"stage": [explore.slug, appraise.slug]})
    assert titles(both) == ["Health CIC", "Housing co-op"]
    assert titles(client.get(list_url, {"legal_form": "co-operative"})) == ["Housing co-op"]
    assert (
        titles(client.get(list_url, {"service_area": "health", "legal_form": "co-operative"})) == []
    )


@pytest.mark.parametrize(
    "query",
    [
        {"service_area": "no-such-area"},
        {"stage": "<script>"},
        {"legal_form": ["co-operative", "x" * 500]},
        {"page": "abc"},
        {"page": "-3"},
        {"page": "99999999999999999999"},
        {"service_area": "\x00"},
    ],
)
def test_bad_filter_values_never_give_an_error(list_url, client, make_case_study, query):
    make_case_study()

    response = client.get(list_url, query)

    assert response.status_code == 200
    assert response.context["notices"], "the visitor is told something was ignored"


def test_unknown_values_are_ignored_but_known_ones_kept(
    list_url, client, make_case_study, make_mutual
):
    make_case_study(title="Co-op", mutual=make_mutual(legal_form="co-operative"))
    make_case_study(title="CIC", mutual=make_mutual(legal_form="community-interest-company"))

    response = client.get(list_url, {"legal_form": ["co-operative", "bogus"]})

    assert titles(response) == ["Co-op"]
    assert "We ignored a legal form filter we did not recognise." in response.content.decode()


def test_an_empty_filter_value_is_not_reported_as_ignored(list_url, client, make_case_study):
    make_case_study(title="Swindon story")

    response = client.get(list_url, {"service_area": "", "legal_form": ""})

    assert titles(response) == ["Swindon story"]
    assert response.context["notices"] == []


def test_list_paginates_and_pages_keep_the_filters(list_url, client, make_case_study, make_mutual):
    for _ in range(12):
        make_case_study(mutual=make_mutual(legal_form="co-operative"))

    first = client.get(list_url, {"legal_form": "co-operative"})
    second = client.get(list_url, {"legal_form": "co-operative", "page": 2})

    assert len(first.context["page"].object_list) == 10
    assert len(second.context["page"].object_list) == 2
    assert "legal_form=co-operative&amp;page=2" in first.content.decode()
    assert "(page 2 of 2)" in second.content.decode()


def test_filter_form_works_without_javascript(list_url, client, make_case_study, make_service_area):
    make_case_study(mutual=None)
    make_service_area("Health")

    html = client.get(list_url, {"service_area": "health"}).content.decode()

    assert f'<form method="get" action="{list_url}"' in html
    assert re.search(r'name="service_area" type="checkbox" value="health" checked', html)
    assert "<legend" in html


@pytest.mark.parametrize("count", [1, 15])
def test_list_query_count_does_not_grow(
    list_url,
    client,
    make_case_study,
    make_mutual,
    make_service_area,
    make_stage,
    count,
    django_assert_num_queries,
):
    area = make_service_area("Health")
    stage = make_stage()
    for _ in range(count):
        make_case_study(mutual=make_mutual(service_area=area), stages=[stage])
    # Service areas and stages for the filters, the count and the page.
    with django_assert_num_queries(4):
        client.get(list_url, {"stage": stage.slug})


def test_case_study_page_tells_the_story_in_sections(client, make_case_study):
    case_study = make_case_study(
        why_a_mutual="Staff wanted a say.", results="", lessons="## Start early\n\nTalk first."
    )

    response = client.get(case_study.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert h1s(response) == 1
    assert f'<meta name="description" content="{case_study.summary}">' in html
    assert '<h2 class="govuk-heading-l" id="why-a-mutual">Why a mutual</h2>' in html
    assert "Staff wanted a say." in html
    # An empty section is left out; a heading inside a section sits one level below it.
    assert 'id="results"' not in html
    assert '<h3 id="section-lessons-start-early" class="govuk-heading-m">Start early</h3>' in html


def test_unknown_facts_say_not_known_never_zero(client, make_case_study, make_mutual):
    mutual = make_mutual(name="Unknown Facts Mutual")
    response = client.get(make_case_study(mutual=mutual).get_absolute_url())
    facts = {row["key"]: row["value"] for row in response.context["mutual"].facts()}

    assert facts["Year spun out"] == "Not known"
    assert facts["Staff"] == "Not known"
    assert facts["Contract value"] == "Not known"
    assert facts["Region"] == "Not known"
    html = response.content.decode()
    assert html.count("Not known") == 9
    assert ">0<" not in html


def test_known_facts_are_shown(client, make_case_study, make_mutual, make_service_area):
    mutual = make_mutual(
        service_area=make_service_area("Health"),
        region="south-west",
        year_spun_out=2011,
        staff_count=1200,
        contract_value=25_000_000,
        progress="trading",
    )
    html = client.get(make_case_study(mutual=mutual).get_absolute_url()).content.decode()

    for text in ("Health", "South West", "2011", "1,200", "£25,000,000", "Trading"):
        assert text in html


def test_case_study_links_to_its_published_stages(client, make_case_study, make_stage):
    shown = make_stage(title="Explore the idea")
    draft = make_stage(title="Hidden stage", status=Status.DRAFT)
    html = client.get(make_case_study(stages=[shown, draft]).get_absolute_url()).content.decode()

    assert f'href="{shown.get_absolute_url()}">Stage {shown.number}: Explore the idea</a>' in html
    assert "Hidden stage" not in html


def test_related_resources_share_a_topic_and_are_published(
    client, make_case_study, make_topic, make_resource
):
    tupe, tax = make_topic("TUPE"), make_topic("Tax")
    make_resource(title="TUPE guide", topics=[tupe])
    make_resource(title="Draft TUPE note", topics=[tupe], status=Status.DRAFT)
    make_resource(title="Tax booklet", topics=[tax])

    response = client.get(make_case_study(topics=[tupe]).get_absolute_url())

    assert [r.title for r in response.context["related_resources"]] == ["TUPE guide"]


def test_related_case_studies_share_a_topic_or_stage(
    client, make_case_study, make_topic, make_stage
):
    tupe = make_topic("TUPE")
    stage = make_stage()
    story = make_case_study(title="Main", topics=[tupe], stages=[stage])
    make_case_study(title="Both", topics=[tupe], stages=[stage])
    make_case_study(title="Stage only", stages=[stage])
    make_case_study(title="Unrelated")
    make_case_study(title="Draft", topics=[tupe], status=Status.DRAFT)

    response = client.get(story.get_absolute_url())

    assert [c.title for c in response.context["related_case_studies"]] == ["Both", "Stage only"]


@pytest.mark.parametrize("count", [1, 10])
def test_case_study_page_query_count_does_not_grow(
    client,
    make_case_study,
    make_topic,
    make_stage,
    make_resource,
    count,
    django_assert_num_queries,
):
    topics = [make_topic() for _ in range(3)]
    stages = [make_stage() for _ in range(2)]
    for _ in range(count):
        make_resource(topics=topics)
        make_case_study(topics=topics, stages=stages)
    story = make_case_study(topics=topics, stages=stages)
    # The story with its mutual, topics, what happened next, stages, related resources, related
    # case studies and the change notes of the story and its mutual.
    with django_assert_num_queries(7):
        client.get(story.get_absolute_url())


def test_a_stage_page_lists_up_to_three_case_studies_that_illustrate_it(
    list_url, client, make_case_study, make_stage, make_task, make_mutual
):
    stage, other = make_stage(), make_stage()
    make_task(stage)
    for n in range(4):
        make_case_study(title=f"Story {n}", stages=[stage], mutual=make_mutual(name=f"Org {n}"))
    make_case_study(title="Other stage story", stages=[other])
    make_case_study(title="Draft story", stages=[stage], status=Status.DRAFT)

    html = client.get(stage.get_absolute_url()).content.decode()

    assert 'id="case-studies">Case studies for this stage</h2>' in html
    assert len(re.findall(r'href="/case-studies/case-study-\d+/"', html)) == 3
    assert "Other stage story" not in html
    assert "Draft story" not in html
    assert "Org 0" in html
    assert f"{list_url}?stage={stage.slug}" in html


def test_a_stage_with_no_case_studies_shows_no_empty_heading(client, make_stage):
    html = client.get(make_stage().get_absolute_url()).content.decode()
    assert "Case studies for this stage" not in html


def test_from_a_stage_to_a_case_study_and_back(client, make_case_study, make_stage):
    stage = make_stage(title="Set up and spin out")
    case_study = make_case_study(title="How Essex spun out", stages=[stage])

    stage_html = client.get(stage.get_absolute_url()).content.decode()
    assert f'href="{case_study.get_absolute_url()}">How Essex spun out</a>' in stage_html

    story_html = client.get(case_study.get_absolute_url()).content.decode()
    assert f'href="{stage.get_absolute_url()}"' in story_html


def test_home_page_shows_the_featured_case_study(client, make_case_study, make_page):
    make_page(slug="home", title="Welcome")
    make_case_study(title="Ordinary")
    make_case_study(title="The featured one", featured=True)

    html = client.get(reverse("portal:home")).content.decode()

    assert "The featured one" in html
    assert "Ordinary" not in html


def test_home_page_without_case_studies_shows_no_block(client, make_page):
    make_page(slug="home", title="Welcome")
    html = client.get(reverse("portal:home")).content.decode()
    assert "featured-case-study-heading" not in html
