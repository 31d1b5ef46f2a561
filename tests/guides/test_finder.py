import datetime
import re
from html import unescape
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from django.http import QueryDict
from django.urls import reverse

from guides.library.filters import ResourceFilterSet, rank_search
from guides.library.search_index import update_search_vectors
from guides.library.views import RESULTS_PER_PAGE
from guides.models import Publisher, Resource, Topic
from portal.cache import bump_content_version
from portal.core.publishing import Status
from portal.core.querystring import MAX_SEARCH_LENGTH
from portal.core.search import KeptSearches
from portal.core.time_limit import has_time_limit

pytestmark = pytest.mark.django_db

LIST_URL = reverse("guides:resource-list")


@pytest.fixture
def library(make_topic, make_publisher, make_stage, make_resource):
    """Six published resources and a draft, tagged so each filter has something to tell apart."""
    tupe, pensions, tax = make_topic("TUPE"), make_topic("Pensions"), make_topic("Tax")
    explore = make_stage(title="Explore the idea", slug="explore-the-idea")
    spin_out = make_stage(title="Set up and spin out", slug="set-up-and-spin-out")
    cabinet, treasury = make_publisher("Cabinet Office"), make_publisher("HM Treasury")
    guide, template = Resource.Type.GUIDE, Resource.Type.TEMPLATE
    rows = [
        ("staff-transfers", "Staff transfers", [tupe], [spin_out], guide, cabinet),
        (
            "fair-deal",
            "The Fair Deal for pensions: an overview",
            [pensions],
            [spin_out],
            guide,
            treasury,
        ),
        (
            "pension-letter",
            "Pension letter template",
            [pensions, tupe],
            [spin_out],
            template,
            cabinet,
        ),
        ("tax-basics", "Tax basics", [tax], [explore], guide, treasury),
        ("business-plan", "Business plan template", [], [explore], template, None),
        ("vat-guide", "VAT for mutuals", [tax], [], guide, cabinet),
    ]
    resources = {}
    for slug, title, topics, stages, resource_type, publisher in rows:
        resources[slug] = make_resource(
            slug=slug, title=title, topics=topics, stages=stages,
            resource_type=resource_type, publisher=publisher,
        )  # fmt: skip
    make_resource(slug="draft", title="Draft pensions note", topics=[pensions],
                  status=Status.DRAFT)  # fmt: skip
    return resources


def get(client, url=LIST_URL, **params):
    response = client.get(url, params)
    assert response.status_code == 200
    return response


def result_slugs(response):
    """The slugs of the listed results, in order."""
    return [resource.slug for resource in response.context["page"].object_list]


def option_counts(response, name):
    facet = next(f for f in response.context["filterset"].facets if f.name == name)
    return {option.value: option.count for option in facet.options}


def notices(response):
    return response.context["notices"]


# Filtering -------------------------------------------------------------------------------


def test_without_filters_every_published_resource_is_listed(client, library):
    response = get(client)

    assert sorted(result_slugs(response)) == sorted(library)
    assert "6 resources" in response.content.decode()


def test_values_within_one_filter_are_ored(client, library):
    response = get(client, topic=["tupe", "tax"])

    assert sorted(result_slugs(response)) == [
        "pension-letter", "staff-transfers", "tax-basics", "vat-guide",
    ]  # fmt: skip


def test_filters_are_anded_across(client, library):
    response = get(client, topic=["tupe", "pensions"], type="template", publisher="cabinet-office")

    assert result_slugs(response) == ["pension-letter"]
    assert "1 resource<" in response.content.decode()


def test_stage_filter(client, library):
    assert sorted(result_slugs(get(client, stage="explore-the-idea"))) == [
        "business-plan", "tax-basics",
    ]  # fmt: skip


def test_drafts_are_never_listed_or_counted(client, library):
    response = get(client, topic="pensions")

    assert "draft" not in result_slugs(response)
    assert option_counts(get(client), "topic")["pensions"] == 2


# Option counts -------------------------------------------------------------------------------


def test_each_option_counts_the_results_ticking_it_would_give(client, library):
    response = get(client)

    assert option_counts(response, "topic") == {"pensions": 2, "tax": 2, "tupe": 2}
    assert option_counts(response, "type") == {"guide": 4, "template": 2}
    assert option_counts(response, "publisher") == {"cabinet-office": 3, "hm-treasury": 2}
    assert option_counts(response, "stage") == {"explore-the-idea": 2, "set-up-and-spin-out": 3}


