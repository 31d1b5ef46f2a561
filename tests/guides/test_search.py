import re

import pytest
from django.db import connection

from guides.library.search import highlighted_snippet, mark_words, search_words
from guides.library.search_index import update_search_vectors
from guides.models import Resource
from portal.core.search import plain_passage

pytestmark = pytest.mark.django_db


@pytest.fixture
def postgresql(db):
    """Skip unless this run is on PostgreSQL, decided when the test runs."""
    if connection.vendor != "postgresql":
        pytest.skip("Full-text search runs on PostgreSQL only")


@pytest.fixture
def sqlite(db):
    if connection.vendor == "postgresql":
        pytest.skip("The word-matching fallback is what search() runs off PostgreSQL")


def vector(resource):
    """The stored search vector as text, e.g. "'pension':5A 'staff':11B"."""
    resource.refresh_from_db()
    return str(resource.search_vector or "")


def found(text, queryset=None):
    queryset = queryset if queryset is not None else Resource.objects.all()
    return [r.slug for r in queryset.search(text).order_by("-rank", "slug")]


# PostgreSQL full-text search -----------------------------------------------------------------


def test_title_match_ranks_above_summary_and_body_matches(postgresql, make_resource):
    make_resource(slug="in-body", title="Staff matters", body="Advice on pensions and more.")
    make_resource(slug="in-title", title="Pensions explained", summary="Background.")
    make_resource(slug="in-summary", title="Transfers", summary="What happens to pensions.")

    assert found("pensions") == ["in-title", "in-summary", "in-body"]


def test_stemming_finds_other_forms_of_a_word(postgresql, make_resource):
    make_resource(slug="pensions", title="The Fair Deal for pensions: an overview")

    assert found("pension") == ["pensions"]


def test_websearch_excludes_a_minus_word_and_matches_quoted_phrases(postgresql, make_resource):
    make_resource(slug="fair-deal", title="The Fair Deal for pensions", summary="Staff pensions.")
    make_resource(slug="deal-fair", title="A deal that is fair", summary="Contracts and pensions.")

    assert found("pensions -contracts") == ["fair-deal"]
    assert found('"fair deal"') == ["fair-deal"]
    assert sorted(found("fair deal")) == ["deal-fair", "fair-deal"]
    assert sorted(found("contracts or staff")) == ["deal-fair", "fair-deal"]


def test_topic_and_publisher_names_are_searched(
    postgresql, make_resource, make_topic, make_publisher
):
    make_resource(slug="tagged", topics=[make_topic("Procurement")])
    make_resource(slug="published", publisher=make_publisher("Social Enterprise UK"))

    assert found("procurement") == ["tagged"]
    assert found("enterprise") == ["published"]


def test_headline_marks_the_words_and_is_escaped(postgresql, make_resource):
    make_resource(
        slug="risky",
        title="Risky",
        summary="About <b>pensions</b> & if 5 < 6 other things.",
        body="Look at [the pensions guide](https://example.org) for **more** detail.",
    )

    resource = Resource.objects.search("pensions").get()
    snippet = highlighted_snippet(resource.headline)

    assert "<mark>pensions</mark>" in snippet
    # Only our own tags survive; PostgreSQL drops tags in the text and the rest is escaped.
    assert set(re.findall(r"<[^>]*>", snippet)) == {"<mark>", "</mark>"}
    assert "&amp;" in snippet and "5 &lt; 6" in snippet
    assert "**" not in snippet and "https://example.org" not in snippet
    assert "\x02" not in snippet and "\x03" not in snippet


def test_a_headline_reads_as_sentences_where_the_body_has_headings_and_lists(
    postgresql, make_resource
):
    make_resource(
        slug="fair-deal",
        title="Fair Deal",
        summary="An overview of Fair Deal.",
        body=(
            "## What Fair Deal is\n\nFair Deal protects staff pensions.\n\n"
            "- Pensions for council staff\n- Pensions for NHS staff"
        ),
    )

    resource = Resource.objects.search("pensions").get()

    # The passage PostgreSQL chooses starts inside the heading ("Deal is"), which is left out.
    assert resource.headline.startswith("Deal is\n")
    assert highlighted_snippet(resource.headline) == (
        "Fair Deal protects staff <mark>pensions</mark>. "
        "<mark>Pensions</mark> for council staff; <mark>Pensions</mark> for NHS staff"
    )


