"""The site search: one document per published item, /search/ and its query string."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casestudies.models import CaseStudy, Mutual
from guides.models import Resource, Stage, Task
from portal.cache import bump_content_version
from portal.core.publishing import Status
from portal.core.querystring import MAX_SEARCH_LENGTH
from portal.core.time_limit import has_time_limit
from portal.models import Page
from portal.site_search import filters as site_search_filters
from portal.site_search.documents import rebuild
from portal.site_search.filters import SiteSearchFilterSet
from portal.site_search.models import SearchDocument
from portal.site_search.views import RESULTS_PER_PAGE

DAY = datetime.date(2026, 11, 1)


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("Full-text search runs on PostgreSQL only")


@pytest.fixture
def make_items(db):
    """One item of every kind about `word`, all published unless `status` says otherwise."""

    def make(word, n=1, status=Status.PUBLISHED):
        made = {}
        for i in range(n):
            key = f"{word}-{i}"
            stage = Stage.objects.create(
                number=Stage.objects.count() + 1,
                title=f"Plan the {word} stage {i}",
                slug=f"stage-{key}",
                summary="What this stage is for.",
                status=status,
                last_reviewed=DAY,
            )
            made.setdefault("stage", []).append(stage)
            made.setdefault("task", []).append(
                Task.objects.create(
                    stage=stage, title=f"Check {word} {i}", slug=f"task-{key}", status=status
                )
            )
            made.setdefault("resource", []).append(
                Resource.objects.create(
                    title=f"A {word} note {i}",
                    slug=f"resource-{key}",
                    summary=f"About {word}.",
                    status=status,
                    last_reviewed=DAY,
                )
            )
            mutual = Mutual.objects.create(
                name=f"{word.title()} care {i}",
                slug=f"mutual-{key}",
                status=status,
                last_reviewed=DAY,
            )
            made.setdefault("mutual", []).append(mutual)
            made.setdefault("case-study", []).append(
                CaseStudy.objects.create(
                    title=f"How a {word} service left {i}",
                    slug=f"case-{key}",
                    mutual=mutual,
                    summary="A story.",
                    status=status,
                    last_reviewed=DAY,
                )
            )
            made.setdefault("page", []).append(
                Page.objects.create(
                    title=f"About {word} {i}",
                    slug=f"page-{key}",
                    body=f"Text on {word}.",
                    status=status,
                    last_reviewed=DAY,
                )
            )
        return made

    return make


def search(client, **params):
    response = client.get(reverse("portal:search"), params)
    assert response.status_code == 200
    return response


def result_titles(response):
    return [document.title for document in response.context["page"].object_list]


def kinds(response):
    return sorted(document.kind for document in response.context["page"].object_list)


def type_counts(response):
    (facet,) = response.context["filterset"].facets
    return {option.value: option.count for option in facet.options}


def test_every_kind_is_found_and_labelled(client, make_items):
    make_items("pension")
    response = search(client, q="pension")
    assert kinds(response) == ["case-study", "guide", "guide", "mutual", "page", "resource"]
    html = response.content.decode()
    for label in ("Guide", "Resource", "Case study", "Mutual", "Page"):
        assert f'<span class="govuk-visually-hidden">Type: </span>{label}</p>' in html


def test_each_result_links_to_its_item(client, make_items):
    made = make_items("pension")
    response = search(client, q="pension")
    urls = {document.url for document in response.context["page"].object_list}
    expected = {items[0].get_absolute_url() for items in made.values()}
    assert urls == expected


def test_drafts_are_never_found(client, make_items):
    make_items("pension", status=Status.DRAFT)
    assert SearchDocument.objects.count() == 0
    assert result_titles(search(client, q="pension")) == []


def test_a_task_in_a_draft_stage_and_a_case_study_of_a_draft_mutual_are_not_found(
    client, make_items
):
    made = make_items("pension")
    stage, mutual = made["stage"][0], made["mutual"][0]
    stage.status = Status.DRAFT
    stage.save()
    mutual.status = Status.DRAFT
    mutual.save()
    assert kinds(search(client, q="pension")) == ["page", "resource"]


def test_unpublishing_and_deleting_remove_the_document(client, make_items):
    made = make_items("pension")
    resource, page = made["resource"][0], made["page"][0]
    resource.status = Status.DRAFT
    resource.save()
    page.delete()
    assert "resource" not in kinds(search(client, q="pension"))
    assert "page" not in kinds(search(client, q="pension"))


def test_a_save_updates_the_document(client, make_items):
    resource = make_items("pension")["resource"][0]
    resource.title = "Transfer of undertakings"
    resource.save()
    assert result_titles(search(client, q="undertakings")) == ["Transfer of undertakings"]


def test_rebuild_indexes_everything_public(make_items):
    make_items("pension")
    SearchDocument.objects.all().delete()
    rebuild()
    assert SearchDocument.objects.count() == 6


def test_rebuild_changes_the_version_once_in_the_same_queries_however_much_it_indexes(
    make_items, monkeypatch, django_capture_on_commit_callbacks
):
    bumps = []
    monkeypatch.setattr("portal.cache.bump_content_version", lambda: bumps.append(1))

    def rebuilt():
        bumps.clear()
        with (
            CaptureQueriesContext(connection) as queries,
            django_capture_on_commit_callbacks(execute=True),
        ):
            rebuild()
        return len(queries), len(bumps)

    make_items("pension")
    few = rebuilt()
    make_items("tupe", n=4)
    many = rebuilt()

    assert SearchDocument.objects.count() == 6 * 5
    # Once as it happens and once as it commits, not once for each document.
    assert few[1] == many[1] == 2
    assert few[0] == many[0]


def test_every_word_must_appear_off_postgresql_and_stop_words_are_left_out(client, make_items):
    make_items("pension")
    make_items("tupe")
    assert kinds(search(client, q="the pension")) == kinds(search(client, q="pension"))
    assert result_titles(search(client, q="pension tupe")) == []


def test_a_word_after_a_minus_is_left_out_on_either_database(client, make_items):
    make_items("pension")
    assert kinds(search(client, q="pension -care")) == [
        "case-study",
        "guide",
        "guide",
        "page",
        "resource",
    ]
    (facet,) = search(client, q="pension -care").context["filterset"].facets
    assert {option.value: option.count for option in facet.options}["mutual"] == 0


def test_only_excluded_words_is_a_message(client, make_items):
    make_items("pension")
    response = search(client, q="-pension")
    assert "Your search only said which words to leave out." in response.content.decode()
    assert result_titles(response) == []


def test_renaming_a_stage_moves_its_tasks_results(client, make_items):
    made = make_items("pension")
    stage = made["stage"][0]
    stage.slug = "renamed-stage"
    stage.save()
    task_urls = [
        document.url for document in search(client, q="check pension", type="guide").context["page"]
    ]
    assert task_urls == ["/how-to-set-up-a-mutual/renamed-stage/#task-task-pension-0"]


def test_type_filter_and_its_counts(client, make_items):
    make_items("pension", n=2)
    response = search(client, q="pension", type=["resource", "case-study"])
    assert kinds(response) == ["case-study", "case-study", "resource", "resource"]
    assert type_counts(response) == {
        "guide": 4,
        "resource": 2,
        "case-study": 2,
        "mutual": 2,
        "page": 2,
    }
    assert 'value="resource" checked' in response.content.decode()


def test_sort_by_last_updated(client, make_items):
    made = make_items("pension", n=2)
    newer = made["resource"][1]
    newer.last_reviewed = datetime.date(2026, 11, 29)
    newer.save()
    response = search(client, q="pension", sort="updated")
    assert result_titles(response)[0] == newer.title


def test_pages_keep_the_query_string(client, make_items):
    make_items("pension", n=4)
    response = search(client, q="pension", type="guide", sort="updated")
    pagination = response.context["pagination"]
    assert pagination is None  # 8 guide results fit on one page
    response = search(client, q="pension")
    assert response.context["page"].paginator.count == 24
    assert response.context["pagination"]["next"] == "/search/?q=pension&page=2"


def test_no_results_suggests_the_guide_the_library_and_the_contact_form(client, make_items):
    make_items("pension")
    html = search(client, q="zebra").content.decode()
    assert "Nothing on the site matched your search." in html
    assert f'href="{reverse("guides:overview")}"' in html
    assert f'href="{reverse("guides:resource-list")}"' in html
    assert f'href="{reverse("portal:contact")}"' in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "Enter some words to search for"),
        ({"q": ""}, "Enter some words to search for"),
        ({"q": "   "}, "Enter some words to search for"),
        ({"q": "the and of"}, "Your search only had very common words"),
        ({"q": "?!*&|()"}, "Your search had no letters or numbers in it"),
        ({"q": "\x00"}, "Enter some words to search for"),
    ],
)
def test_nothing_to_search_for_is_a_message(client, make_items, params, message):
    make_items("pension")
    response = search(client, **params)
    assert message in response.content.decode()
    assert result_titles(response) == []


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"pension'},
        {"q": 'pension"'},
        {"q": "pen\x00sion"},
        {"q": "pension", "page": "99"},
        {"q": "pension", "page": "-1"},
        {"q": "pension", "page": "x\x00"},
        {"q": "pension", "type": "nonsense"},
        {"q": "pension", "type": "\x00"},
        {"q": "pension", "sort": "\x00"},
        {"q": "-pension"},
        {"q": "pension OR"},
        {"q": "'); DROP TABLE x; --"},
    ],
)
def test_bad_input_is_answered_with_a_page(client, make_items, params):
    make_items("pension")
    search(client, **params)


def test_a_page_past_the_end_says_so(client, make_items):
    make_items("pension")
    response = search(client, q="pension", page="99")
    assert "There is only 1 page of results" in response.content.decode()


def test_a_long_search_is_cut_with_a_notice(client, make_items):
    make_items("pension")
    response = search(client, q="pension " + "x" * 500)
    assert response.context["filterset"].values["q"] == ("pension " + "x" * 500)[:MAX_SEARCH_LENGTH]
    assert f"longer than {MAX_SEARCH_LENGTH} characters" in response.content.decode()


def test_the_snippet_is_escaped(client, make_items):
    made = make_items("pension")
    resource = made["resource"][0]
    resource.summary = "About <b>pension</b> & more."
    resource.save()
    html = search(client, q="pension", type="resource").content.decode()
    # Only our own marks are tags: text is escaped (and PostgreSQL drops tags in it).
    assert "<b>" not in html
    assert "pension</b>" not in html
    assert "&amp; more" in html
    assert "<mark>pension</mark>" in html


def test_query_count_does_not_grow_with_the_results(client, make_items, django_assert_num_queries):
    # Enough results for no "Did you mean", and the search counted once before measuring:
    # counting it again is one query. A first search after a change also reads every
    # document's type and order and ranks the search; made again, only its page is read.
    time_limit = int(has_time_limit())
    for word, n in (("pension", 2), ("pensions", 48)):
        make_items(word, n=n)
        search(client, q="pension", type="guide")
        bump_content_version()
        with django_assert_num_queries(time_limit + 4):
            search(client, q="pension", type="guide")
        with django_assert_num_queries(time_limit + 2):
            search(client, q="pension", type="guide")


def test_every_public_page_has_the_header_search(client, make_items):
    made = make_items("pension")
    for url in ("/", made["page"][0].get_absolute_url(), reverse("guides:resource-list")):
        html = client.get(url).content.decode()
        form = re.search(r'<form class="app-header-search__form"[^>]*>', html).group()
        assert 'method="get"' in form
        assert f'action="{reverse("portal:search")}"' in form
        assert '<label class="govuk-visually-hidden" for="header-search-q">' in html


def test_the_results_page_is_kept_by_the_page_cache(client, page_cache, make_items):
    make_items("pension")
    first = client.get(reverse("portal:search"))
    assert "ETag" in first  # stored: the same for every visitor
    assert "private" not in first.get("Cache-Control", "")


def test_websearch_syntax_on_postgresql(client, postgresql, make_items):
    make_items("pension")
    make_items("tupe")
    assert kinds(search(client, q="pension -care")) == [
        "case-study",
        "guide",
        "guide",
        "page",
        "resource",
    ]
    found = result_titles(search(client, q='"pension note"'))
    assert found == ["A pension note 0"]
    assert "tupe" not in " ".join(result_titles(search(client, q="pension or tupe -tupe")))


def test_title_ranks_above_body_on_postgresql(client, postgresql, make_items):
    make_page_body = Page.objects.create(
        title="Other things", slug="other", body="Something about pensions.", status="published"
    )
    titled = Page.objects.create(title="Pensions", slug="pensions", status="published")
    results = result_titles(search(client, q="pensions", type="page"))
    assert results == [titled.title, make_page_body.title]


def test_snippet_highlights_stemmed_words_on_postgresql(client, postgresql, make_items):
    Page.objects.create(
        title="Staff", slug="staff", body="Your pensions & jobs stay the same.", status="published"
    )
    html = search(client, q="pension", type="page").content.decode()
    assert "Your <mark>pensions</mark> &amp; jobs" in html


# Kept rankings: what each process keeps gives what the database would --------------------


def documents_with_varied_dates_and_titles():
    """Documents last updated on five different days, some of every kind with the same title,
    so the orders' later keys (last updated, title, id) all decide some places.
    """
    for document in SearchDocument.objects.order_by("pk"):
        document.updated = DAY - datetime.timedelta(days=document.pk % 5)
        if document.pk % 7 in (0, 3):
            document.title = "Pension"
        document.save()


def page_ids(client, params, number):
    response = search(client, **params, page=number)
    return [document.pk for document in response.context["page"].object_list], response


@pytest.mark.parametrize(
    ("params", "walk_ratio"),
    [
        ({"q": "pension"}, None),
        ({"q": "pension", "type": ["resource", "page", "guide"]}, None),
        ({"q": "pension -care"}, None),
        # Sorted by last updated: by walking every document in that order, and by sorting
        # those found.
        ({"q": "pension", "sort": "updated"}, 1_000_000),
        ({"q": "pension", "sort": "updated"}, 0),
        ({"q": "pension", "type": ["guide", "mutual"], "sort": "updated"}, 1_000_000),
        ({"q": "pension", "type": ["guide", "mutual"], "sort": "updated"}, 0),
    ],
)
def test_kept_results_are_those_the_database_would_sort(
    client, monkeypatch, make_items, params, walk_ratio
):
    """Every page, on a search's first request and made again, shows the documents and the
    type counts the database gives for the same search, filters and sort.
    """
    make_items("pension", n=8)
    make_items("tupe", n=2)
    documents_with_varied_dates_and_titles()
    if walk_ratio is not None:
        monkeypatch.setattr(site_search_filters, "UPDATED_WALK_RATIO", walk_ratio)
    filterset = SiteSearchFilterSet(QueryDict(urlencode(params, doseq=True)))
    expected = list(
        filterset.filter_queryset(SearchDocument.objects.all()).values_list("pk", flat=True)
    )
    expected_counts = filterset.matching(exclude="type").kind_counts()
    assert len(expected) > RESULTS_PER_PAGE

    pages = -(-len(expected) // RESULTS_PER_PAGE)
    for number in range(1, pages + 1):
        bump_content_version()
        first, response = page_ids(client, params, number)
        again, _ = page_ids(client, params, number)
        start = (number - 1) * RESULTS_PER_PAGE
        assert first == again == expected[start : start + RESULTS_PER_PAGE]
        assert response.context["page"].paginator.count == len(expected)
        assert type_counts(response) == expected_counts