def test_counts_follow_the_other_filters(client, library):
    response = get(client, type="template")

    # Only templates remain, so each topic counts its templates.
    assert option_counts(response, "topic") == {"pensions": 1, "tax": 0, "tupe": 1}
    assert option_counts(response, "publisher") == {"cabinet-office": 1, "hm-treasury": 0}
    # A filter's own counts ignore its own selection: ticking Guide as well would give all 6.
    assert option_counts(response, "type") == {"guide": 6, "template": 2}


def test_counts_within_a_filter_add_to_its_current_selection(client, library):
    response = get(client, topic="tax", type="guide")

    # Tax guides (2), or TUPE guides (staff-transfers) too: 3.
    assert option_counts(response, "topic") == {"pensions": 3, "tax": 2, "tupe": 3}
    assert option_counts(response, "type") == {"guide": 2, "template": 2}


def test_counts_follow_the_search(client, library):
    response = get(client, q="pension")

    assert option_counts(response, "topic")["pensions"] == 2
    assert option_counts(response, "topic")["tax"] == 0


def test_counts_are_shown_beside_each_option_with_context_for_screen_readers(client, library):
    html = get(client).content.decode()

    assert re.search(
        r'for="topic-1">\s*Pensions <span class="app-finder__count">\(2'
        r'<span class="govuk-visually-hidden"> results</span>\)',
        html,
    )


def test_options_with_no_published_resources_are_not_offered(client, library, make_topic):
    make_topic("Procurement")

    assert "procurement" not in option_counts(get(client), "topic")


# Sorting -------------------------------------------------------------------------------------


def test_newest_first_by_default_with_unknown_dates_last(client, library):
    dates = {"tax-basics": datetime.date(2020, 1, 1), "fair-deal": datetime.date(2024, 6, 1)}
    for slug, date in dates.items():
        Resource.objects.filter(slug=slug).update(published_on=date)

    slugs = result_slugs(get(client))

    assert slugs[:2] == ["fair-deal", "tax-basics"]
    assert len(slugs) == 6


def test_among_equal_dates_a_review_does_not_move_a_resource_up_but_a_major_change_does(
    client, library
):
    Resource.objects.update(published_on=None)
    slugs = list(Resource.objects.published().order_by("title").values_list("slug", flat=True))
    start = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)
    for n, slug in enumerate(slugs):
        # Each updated later in public than the one before, and reviewed earlier.
        Resource.objects.filter(slug=slug).update(
            public_updated_at=start + datetime.timedelta(days=n),
            last_reviewed=datetime.date(2026, 11, 30) - datetime.timedelta(days=n),
        )

    assert result_slugs(get(client)) == slugs[::-1]


def test_sort_by_title(client, library):
    slugs = result_slugs(get(client, sort="title"))

    assert slugs == [
        "business-plan", "pension-letter", "staff-transfers",
        "tax-basics", "fair-deal", "vat-guide",
    ]  # fmt: skip


def test_search_sorts_by_relevance_by_default_and_offers_it_only_then(client, library):
    Resource.objects.filter(slug="staff-transfers").update(body="Some words about pensions.")
    update_search_vectors()

    response = get(client, q="pensions")
    filterset = response.context["filterset"]

    slugs = result_slugs(response)
    assert filterset.values["sort"] == "relevance"
    assert slugs.index("fair-deal") < slugs.index("staff-transfers")  # title above body
    assert [o["text"] for o in filterset.sort_options] == [
        "Relevance",
        "Most recent",
        "Title A to Z",
    ]
    without_q = get(client, sort="relevance").context["filterset"]
    assert without_q.values["sort"] == "recent"
    assert [o["text"] for o in without_q.sort_options] == ["Most recent", "Title A to Z"]