@pytest.mark.parametrize(
    ("passage", "plain"),
    [
        # A paragraph wrapped over lines is one sentence; a heading ends with a full stop.
        ("## Who can join\nStaff who\ntransfer.", "Who can join. Staff who transfer."),
        # Punctuation of its own, inside a closing quote or bracket, is not doubled.
        (
            "- Is it TUPE?\n- Ask (first.)\n- Say \u201cno.\u201d\n- Last",
            "Is it TUPE? Ask (first.) Say \u201cno.\u201d Last",
        ),
        # The stop goes after a highlighted word's end marker, not inside the highlight.
        ("# About \x02TUPE\x03\nText", "About \x02TUPE\x03. Text"),
        # An item followed by another item ends with a semicolon; list and quote marks go.
        ("1. First step\n2. Second step\n> A quote", "First step; Second step. A quote"),
        ("You need:\n\n- a plan\n- a budget\n\nThen", "You need: a plan; a budget. Then"),
        ("See [the guide](https://example.org/a_b).", "See the guide."),
        # A passage that starts or ends inside a link keeps only the link's text.
        (
            "\x02TUPE\x03 rules](/guide/#task-\x02tupe\x03) apply. Read [the \x02TUPE",
            "\x02TUPE\x03 rules apply. Read the \x02TUPE",
        ),
        # The end of a heading or list item the passage cut into is left out, unless it holds
        # a highlighted word, has punctuation of its own, or is all there is.
        ("Fair Deal is\n\nIt protects \x02pensions\x03.", "It protects \x02pensions\x03."),
        ("for NHS staff\n- Pensions", "Pensions"),
        ("\x02Pension\x03 scheme\n\nText", "\x02Pension\x03 scheme. Text"),
        ("the plan.\n\n## Costs", "the plan. Costs"),
        ("Fair Deal is\n\n", "Fair Deal is"),
        ("", ""),
    ],
)
def test_a_passage_of_markdown_becomes_plain_sentences(passage, plain):
    assert plain_passage(passage) == plain


def test_text_cannot_forge_highlight_markers(postgresql, make_resource):
    make_resource(slug="forged", title="Forged", summary="\x02pensions\x03 and \x02script\x03")

    resource = Resource.objects.search("script").get()

    assert highlighted_snippet(resource.headline).count("<mark>") == 1


def test_headlines_read_by_id_are_those_the_search_gives(postgresql, make_resource):
    make_resource(slug="one", title="One", summary="Staff pensions.", body="Pension transfers.")
    make_resource(slug="two", title="Two", summary="Contracts.", body="The **pension** scheme.")
    make_resource(slug="three", title="Three", summary="Nothing to see.")

    for text in ["pension", "pension -contracts", '"pension scheme"', "transfers or contracts"]:
        searched = {r.pk: r.headline for r in Resource.objects.search(text)}
        by_id = Resource.objects.filter(pk__in=searched).with_headlines(text)
        assert {r.pk: r.headline for r in by_id} == searched


@pytest.mark.parametrize("text", ["&|!:*()", "the", "-", '"', "or", "!!! ((("])
def test_operator_and_stop_word_searches_do_not_fail(postgresql, make_resource, text):
    make_resource(title="Pensions")

    assert found(text) == []


def test_vector_follows_the_resources_own_fields(postgresql, make_resource):
    resource = make_resource(title="Pensions", summary="Staff", body="Contracts")
    assert "'pension':1A" in vector(resource)
    assert "'staff':2B" in vector(resource)
    assert "contract" in vector(resource)

    resource.title = "Procurement"
    resource.save()

    assert "pension" not in vector(resource)
    assert "'procur':1A" in vector(resource)


