import pytest
from django.core.files.base import ContentFile

from portal.core.publishing import Status
from tests.factories import DOCX, ODS, PDF

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_file(make_resource, media):
    def make(name="plan.pdf", content=PDF, file_type="PDF", **fields):
        resource = make_resource(**fields)
        resource.file.save(name, ContentFile(content), save=False)
        resource.file_type, resource.file_size = file_type, len(content)
        resource.save()
        return resource

    return make


def test_download_is_an_attachment_with_safe_headers(client, with_file):
    resource = with_file(slug="business-plan-template")
    response = client.get(resource.get_download_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="business-plan-template.pdf"'
    assert response["Content-Length"] == str(len(PDF))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert "max-age=600" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "plan.docx",
            DOCX,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ("budget.ods", ODS, "application/vnd.oasis.opendocument.spreadsheet"),
        ("costs.csv", b"a,b\n1,2\n", "text/csv; charset=utf-8"),
        ("notes.txt", b"Some notes\n", "text/plain; charset=utf-8"),
    ],
)
def test_download_content_type_follows_the_format(client, with_file, name, content, content_type):
    resource = with_file(name, content, slug="the-document")
    response = client.get(resource.get_download_url())
    response.close()
    assert response["Content-Type"] == content_type
    extension = name.rsplit(".", 1)[1]
    assert response["Content-Disposition"] == f'attachment; filename="the-document.{extension}"'


def test_draft_resource_cannot_be_downloaded(client, with_file):
    resource = with_file(status=Status.DRAFT)
    assert client.get(resource.get_download_url()).status_code == 404


def test_resource_without_a_file_has_no_download(client, make_resource):
    resource = make_resource()
    assert client.get(resource.get_download_url()).status_code == 404


def test_unknown_slug_is_not_found(client, db):
    assert client.get("/resources/no-such-resource/download/").status_code == 404


def test_file_missing_from_storage_is_not_found(client, with_file):
    resource = with_file()
    resource.file.storage.delete(resource.file.name)
    assert client.get(resource.get_download_url()).status_code == 404


def test_file_name_pointing_outside_storage_is_not_found(client, make_resource, media):
    resource = make_resource(file="../../etc/passwd", file_type="TXT")
    assert client.get(resource.get_download_url()).status_code == 404