def test_a_default_sort_left_alone_gives_way_to_relevance_when_searching(client, library):
    # The form always sends the sort; the default one is sent empty so it does not stick.
    options = get(client).context["filterset"].sort_options
    assert [(o["value"], o["selected"]) for o in options] == [("", True), ("title", False)]

    filterset = get(client, q="pensions", sort="").context["filterset"]
    assert filterset.values["sort"] == "relevance"
    assert [o["value"] for o in filterset.sort_options] == ["", "recent", "title"]

    chosen = get(client, q="pensions", sort="recent").context["filterset"]
    assert chosen.values["sort"] == "recent"
    assert [o["value"] for o in chosen.sort_options] == ["relevance", "recent", "title"]


def test_repeated_sort_uses_the_last_value(client, library):
    response = get(client, sort=["title", "recent"])

    assert response.context["filterset"].values["sort"] == "recent"
    assert notices(response) == []


# Pagination ----------------------------------------------------------------------------------


@pytest.fixture
def many_resources(make_topic, make_resource):
    topic = make_topic("Legal")
    return [make_resource(topics=[topic]) for _ in range(RESULTS_PER_PAGE * 2 + 5)]


def test_twenty_a_page_and_page_links_keep_the_other_parameters(client, many_resources):
    response = get(client, topic="legal", sort="title", page=2)

    assert len(result_slugs(response)) == RESULTS_PER_PAGE
    assert response.context["page"].number == 2
    pagination = response.context["pagination"]
    for href in [pagination["previous"], pagination["next"]] + [
        item["href"] for item in pagination["items"] if "href" in item
    ]:
        params = dict(parse_qsl(urlsplit(href).query))
        assert params["topic"] == "legal"
        assert params["sort"] == "title"
    assert dict(parse_qsl(urlsplit(pagination["next"]).query))["page"] == "3"
    html = response.content.decode()
    assert 'class="govuk-pagination"' in html
    assert 'aria-current="page"' in html
    assert "(page 2 of 3)" in html


def test_pages_follow_on_without_repeats(client, many_resources):
    seen = []
    for number in (1, 2, 3):
        seen += result_slugs(get(client, page=number))

    assert len(seen) == len(set(seen)) == len(many_resources)


@pytest.mark.parametrize(
    # Not named `page`: that is pytest-playwright's fixture, and would make this a browser test.
    ("number", "shown", "message"),
    [
        ("abc", 1, "did not recognise the page number"),
        ("0", 1, "did not recognise the page number"),
        ("-3", 1, "did not recognise the page number"),
        ("99999", 3, "only 3 pages of results"),
        ("1e9", 1, "did not recognise the page number"),
    ],
)
def test_a_bad_page_number_shows_a_real_page_and_says_so(
    client, many_resources, number, shown, message
):
    response = get(client, page=number)

    assert response.context["page"].number == shown
    assert any(message in notice for notice in notices(response))
    assert message in response.content.decode()


def test_a_page_beyond_the_end_of_no_results_is_the_only_page(client, library):
    response = get(client, q="zzzzzz", page=5)

    assert result_slugs(response) == []
    assert "There are no matching resources." in response.content.decode()


# Malformed parameters ------------------------------------------------------------------------


def test_an_unknown_filter_value_is_ignored_and_the_known_ones_kept(client, library):
    response = get(client, topic=["nope", "tax"])

    assert sorted(result_slugs(response)) == ["tax-basics", "vat-guide"]
    assert notices(response) == ["We ignored a topic filter we did not recognise."]
    assert "We ignored a topic filter we did not recognise." in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"topic": "nope"},
        {"stage": "no-such-stage"},
        {"type": "spreadsheet"},
        {"publisher": "<script>"},
        {"sort": "sideways"},
        {"q": "&|!:*()"},
        {"q": "pensions & | ! : * ( ) <>"},
        {"q": "pen\x00sions"},
        {"q": "\x00"},
        {"q": '"unclosed quote'},
        {"q": "-"},
        {"q": "x" * 10_000},
        {"q": ["tax", "pensions"]},
        {"sort": ["title", "recent"], "page": ["2", "x"]},
        {"topic": ["tax", "tax", "tax"]},
        {"unknown": "value"},
    ],
)
def test_malformed_parameters_never_fail(client, library, params):
    response = client.get(LIST_URL, params)

    assert response.status_code == 200
    assert response.context["page"] is not None


def test_nul_characters_are_removed_from_the_search(client, library):
    response = get(client, q="pen\x00sions fair")

    assert response.context["filterset"].values["q"] == "pen sions fair"


