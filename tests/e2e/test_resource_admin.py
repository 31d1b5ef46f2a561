import pytest
from django.urls import reverse
from playwright.sync_api import expect

from guides.models import Resource, Topic
from tests.e2e.helpers import assert_accessible, sign_in
from tests.factories import PDF, PNG

pytestmark = pytest.mark.e2e


def fill_in_the_resource(page, title):
    page.get_by_label("Title:").fill(title)
    page.get_by_label("Summary:").fill("What to ask your pension scheme before you transfer.")
    page.get_by_role("checkbox", name="Pensions").check()


def test_editor_adds_a_resource_with_a_pdf(live_server, editor, media, page, page_errors):
    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("admin:guides_resource_changelist"))
    assert_accessible(page)

    page.goto(live_server.url + reverse("admin:guides_resource_add"))
    assert_accessible(page)
    fill_in_the_resource(page, "Pension questions checklist")
    page.get_by_label("File to upload").set_input_files(
        {"name": "Pension questions.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_label("Status:").select_option("published")
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".messagelist")).to_contain_text("was added successfully")
    assert_accessible(page)
    resource = Resource.objects.get(title="Pension questions checklist")
    assert resource.slug == "pension-questions-checklist"
    assert (resource.file_type, resource.file_size) == ("PDF", len(PDF))
    assert list(resource.topics.all()) == [Topic.objects.get(name="Pensions")]
    response = page.request.get(live_server.url + resource.get_download_url())
    assert response.status == 200
    assert response.body() == PDF

    page.goto(live_server.url + reverse("admin:guides_resource_change", args=[resource.pk]))
    expect(page.get_by_role("link", name="Pension_questions.pdf", exact=True)).to_be_visible()
    expect(page.get_by_text(f"PDF, {len(PDF)} bytes")).to_be_visible()
    assert_accessible(page)

    # The visitor's view: the new document in the finder, with its format and size.
    page.goto(live_server.url + reverse("guides:resource-list") + "?topic=pensions")
    result = page.locator("li", has=page.get_by_role("link", name="Pension questions checklist"))
    expect(result).to_contain_text(f"PDF, {len(PDF)} bytes")
    assert page_errors == []


def test_editor_is_told_why_an_upload_was_refused(live_server, editor, media, page, page_errors):
    sign_in(page, live_server, editor)
    page.goto(live_server.url + reverse("admin:guides_resource_add"))
    fill_in_the_resource(page, "A picture, not a document")
    page.get_by_label("File to upload").set_input_files(
        {"name": "photo.pdf", "mimeType": "application/pdf", "buffer": PNG}
    )
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".errorlist")).to_contain_text(
        "The selected file must be a PDF, DOCX, XLSX, ODT, ODS, CSV or TXT"
    )
    assert_accessible(page)
    assert not Resource.objects.filter(title="A picture, not a document").exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert page_errors == []
