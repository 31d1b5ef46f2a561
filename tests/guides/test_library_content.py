import re
from io import StringIO

import pytest
from django.core.management import call_command

from guides.content import STAGES_FILE
from guides.library.content import LIBRARY_FILE, load_library
from guides.models import Publisher, Resource, Stage, Task, Topic
from portal.core.content import LoadReport, read_toml
from portal.core.publishing import Status
from portal.models import Page
from tests.content_text import SEEDS_DIR, copied_sentences, strings_in

TOPIC_NAMES = [
    "Assets",
    "Back office support",
    "Business planning",
    "Commissioning",
    "Legal",
    "Mutuals Taskforce publications",
    "Pensions",
    "Procurement",
    "Stakeholder communications",
    "Tax",
    "Templates",
    "TUPE",
]

SMALL_LIBRARY = """
[[topic]]
name = "Tax"
slug = "tax"
description = "Paying tax."

[[topic]]
name = "Pensions"
slug = "pensions"
description = "Staff pensions."

[[publisher]]
name = "Cabinet Office"
slug = "cabinet-office"

[[resource]]
slug = "a-letter"
title = "A letter"
summary = "A letter to councils."
resource_type = "letter"
publisher = "cabinet-office"
topics = ["tax"]
stages = ["explore-the-idea"]
published_on = 2012-07-26
published_precision = "day"
last_reviewed = 2026-11-23
body = "Some text."
"""


def load_shipped(*args):
    out = StringIO()
    call_command("load_content", *args, stdout=out)
    return out.getvalue()


def load_small(path, reset=False):
    report = LoadReport()
    load_library(reset=reset, report=report, path=path)
    return report.counts


@pytest.fixture
def small_library(tmp_path, make_stage):
    make_stage(number=1, slug="explore-the-idea")
    make_stage(number=2, slug="appraise-the-options")
    path = tmp_path / "library.toml"
    path.write_text(SMALL_LIBRARY)
    return path


# Loading


def test_load_creates_published_resources_with_their_tags(small_library):
    assert load_small(small_library) == {
        "Topics": {"created": 2, "updated": 0, "unchanged": 0},
        "Publishers": {"created": 1, "updated": 0, "unchanged": 0},
        "Resources": {"created": 1, "updated": 0, "unchanged": 0},
    }
    resource = Resource.objects.get(slug="a-letter")
    assert resource.status == Status.PUBLISHED
    assert resource.body == "Some text.\n"
    assert resource.publisher.name == "Cabinet Office"
    assert [t.slug for t in resource.topics.all()] == ["tax"]
    assert [s.slug for s in resource.stages.all()] == ["explore-the-idea"]
    assert resource.publication_date_display == "26 July 2012"


def test_load_again_keeps_admin_edits_and_tags(small_library):
    load_small(small_library)
    resource = Resource.objects.get()
    Resource.objects.update(summary="Edited in admin.")
    resource.topics.set(Topic.objects.filter(slug="pensions"))
    resource.stages.clear()
    Topic.objects.filter(slug="tax").update(description="Edited topic.")

    assert load_small(small_library) == {
        "Topics": {"created": 0, "updated": 0, "unchanged": 2},
        "Publishers": {"created": 0, "updated": 0, "unchanged": 1},
        "Resources": {"created": 0, "updated": 0, "unchanged": 1},
    }
    resource.refresh_from_db()
    assert resource.summary == "Edited in admin."
    assert [t.slug for t in resource.topics.all()] == ["pensions"]
    assert not resource.stages.exists()
    assert Topic.objects.get(slug="tax").description == "Edited topic."