def test_a_long_search_is_cut_to_the_limit_with_a_message(client, library):
    response = get(client, q="pensions " * 1000)
    filterset = response.context["filterset"]

    assert len(filterset.values["q"]) <= MAX_SEARCH_LENGTH
    assert any(f"longer than {MAX_SEARCH_LENGTH} characters" in n for n in notices(response))


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"stage": "nope"}, "We ignored a guide stage filter we did not recognise."),
        ({"type": "nope"}, "We ignored a type filter we did not recognise."),
        ({"publisher": "nope"}, "We ignored a publisher filter we did not recognise."),
        ({"sort": "nope"}, "We ignored a sort order we did not recognise."),
    ],
)
def test_each_ignored_value_is_reported(client, library, params, message):
    response = get(client, **params)

    assert notices(response) == [message]
    assert "6 resources" in response.content.decode()


def test_empty_values_are_not_reported_as_ignored(client, library):
    response = get(client, q="", topic="", sort="", page="")

    assert notices(response) == []
    assert "6 resources" in response.content.decode()


def test_the_search_is_escaped_on_the_page(client, library):
    html = get(client, q='<script>alert("x")</script>').content.decode()

    assert '<script>alert("x")' not in html
    assert "&lt;script&gt;" in html


# What the page shows -------------------------------------------------------------------------


def test_each_result_links_to_its_page_with_summary_and_metadata(client, library):
    Resource.objects.filter(slug="fair-deal").update(
        published_on=datetime.date(2012, 6, 1),
        published_precision=Resource.DatePrecision.MONTH,
        file="resources/2012/fair-deal.pdf",
        file_type="PDF",
        file_size=1_200_000,
    )
    resource = Resource.objects.get(slug="fair-deal")

    html = get(client, topic="pensions", type="guide").content.decode()

    assert (
        f'<h3 class="govuk-heading-s app-finder-result__title"><a class="govuk-link" '
        f'href="{resource.get_absolute_url()}">{resource.title}</a></h3>'
    ) in html
    assert resource.summary in html
    meta = re.search(r'app-finder-result__meta">(.*?)</ul>', html, re.DOTALL).group(1)
    text = " ".join(re.sub(r"<[^>]+>", " ", meta).split())
    assert text == "Type: Guide From: HM Treasury Published: June 2012 PDF, 1.1 MB"


def test_chosen_filters_are_links_that_remove_themselves(client, library):
    response = get(client, q="pension", topic=["pensions", "tupe"], sort="title")
    tags = {tag["label"]: tag["href"] for tag in response.context["filterset"].selected_tags}

    assert set(tags) == {"Search: pension", "Topic: Pensions", "Topic: TUPE"}
    assert parse_qsl(urlsplit(tags["Topic: TUPE"]).query) == [
        ("q", "pension"), ("topic", "pensions"), ("sort", "title"),
    ]  # fmt: skip
    assert parse_qsl(urlsplit(tags["Search: pension"]).query) == [
        ("topic", "pensions"), ("topic", "tupe"), ("sort", "title"),
    ]  # fmt: skip
    html = response.content.decode()
    assert '<span class="govuk-visually-hidden">Remove filter </span>Topic: TUPE' in html
    assert f'<a class="govuk-link" href="{LIST_URL}">Clear filters</a>' in html


def test_links_never_carry_values_that_were_ignored(client, library):
    response = get(client, topic=["nope", "tax"], type="guide")

    for tag in response.context["filterset"].selected_tags:
        assert "nope" not in tag["href"]
    assert "nope" not in response.context["filterset"].feed_url


def test_the_form_keeps_what_was_chosen(client, library):
    html = get(client, q="tax", topic="tax", sort="title").content.decode()

    assert 'name="q" type="search" value="tax"' in html
    assert re.search(r'name="topic" type="checkbox" value="tax" checked', html)
    assert not re.search(r'name="topic" type="checkbox" value="tupe" checked', html)
    assert '<option value="title" selected>' in html
    assert "Apply filters" in html


def test_no_results_gives_advice(client, library):
    html = get(client, q="submarine").content.decode()

    assert "0 resources" in html
    assert "There are no matching resources." in html
    for advice in ("removing filters", "checking your spelling", "searching for something less"):
        assert advice in html


