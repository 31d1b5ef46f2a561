import datetime
import re

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from guides.library.views import download_link_text, link_domain, resource_detail_context
from guides.models import Resource
from portal.core.publishing import Status

pytestmark = pytest.mark.django_db

# The smallest file a PDF reader opens: enough for a real download in tests.
TINY_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh folder, so tests never share or leave files."""
    settings.MEDIA_ROOT = tmp_path


def attach_file(resource, name="business-plan-template.docx", file_type="DOCX", size=48 * 1024):
    resource.file.save(name, ContentFile(TINY_PDF), save=False)
    # Upload validation sets these in the admin; here they are set as an upload would.
    resource.file_type = file_type
    resource.file_size = size
    resource.save()
    return resource


def page_html(client, resource):
    response = client.get(resource.get_absolute_url())
    assert response.status_code == 200
    return response, response.content.decode()


def summary_rows(html):
    """The summary list as {key: value text}, tags stripped and spaces collapsed."""
    rows = re.findall(
        r'<dt class="govuk-summary-list__key">(.*?)</dt>\s*'
        r'<dd class="govuk-summary-list__value">(.*?)</dd>',
        html,
        re.DOTALL,
    )
    return {key: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for key, value in rows}


def test_page_shows_title_summary_body_and_metadata(
    client, make_resource, make_topic, make_publisher, make_stage
):
    tupe, pensions = make_topic("TUPE"), make_topic("Pensions")
    stage = make_stage(title="Build the business case", slug="build-the-business-case")
    resource = make_resource(
        title="Staff transfers explained",
        summary="How staff move to a new employer when a service spins out.",
        body="## Who it is for\n\nStaff and managers.",
        resource_type=Resource.Type.REPORT,
        publisher=make_publisher("Employee Ownership Association"),
        published_on=datetime.date(2012, 6, 1),
        published_precision=Resource.DatePrecision.MONTH,
        last_reviewed=datetime.date(2026, 11, 2),
        topics=[tupe, pensions],
        stages=[stage],
    )

    response, html = page_html(client, resource)

    assert '<h1 class="govuk-heading-xl">Staff transfers explained</h1>' in html
    assert (
        '<p class="govuk-body-l">How staff move to a new employer when a service spins out.</p>'
        in html
    )
    assert (
        '<meta name="description" content="How staff move to a new employer when a service '
        'spins out.">' in html
    )
    assert "Who it is for</h2>" in html
    assert summary_rows(html) == {
        "Type": "Report",
        "Publisher": "Employee Ownership Association",
        "Published": "June 2012",
        "Topics": "Pensions TUPE",
        "Guide stages": "Stage 1: Build the business case",
        "Last reviewed": "2 November 2026",
    }
    assert f'href="{tupe.get_absolute_url()}">TUPE</a>' in html
    assert 'href="/resources/topics/pensions/">Pensions</a>' in html
    assert f'href="{stage.get_absolute_url()}">Stage 1: Build the business case</a>' in html
    assert response.context["breadcrumbs"] == [
        {"text": "Home", "href": reverse("portal:home")},
        {"text": "Resources", "href": reverse("guides:resource-list")},
    ]
    assert 'Last reviewed: <time datetime="2026-11-02">2 November 2026</time>' in html
    assert html.count("<h1") == 1


def test_unknown_dates_and_publishers_say_not_known(client, make_resource):
    resource = make_resource(published_on=None, publisher=None)
    rows = summary_rows(page_html(client, resource)[1])
    assert rows["Publisher"] == "Not known"
    assert rows["Published"] == "Not known"
    assert "Topics" not in rows
    assert "Guide stages" not in rows


def test_only_published_stages_are_linked(client, make_resource, make_stage):
    live = make_stage(title="Explore the idea")
    draft = make_stage(title="A stage still in draft", status=Status.DRAFT)
    resource = make_resource(stages=[live, draft])
    html = page_html(client, resource)[1]
    assert "Explore the idea" in html
    assert "A stage still in draft" not in html
    assert draft.get_absolute_url() not in html


class TestNotFound:
    def test_draft_resource_is_a_404(self, client, make_resource):
        draft = make_resource(status=Status.DRAFT)
        assert client.get(draft.get_absolute_url()).status_code == 404

    def test_unknown_slug_is_a_404(self, client, db):
        url = reverse("guides:resource-detail", kwargs={"slug": "no-such-resource"})
        assert client.get(url).status_code == 404


class TestGettingTheDocument:
    def test_file_is_offered_with_its_format_and_size(self, client, make_resource):
        resource = attach_file(make_resource(title="Business plan template"))
        html = page_html(client, resource)[1]
        assert (
            f'href="{resource.get_download_url()}">'
            "Download the business plan template (DOCX, 48 KB)</a>" in html
        )
        assert "ask the Mutuals Team using the contact page" not in html
        download = client.get(resource.get_download_url())
        assert download.status_code == 200
        assert b"".join(download.streaming_content) == TINY_PDF

    def test_external_link_says_it_is_another_website_and_names_it(self, client, make_resource):
        resource = make_resource(
            title="Working with the public sector",
            external_url="https://www.example.org/documents/working-with-the-public-sector",
        )
        html = page_html(client, resource)[1]
        assert (
            'href="https://www.example.org/documents/working-with-the-public-sector" '
            'rel="external">Read ‘Working with the public sector’ on example.org</a>' in html
        )
        assert "This link opens another website, example.org." in html
        assert "Download" not in html
        assert "did not work" not in html

    def test_a_link_that_failed_its_last_check_says_so(self, client, make_resource):
        resource = make_resource(external_url="https://example.org/gone", link_status=404)
        html = page_html(client, resource)[1]
        assert "When we last checked, this link did not work." in html

    def test_file_and_link_are_both_offered(self, client, make_resource):
        resource = attach_file(
            make_resource(title="Tax for new mutuals", external_url="https://example.org/tax"),
            name="tax.pdf",
            file_type="PDF",
            size=1_200_000,
        )
        html = page_html(client, resource)[1]
        assert "Download the tax for new mutuals (PDF, 1.1 MB)</a>" in html
        assert "Read ‘Tax for new mutuals’ on example.org</a>" in html

    def test_without_file_or_link_it_says_how_to_ask_for_a_copy(self, client, make_resource):
        resource = make_resource(file="", external_url="")
        html = page_html(client, resource)[1]
        assert "This document is not available to download from this website." in html
        assert (
            f'<a class="govuk-link" href="{reverse("portal:contact")}">'
            "ask the Mutuals Team using the contact page</a>" in html
        )
        assert "Download" not in html
        assert "another website" not in html


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Business plan template", "Download the business plan template (PDF, 1 KB)"),
        (
            "A roadmap to employee ownership",
            "Download a roadmap to employee ownership (PDF, 1 KB)",
        ),
        ("Mutuals Taskforce briefing", "Download ‘Mutuals Taskforce briefing’ (PDF, 1 KB)"),
        ("TUPE guide", "Download ‘TUPE guide’ (PDF, 1 KB)"),
    ],
)
def test_download_text_keeps_names_and_acronyms_as_written(title, expected):
    resource = Resource(title=title, file="resources/x.pdf", file_type="PDF", file_size=1024)
    assert download_link_text(resource) == expected


def test_link_domain_drops_www_and_keeps_the_rest():
    assert link_domain("https://www.gov.uk/guidance/x") == "gov.uk"
    assert link_domain("https://assets.publishing.service.gov.uk/a.pdf") == (
        "assets.publishing.service.gov.uk"
    )


class TestLegalCaveat:
    CAVEAT = "This document is not legal advice. Get specialist legal advice before you act on it."

    def test_shown_when_flagged(self, client, make_resource):
        html = page_html(client, make_resource(not_legal_advice=True))[1]
        assert 'class="govuk-warning-text"' in html
        assert self.CAVEAT in html

    def test_hidden_otherwise(self, client, make_resource):
        html = page_html(client, make_resource(not_legal_advice=False))[1]
        assert self.CAVEAT not in html
        assert "govuk-warning-text" not in html


class TestRelatedResources:
    def test_shares_a_topic_and_leaves_out_itself_drafts_and_strangers(
        self, client, make_resource, make_topic
    ):
        tax, tupe, assets = make_topic("Tax"), make_topic("TUPE"), make_topic("Assets")
        resource = make_resource(title="The resource itself", topics=[tax, tupe])
        make_resource(title="Same topic", topics=[tax])
        make_resource(title="Draft on the same topic", topics=[tax], status=Status.DRAFT)
        make_resource(title="Different topic", topics=[assets])
        response, html = page_html(client, resource)
        assert [r.title for r in response.context["related_resources"]] == ["Same topic"]
        related = html[html.index("Related resources") :]
        assert "Same topic" in related
        assert "The resource itself" not in related
        assert "Draft on the same topic" not in html
        assert "Different topic" not in html

    def test_most_shared_topics_first_then_newest_and_five_at_most(
        self, client, make_resource, make_topic
    ):
        a, b, c = make_topic("Tax"), make_topic("TUPE"), make_topic("Pensions")
        resource = make_resource(topics=[a, b, c])
        for year in range(2005, 2011):
            make_resource(
                title=f"One shared, {year}", topics=[a], published_on=datetime.date(year, 1, 1)
            )
        make_resource(title="Two shared, undated", topics=[a, b], published_on=None)
        make_resource(
            title="Three shared", topics=[a, b, c], published_on=datetime.date(2001, 1, 1)
        )
        titles = [r.title for r in page_html(client, resource)[0].context["related_resources"]]
        assert titles == [
            "Three shared",
            "Two shared, undated",
            "One shared, 2010",
            "One shared, 2009",
            "One shared, 2008",
        ]

    def test_none_without_topics(self, client, make_resource):
        make_resource(title="Another resource")
        response, html = page_html(client, make_resource(topics=[]))
        assert response.context["related_resources"] == []
        assert "Related resources" not in html


@pytest.mark.parametrize("count", [1, 8])
def test_query_count_is_the_same_however_many_topics_and_related_resources(
    client, make_resource, make_topic, make_stage, make_publisher, django_assert_num_queries, count
):
    topics = [make_topic() for _ in range(count)]
    stages = [make_stage() for _ in range(min(count, 5))]
    resource = make_resource(topics=topics, stages=stages, publisher=make_publisher())
    for topic in topics:
        make_resource(topics=[topic], stages=stages)
    # The resource with its publisher, its topics, its published stages, related resources
    # and its change notes.
    with django_assert_num_queries(5):
        response = client.get(resource.get_absolute_url())
    assert len(response.context["topics"]) == count
    assert len(response.context["related_resources"]) == min(count, 5)


def test_context_serves_a_draft_for_the_admin_preview(make_resource, make_topic):
    topic = make_topic("Tax")
    draft = make_resource(status=Status.DRAFT, topics=[topic])
    make_resource(title="Published neighbour", topics=[topic])
    context = resource_detail_context(draft)
    assert context["resource"] == draft
    assert context["topics"] == [topic]
    assert [r.title for r in context["related_resources"]] == ["Published neighbour"]


def test_print_stylesheet_writes_out_external_addresses(client):
    from pathlib import Path

    from django.contrib.staticfiles import finders

    css = Path(finders.find("css/guides.css")).read_text()
    print_rules = css[css.index("@media print") :]
    assert '.app-resource-access a[href^="http"]::after' in print_rules


def test_page_address_is_printed_on_paper(client, make_resource):
    resource = make_resource(slug="business-plan-template")
    html = page_html(client, resource)[1]
    assert (
        '<p class="govuk-body app-print-only">This page is at '
        "http://testserver/resources/business-plan-template/</p>" in html
    )


def test_admin_preview_of_a_draft_shows_the_whole_page(editor_client, make_resource, make_topic):
    topic = make_topic("Tax")
    draft = make_resource(
        title="Budget measures", status=Status.DRAFT, not_legal_advice=True, topics=[topic]
    )
    make_resource(title="Published neighbour", topics=[topic])
    response = editor_client.get(reverse("admin:guides_resource_preview", args=[draft.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "This is a preview." in html
    assert '<h1 class="govuk-heading-xl">Budget measures</h1>' in html
    assert summary_rows(html)["Topics"] == "Tax"
    assert "Published neighbour" in html
    assert "not legal advice" in html