def test_vector_follows_topics_as_they_are_added_removed_and_cleared(
    postgresql, make_resource, make_topic
):
    tupe, tax = make_topic("TUPE"), make_topic("Tax")
    resource = make_resource()

    resource.topics.add(tupe)
    assert "'tupe'" in vector(resource)
    tax.resources.add(resource)  # from the other side
    assert "'tax'" in vector(resource)
    resource.topics.remove(tupe)
    assert "'tupe'" not in vector(resource)
    tax.resources.clear()
    assert "'tax'" not in vector(resource)
    resource.topics.set([tupe, tax])
    assert "'tupe'" in vector(resource) and "'tax'" in vector(resource)
    resource.topics.clear()
    assert "'tupe'" not in vector(resource)


def test_vector_follows_a_renamed_or_deleted_topic(postgresql, make_resource, make_topic):
    topic = make_topic("Pensions")
    resource = make_resource(title="Staff", topics=[topic])
    assert "'pension':" in vector(resource)

    topic.name = "Procurement"
    topic.save()
    assert "'procur':" in vector(resource)
    assert "'pension':" not in vector(resource)
    assert found("procurement") == [resource.slug]

    topic.delete()
    assert "'procur':" not in vector(resource)


def test_vector_follows_a_renamed_publisher(postgresql, make_resource, make_publisher):
    publisher = make_publisher("Cabinet Office")
    resource = make_resource(publisher=publisher)
    assert "'cabinet':" in vector(resource)

    publisher.name = "HM Treasury"
    publisher.save()

    assert "'treasuri':" in vector(resource)
    assert "'cabinet':" not in vector(resource)


def test_update_search_vectors_rebuilds_rows_written_in_bulk(postgresql, make_topic):
    topic = make_topic("Pensions")
    resources = Resource.objects.bulk_create(
        Resource(title=f"Bulk {n}", slug=f"bulk-{n}", summary="Made in bulk.") for n in range(3)
    )
    resources[0].topics.through.objects.bulk_create(
        [resources[0].topics.through(resource=resources[0], topic=topic)]
    )
    assert vector(resources[1]) == ""

    assert update_search_vectors() == 3
    assert "'bulk':1A" in vector(resources[1])
    assert "'pension':" in vector(resources[0])
    assert update_search_vectors(Resource.objects.filter(slug="bulk-2")) == 1


# The word-matching fallback ------------------------------------------------------------------


def test_sqlite_search_needs_every_word(sqlite, make_resource):
    make_resource(slug="both", title="Fair Deal", summary="Pensions for staff.")
    make_resource(slug="one", title="Fair trade", summary="Goods.")

    assert found("fair pensions") == ["both"]
    assert found("fair") == ["both", "one"]


def test_sqlite_keeps_no_vectors(sqlite, make_resource):
    resource = make_resource(title="Pensions")

    assert update_search_vectors() == 0
    assert vector(resource) == ""


def test_word_search_looks_in_every_field_and_needs_every_word(
    make_resource, make_topic, make_publisher
):
    """The fallback itself, run on whichever database this is."""
    make_resource(slug="title", title="Pensions and TUPE")
    make_resource(slug="summary", summary="All about pensions", topics=[make_topic("TUPE")])
    make_resource(slug="body", body="Pensions, and tupe too.")
    make_resource(slug="publisher", title="Pensions", publisher=make_publisher("TUPE Office"))
    make_resource(slug="only-one-word", title="Pensions only")

    matches = Resource.objects.word_search("pensions tupe").order_by("-rank", "slug")

    assert [r.slug for r in matches] == ["title", "body", "publisher", "summary"]


def test_word_search_ignores_quotes_and_operators(make_resource):
    make_resource(slug="fair-deal", title="The Fair Deal")

    assert [r.slug for r in Resource.objects.word_search('"fair" (deal)')] == ["fair-deal"]
    assert list(Resource.objects.word_search("&|!:*()")) == []


def test_search_words_drops_punctuation_repeats_and_or():
    assert search_words('"Fair deal" or -pensions pensions ( ) &') == ["Fair", "deal", "pensions"]


def test_mark_words_escapes_everything_but_its_marks():
    html = mark_words("Pensions <script> & pension", ["pension"])

    assert html == "<mark>Pension</mark>s &lt;script&gt; &amp; <mark>pension</mark>"
    assert mark_words("<b>", []) == "&lt;b&gt;"