def test_list_page_has_one_h1_breadcrumbs_description_and_feed(client, library):
    html = get(client, topic="tax").content.decode()
    feed_url = reverse("guides:resource-feed") + "?topic=tax"

    assert html.count("<h1") == 1
    assert 'class="govuk-breadcrumbs"' in html
    assert '<meta name="description" content="Find guidance' in html
    assert '<link rel="alternate" type="application/atom+xml"' in html
    assert f'href="{feed_url}"' in unescape(html)
    assert "Get updates: subscribe to a feed of these resources" in html


def test_an_empty_library_says_so(client, db):
    html = get(client).content.decode()

    assert "No documents have been published in the library yet." in html
    assert "Apply filters" not in html


# Topic pages ---------------------------------------------------------------------------------


def test_topic_page_shows_the_topic_and_only_its_resources(client, library):
    topic = Topic.objects.get(slug="pensions")
    topic.description = "Keeping staff pensions when a service spins out."
    topic.save()

    response = get(client, topic.get_absolute_url())
    html = response.content.decode()

    assert sorted(result_slugs(response)) == ["fair-deal", "pension-letter"]
    assert '<h1 class="govuk-heading-xl">Pensions</h1>' in html
    assert html.count("<h1") == 1
    assert topic.description in html
    assert f'<meta name="description" content="{topic.description}">' in html
    assert "<title>Pensions – Resource library – Mutuals Information Service</title>" in html
    assert f'href="{LIST_URL}"' in html  # breadcrumb back to the library
    assert "topic" not in {facet.name for facet in response.context["filterset"].facets}
    assert f'href="{reverse("guides:resource-feed")}?topic=pensions"' in html


def test_other_filters_still_work_on_a_topic_page(client, library):
    url = reverse("guides:topic-detail", kwargs={"slug": "pensions"})
    response = get(client, url, type="template", page=1)

    assert result_slugs(response) == ["pension-letter"]
    assert option_counts(response, "type") == {"guide": 2, "template": 1}
    assert option_counts(response, "publisher") == {"cabinet-office": 1, "hm-treasury": 0}


def test_a_topic_page_ignores_a_topic_in_its_query_string(client, library):
    url = reverse("guides:topic-detail", kwargs={"slug": "pensions"})

    assert sorted(result_slugs(get(client, url, topic="tax"))) == ["fair-deal", "pension-letter"]


def test_unknown_topic_is_not_found(client, library):
    response = client.get(reverse("guides:topic-detail", kwargs={"slug": "nope"}))

    assert response.status_code == 404


def test_a_topic_without_resources_says_so(client, library, make_topic):
    topic = make_topic("Procurement")

    html = get(client, topic.get_absolute_url()).content.decode()

    assert "No documents about procurement have been published" in html


# Queries -------------------------------------------------------------------------------------


def bulk_library(count, topics, publisher, stage):
    """`count` published resources, each with a topic and a stage, made in a few queries."""
    start = Resource.objects.count()
    resources = Resource.objects.bulk_create(
        Resource(
            title=f"Bulk resource {start + n} about pensions",
            slug=f"bulk-{start + n}",
            summary="A resource made in bulk.",
            publisher=publisher,
            status=Status.PUBLISHED,
            last_reviewed=datetime.date(2026, 11, 23),
            published_on=datetime.date(2020, 1, 1) + datetime.timedelta(days=n),
        )
        for n in range(count)
    )
    topic_link, stage_link = Resource.topics.through, Resource.stages.through
    topic_link.objects.bulk_create(
        topic_link(resource=r, topic=topics[n % len(topics)]) for n, r in enumerate(resources)
    )
    stage_link.objects.bulk_create(stage_link(resource=r, stage=stage) for r in resources)
    update_search_vectors()
    bump_content_version()  # as the bulk generators do: bulk writes send no signals


# Queries for a request once this process holds the options and option sets of the current
# content version: on PostgreSQL the search time limit, then a search's ranking (only the first
# time it is made in the version) and the page of results with their publishers. Counts are
# worked out in memory.
TIME_LIMIT = 1 if has_time_limit() else 0
# Once per content version and process: four for the options, five for the option sets.
PER_VERSION = 9


