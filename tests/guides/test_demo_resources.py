from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from guides.models import Publisher, Resource, Topic
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command("generate_demo_resources", *args, stdout=out)
    return out.getvalue()


def test_creates_valid_varied_resources_with_topics(make_stage):
    stages = [make_stage() for _ in range(3)]
    output = generate("60", "--seed", "3")

    resources = list(Resource.objects.prefetch_related("topics", "stages"))
    assert len(resources) == 60
    assert "Added 60 demo resources, demo-1 to demo-60" in output
    assert {r.slug for r in resources} == {f"demo-{n}" for n in range(1, 61)}
    # The twelve library topics are created when there are none.
    assert Topic.objects.count() == 12
    assert Publisher.objects.exists()
    for resource in resources:
        resource.full_clean()
        assert 1 <= len(resource.topics.all()) <= 3
        assert set(resource.stages.all()) <= set(stages)
        assert resource.summary.startswith(f"Demo resource {resource.slug[5:]}:")
        assert "body" in resource.rendered
    assert len({r.resource_type for r in resources}) >= 4
    assert len({r.title for r in resources}) >= 40
    assert {r.published_precision for r in resources} == set(Resource.DatePrecision)
    assert any(r.external_url.startswith("https://example.org/") for r in resources)
    assert any(r.stages.all() for r in resources)
    assert Resource.objects.published().count() >= 40


def test_uses_existing_topics_and_continues_numbering(make_topic, make_resource):
    tupe = make_topic("TUPE")
    make_resource(slug="demo-7")
    generate("5")
    assert Topic.objects.get() == tupe
    assert set(Resource.objects.filter(topics=tupe).values_list("slug", flat=True)) >= {
        f"demo-{n}" for n in range(8, 13)
    }


def test_delete_removes_demo_resources_and_leaves_others(make_resource):
    real = make_resource(slug="demo-day-guide", title="Running a demo day")
    generate("25")
    assert Resource.objects.count() == 26

    output = generate("--delete")

    assert list(Resource.objects.all()) == [real]
    assert "Removed 25 demo resources." in output
    assert not Resource.history.filter(slug__regex=r"^demo-[0-9]+$").exists()
    assert real.history.count() == 1


def test_same_seed_gives_the_same_resources():
    generate("10", "--seed", "8")
    first = list(Resource.objects.order_by("slug").values_list("title", "status"))
    generate("--delete", "10", "--seed", "8")
    assert list(Resource.objects.order_by("slug").values_list("title", "status")) == first


def test_a_count_or_delete_is_needed(db):
    with pytest.raises(CommandError):
        generate()
    with pytest.raises(CommandError):
        generate("-3")


def test_drafts_are_not_published(db):
    generate("50", "--seed", "1")
    drafts = Resource.objects.filter(status=Status.DRAFT)
    assert drafts.exists()
    assert not Resource.objects.published().filter(pk__in=drafts)


def test_search_vectors_are_filled_on_postgresql(db):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("Search vectors are kept on PostgreSQL only.")
    generate("5")
    assert not Resource.objects.filter(search_vector__isnull=True).exists()


def test_demo_resources_are_in_the_site_search(client, make_resource):
    from django.urls import reverse

    from portal.site_search.models import SearchDocument

    make_resource(title="Not a demo", slug="not-a-demo")
    generate("30", "--seed", "2", "--batch-size", "7")
    demo = Resource.objects.filter(slug__startswith="demo-", status=Status.PUBLISHED)
    documents = SearchDocument.objects.filter(kind="resource")
    assert sorted(documents.values_list("title", flat=True)) == sorted(
        [*demo.values_list("title", flat=True), "Not a demo"]
    )
    one = demo.first()
    response = client.get(reverse("portal:search"), {"q": one.title, "type": "resource"})
    assert one.get_absolute_url() in {d.url for d in response.context["page"].object_list}