def test_reset_puts_back_the_shipped_text_and_tags(small_library):
    load_small(small_library)
    resource = Resource.objects.get()
    resource.topics.set(Topic.objects.filter(slug="pensions"))

    counts = load_small(small_library, reset=True)

    assert counts["Resources"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert [t.slug for t in resource.topics.all()] == ["tax"]


def test_load_keeps_rows_whose_slug_an_editor_changed(small_library):
    load_small(small_library)
    Topic.objects.filter(slug="tax").update(slug="taxes")
    Publisher.objects.update(slug="co")
    Resource.objects.update(slug="the-letter")

    counts = load_small(small_library)

    assert counts["Topics"]["created"] == counts["Publishers"]["created"] == 0
    assert counts["Resources"] == {"created": 0, "updated": 0, "unchanged": 1}
    assert Resource.objects.get().slug == "the-letter"


def test_load_refreshes_search_vectors_of_the_resources_it_wrote(small_library, monkeypatch):
    refreshed = []
    monkeypatch.setattr(
        "guides.library.content.update_search_vectors",
        lambda queryset: refreshed.append(sorted(queryset.values_list("slug", flat=True))),
    )

    load_small(small_library)
    load_small(small_library)

    assert refreshed == [["a-letter"]]


def test_load_content_loads_the_library_and_then_changes_nothing(db):
    first = load_shipped()
    assert "Topics: 12 created" in first
    assert f"Resources: {len(read_toml(LIBRARY_FILE)['resource'])} created" in first
    before = list(Resource.objects.values_list("slug", "title", "summary", "modified"))

    second = load_shipped()

    for kind, count in [("Topics", 12), ("Publishers", Publisher.objects.count())]:
        assert f"{kind}: 0 created, 0 updated, {count} unchanged" in second
    assert f"Resources: 0 created, 0 updated, {len(before)} unchanged" in second
    assert list(Resource.objects.values_list("slug", "title", "summary", "modified")) == before


def test_admin_edit_survives_a_reload_and_reset_overwrites_it(shipped):
    fair_deal = Resource.objects.get(slug="fair-deal-for-pensions-overview")
    Resource.objects.filter(pk=fair_deal.pk).update(title="Fair Deal (edited)")
    fair_deal.topics.clear()

    load_shipped()
    fair_deal.refresh_from_db()
    assert fair_deal.title == "Fair Deal (edited)"
    assert not fair_deal.topics.exists()

    output = load_shipped("--reset")
    fair_deal.refresh_from_db()
    assert fair_deal.title == "The Fair Deal for pensions: an overview"
    assert [t.name for t in fair_deal.topics.all()] == ["Pensions"]
    assert "Resources: 0 created, 1 updated" in output


# The shipped library, loaded


def test_the_twelve_topics_load_with_their_names(shipped):
    assert sorted(Topic.objects.values_list("name", flat=True)) == sorted(TOPIC_NAMES)
    assert Topic.objects.get(name="TUPE").slug == "tupe"
    assert Topic.objects.get(name="Back office support").slug == "back-office-support"


def test_every_resource_is_published_tagged_and_summarised(shipped):
    resources = Resource.objects.prefetch_related("topics", "stages")
    assert len(resources) >= 20
    for resource in resources:
        assert resource.status == Status.PUBLISHED, resource.slug
        assert resource.topics.all(), resource.slug
        assert resource.stages.all(), resource.slug
        assert resource.summary.strip(), resource.slug
        assert resource.resource_type in Resource.Type.values, resource.slug
        assert resource.external_url == "", resource.slug
        assert not resource.file, resource.slug


def test_every_topic_has_a_resource(shipped):
    assert not Topic.objects.filter(resources=None).exists()


def test_fair_deal_overview_is_tagged_pensions(shipped):
    fair_deal = Resource.objects.get(title__icontains="Fair Deal for pensions")
    assert fair_deal.publisher.name == "Government Actuary's Department"
    assert "pensions" in fair_deal.topics.values_list("slug", flat=True)


def test_dated_resources_show_the_precision_known(shipped):
    letter = Resource.objects.get(slug="ministers-letter-to-local-authorities-july-2012")
    next_steps = Resource.objects.get(slug="public-service-mutuals-the-next-steps")
    tupe = Resource.objects.get(slug="guide-to-the-tupe-regulations-2006")
    assert letter.publication_date_display == "26 July 2012"
    assert letter.publisher.name == "Cabinet Office"
    assert next_steps.publication_date_display == "June 2012"
    assert next_steps.publisher.name == "Mutuals Taskforce"
    assert tupe.publication_date_display == "2009"
    assert set(Resource.objects.exclude(published_on=None).values_list("slug", flat=True)) == {
        letter.slug,
        next_steps.slug,
        tupe.slug,
    }


def test_not_legal_advice_flags(shipped):
    flagged = set(Resource.objects.filter(not_legal_advice=True).values_list("slug", flat=True))
    assert flagged == {"guide-to-the-tupe-regulations-2006", "procurement-options-for-new-mutuals"}


# The shipped file


class TestShippedLibraryFile:
    @pytest.fixture
    def content(self):
        return read_toml(LIBRARY_FILE)

    def test_stage_topic_and_publisher_slugs_exist(self, content):
        stage_slugs = {stage["slug"] for stage in read_toml(STAGES_FILE)["stage"]}
        topic_slugs = {topic["slug"] for topic in content["topic"]}
        publisher_slugs = {publisher["slug"] for publisher in content["publisher"]}
        for resource in content["resource"]:
            assert set(resource["stages"]) <= stage_slugs, resource["slug"]
            assert set(resource["topics"]) <= topic_slugs, resource["slug"]
            assert resource.get("publisher", "cabinet-office") in publisher_slugs

    def test_every_publisher_is_used(self, content):
        used = {resource.get("publisher") for resource in content["resource"]}
        assert {publisher["slug"] for publisher in content["publisher"]} <= used

    def test_slugs_are_unique(self, content):
        for kind in ("topic", "publisher", "resource"):
            slugs = [item["slug"] for item in content[kind]]
            assert len(set(slugs)) == len(slugs), kind

    def test_no_web_addresses_are_shipped(self, content):
        for resource in content["resource"]:
            assert not resource.get("external_url"), resource["slug"]
        for text in strings_in(content):
            assert "http" not in text and "www." not in text

    def test_tupe_is_explained_in_its_topic(self, content):
        tupe = next(topic for topic in content["topic"] if topic["slug"] == "tupe")
        assert (
            "Transfer of Undertakings (Protection of Employment) Regulations 2006"
            in (tupe["description"])
        )

    def test_summaries_are_short_sentences(self, content):
        texts = [(item["slug"], item["summary"], 400) for item in content["resource"]]
        texts += [(item["slug"], item["description"], 300) for item in content["topic"]]
        for slug, text, max_length in texts:
            assert len(text) <= max_length, slug
            for sentence in text.split(". "):
                assert len(sentence.split()) <= 25, (slug, sentence)

    def test_titles_are_in_sentence_case(self, content):
        # Names of bodies, laws, policies and documents keep their capitals.
        proper = {"Fair", "Deal", "Regulations", "Nuttall", "Budget", "Right", "Provide"}
        proper |= {"Open", "Public", "Services", "White", "Paper", "Taskforce"}
        for title in [item["title"] for item in content["resource"]]:
            words = [w.strip(":") for w in title.split()[1:]]
            capitalised = {w for w in words if w[:1].isupper() and not w.isupper()}
            assert capitalised <= proper, title

    def test_no_seed_sentence_is_copied(self, content):
        seeds = sorted(SEEDS_DIR.glob("*.txt"))
        if not seeds:
            pytest.skip(f"no seed documents in {SEEDS_DIR}: set SEEDS_DIR to check against them")
        seed_text = " ".join(path.read_text() for path in seeds)
        assert copied_sentences(strings_in(content), seed_text) == []


def test_copy_check_finds_a_copied_sentence_despite_spacing_and_case():
    seed = "Intro.  It has MANY functions,\n from securing funding to measuring success. End."
    ours = ["Short one. It has many functions, from securing funding to measuring success."]
    assert copied_sentences(ours, seed) == [
        "it has many functions, from securing funding to measuring success"
    ]
    assert copied_sentences(["It has several uses, from raising funding to tracking."], seed) == []


# How the guide dates the documents it points to


RESOURCE_LINK = re.compile(r"\(/resources/([\w-]+)/\)")
DATED_FROM = re.compile(r"dates? from (\d{4})(?! or earlier)")


def test_the_guide_dates_a_document_only_by_a_year_the_library_gives_it(shipped):
    """A stage or task that says its documents "date from" a year links to one the library dates
    to that year; most are known only to have been in the 2012 library, and are said to be."""
    bodies = [stage.body for stage in Stage.objects.all()] + [
        task.body for task in Task.objects.all()
    ]
    published = dict(
        Resource.objects.exclude(published_on=None).values_list("slug", "published_on")
    )
    claims = 0
    for body in bodies:
        years = {published[slug].year for slug in RESOURCE_LINK.findall(body) if slug in published}
        for year in DATED_FROM.findall(body):
            claims += 1
            assert int(year) in years, (year, body[:80])
    assert claims  # the TUPE task dates its 2009 guide


def test_the_2012_back_office_catalogue_is_history(shipped):
    catalogue = Resource.objects.get(slug="co-operative-admin-solutions-services-and-prices")
    assert "current prices" not in catalogue.body
    assert "do not know whether the provider still offers" in catalogue.body
    bodies = [*Stage.objects.values_list("body", flat=True)]
    bodies += Task.objects.values_list("body", flat=True)
    assert not [body for body in bodies if "estimate costs" in body]


def test_topics_describe_fair_deal_and_the_taskforce_precisely(shipped):
    pensions = Topic.objects.get(slug="pensions").description
    assert "compulsorily transferred from central government, the NHS and schools" in pensions
    assert "keep access to their public service pension scheme" in pensions
    taskforce = Topic.objects.get(slug="mutuals-taskforce-publications").description
    assert "June 2012" in taskforce
    assert "They made the case" in taskforce


def test_the_ambassadors_programme_is_told_as_it_stood_in_2012(shipped):
    task = Task.objects.get(slug="share-what-you-have-learned")
    history = Page.objects.get(slug="what-is-a-mutual")
    for text in (task.body, history.body):
        assert "In 2012, the Cabinet Office was setting up a Mutuals Ambassadors Programme" in text