@pytest.mark.parametrize(
    ("params", "first", "again"),
    [
        ({}, 1, 1),
        ({"q": "pensions", "topic": ["tax", "tupe"], "type": "guide", "page": "2"}, 2, 1),
        ({"q": "pensions", "sort": "title"}, 2, 1),
        ({"publisher": "cabinet-office", "stage": "explore-the-idea", "sort": "title"}, 1, 1),
    ],
)
def test_the_page_takes_the_same_queries_for_10_and_1000_resources(
    client, make_topic, make_stage, django_assert_num_queries, params, first, again
):
    topics = [make_topic("Tax"), make_topic("TUPE"), make_topic("Pensions")]
    stage = make_stage(title="Explore the idea", slug="explore-the-idea")
    publisher = Publisher.objects.create(name="Cabinet Office", slug="cabinet-office")

    bulk_library(10, topics, publisher, stage)
    with django_assert_num_queries(PER_VERSION + TIME_LIMIT + first):
        get(client, **params)
    with django_assert_num_queries(TIME_LIMIT + again):
        get(client, **params)
    bulk_library(990, topics, publisher, stage)
    with django_assert_num_queries(PER_VERSION + TIME_LIMIT + first):
        get(client, **params)
    with django_assert_num_queries(TIME_LIMIT + again):
        response = get(client, **params)

    assert response.context["page"].paginator.count > 10


def test_the_page_takes_the_same_queries_for_3_and_30_topics(
    client, make_topic, make_stage, django_assert_num_queries
):
    stage = make_stage(title="Explore the idea", slug="explore-the-idea")
    publisher = Publisher.objects.create(name="Cabinet Office", slug="cabinet-office")
    topics = [make_topic(f"Topic {n}") for n in range(3)]
    bulk_library(10, topics, publisher, stage)
    get(client, topic="topic-1")
    with django_assert_num_queries(TIME_LIMIT + 1):
        get(client, topic="topic-1")

    bulk_library(30, [make_topic(f"More {n}") for n in range(27)], publisher, stage)
    get(client, topic="topic-1")
    with django_assert_num_queries(TIME_LIMIT + 1):
        response = get(client, topic="topic-1")

    assert len(response.context["filterset"].facets[0].options) == 30


def test_results_by_relevance_are_those_the_database_would_sort(
    client, make_topic, make_stage, make_publisher
):
    """A search's kept ranking, filtered and paged in memory, gives every page just as the
    database sorting the same search and filters does.
    """
    topics = [make_topic("Tax"), make_topic("TUPE"), make_topic("Pensions")]
    stage = make_stage(title="Explore the idea", slug="explore-the-idea")
    bulk_library(45, topics, make_publisher("Cabinet Office"), stage)
    # Some match in their summary only, so they rank lower than those matching in the title.
    some = [resource.pk for resource in Resource.objects.order_by("pk")[3:40:3]]
    Resource.objects.filter(pk__in=some).update(
        title="Tax return", summary="What pensions need from a tax return."
    )
    update_search_vectors()
    bump_content_version()
    for params in (
        {"q": "pensions"},
        {"q": "pensions", "topic": ["tax", "tupe"]},
        {"q": "pensions", "topic": ["pensions"], "stage": ["explore-the-idea"]},
    ):
        data = QueryDict(urlencode(params, doseq=True))
        in_database = ResourceFilterSet(data).filter_queryset(Resource.objects.published())
        expected = list(in_database.values_list("slug", flat=True))
        pages = -(-len(expected) // RESULTS_PER_PAGE)
        shown = [slug for n in range(pages) for slug in result_slugs(get(client, **params,
                 page=n + 1))]  # fmt: skip
        assert len(expected) > RESULTS_PER_PAGE // 2
        assert shown == expected


def test_a_process_keeps_rankings_up_to_a_number_of_ids(library, django_assert_num_queries):
    pensions = KeptSearches(rank_search).ranking("pensions")
    searches = KeptSearches(rank_search, limit=pensions.size)
    searches.ranking("pensions")
    with django_assert_num_queries(0):
        assert searches.ranking("pensions") == pensions
    searches.ranking("tax")  # over the limit: the ranking used least recently goes
    with django_assert_num_queries(0):
        searches.ranking("tax")
    with django_assert_num_queries(1):
        assert searches.ranking("pensions") == pensions


def test_a_search_made_again_finds_what_an_editor_published_since(client, library, make_resource):
    assert "new-pensions-guide" not in result_slugs(get(client, q="pensions"))
    make_resource(slug="new-pensions-guide", title="New pensions guide")
    assert "new-pensions-guide" in result_slugs(get(client, q="pensions"))


def test_counts_in_memory_match_counting_in_the_database(
    client, make_topic, make_stage, make_publisher
):
    """Each option's count, for a search with filters ticked in three of the four filters,
    against the same question asked of the database one option at a time.
    """
    topics = [make_topic("Tax"), make_topic("TUPE"), make_topic("Pensions")]
    stage = make_stage(title="Explore the idea", slug="explore-the-idea")
    bulk_library(30, topics, make_publisher("Cabinet Office"), stage)
    bulk_library(17, topics[1:], make_publisher("HM Treasury"), stage)
    Resource.objects.filter(pk__in=Resource.objects.order_by("pk")[:5]).update(
        resource_type=Resource.Type.TEMPLATE
    )
    bump_content_version()
    params = {
        "q": "pensions",
        "topic": ["tax", "tupe"],
        "type": "guide",
        "publisher": "hm-treasury",
    }

    response = get(client, **params)

    published = Resource.objects.published()
    chosen = {"topic": ["tax", "tupe"], "type": ["guide"], "publisher": ["hm-treasury"]}
    lookups = {"topic": "topics__slug", "stage": "stages__slug", "type": "resource_type",
               "publisher": "publisher__slug"}  # fmt: skip
    for facet in response.context["filterset"].facets:
        for option in facet.options:
            rows = published.found_by("pensions")
            for name, values in chosen.items():
                if name != facet.name:
                    rows = rows.filter(**{f"{lookups[name]}__in": values})
            ticked = [*chosen.get(facet.name, []), option.value]
            rows = rows.filter(**{f"{lookups[facet.name]}__in": ticked}).distinct()
            assert (facet.name, option.value, option.count) == (
                facet.name, option.value, rows.count()
            )  # fmt: skip
    # HM Treasury's 17 are all guides about pensions, every other one on TUPE (from the first).
    assert response.context["page"].paginator.count == 9


# The shipped library -------------------------------------------------------------------------

FAIR_DEAL = "The Fair Deal for pensions: an overview"


def test_a_visitor_finds_the_fair_deal_by_searching_for_pensions(client, shipped):
    response = get(client, q="pensions")

    titles = [r.title for r in response.context["page"].object_list]
    assert FAIR_DEAL in titles[:3]
    assert "<mark>" in response.content.decode()


def test_a_visitor_finds_the_fair_deal_by_ticking_pensions(client, shipped):
    response = get(client, topic="pensions")

    assert FAIR_DEAL in [r.title for r in response.context["page"].object_list]
    assert option_counts(get(client), "topic")["pensions"] >= 1


def test_filter_options_are_kept_until_content_changes(
    client, make_topic, make_stage, django_assert_num_queries
):
    topics = [make_topic("Tax"), make_topic("Pensions")]
    stage = make_stage(title="Explore the idea", slug="explore-the-idea")
    publisher = Publisher.objects.create(name="Cabinet Office", slug="cabinet-office")
    bulk_library(4, topics, publisher, stage)
    get(client)
    with django_assert_num_queries(TIME_LIMIT + 1):  # the options are not queried again
        get(client)

    new_topic = make_topic("Procurement")  # an editor's save changes the content version
    Resource.objects.first().topics.add(new_topic)
    response = get(client)
    topic_facet = next(f for f in response.context["filterset"].facets if f.name == "topic")
    assert "Procurement" in [option.label for option in topic_facet.options]


def test_a_new_topic_can_be_ticked_once_content_changes(client, make_topic, make_stage):
    topics = [make_topic("Tax")]
    publisher = Publisher.objects.create(name="Cabinet Office", slug="cabinet-office")
    bulk_library(2, topics, publisher, make_stage(title="Explore", slug="explore"))
    get(client, topic="procurement")  # the form for the options as they are is kept

    new_topic = make_topic("Procurement")
    Resource.objects.first().topics.add(new_topic)
    response = get(client, topic="procurement")
    assert response.context["filterset"].values["topic"] == ["procurement"]
    assert result_slugs(response) == [Resource.objects.first().slug]
