import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from guides.library.files import describe_upload, safe_filename, validate_upload
from guides.library.forms import ResourceAdminForm
from guides.models import Resource
from tests.factories import DOCX, ODS, ODT, PDF, PLAIN_ZIP, PNG, XLSX


def upload(name, content):
    return SimpleUploadedFile(name, content)


def stored_files(media):
    return sorted(p.relative_to(media).as_posix() for p in media.rglob("*") if p.is_file())


@pytest.mark.parametrize(
    ("name", "content", "label"),
    [
        ("plan.pdf", PDF, "PDF"),
        ("plan.docx", DOCX, "DOCX"),
        ("budget.xlsx", XLSX, "XLSX"),
        ("plan.odt", ODT, "ODT"),
        ("budget.ods", ODS, "ODS"),
        ("costs.csv", b"item,cost\npayroll,100\n", "CSV"),
        ("costs.csv", "\ufeffitem,cost\nPension \u00a3,100\n".encode(), "CSV"),
        ("readme.txt", "Caf\u00e9 notes\n".encode(), "TXT"),
        ("PLAN.PDF", PDF, "PDF"),
    ],
)
def test_accepted_formats_are_recognised_by_content(name, content, label):
    file = upload(name, content)
    assert validate_upload(file).label == label


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("picture.pdf", PNG),
        ("archive.pdf", PLAIN_ZIP),
        ("archive.docx", PLAIN_ZIP),
        ("letter.xlsx", DOCX),
        ("budget.docx", XLSX),
        ("plan.ods", ODT),
        ("plan.pdf", DOCX),
        ("plan.pdf", b"just some text, not a PDF"),
        ("data.csv", b"name,value\n\x00\x01,2\n"),
        ("data.csv", b"caf\xe9 latin-1 text\n"),
        ("notes.txt", PDF + b"\x00\xff"),
        ("script.html", b"<script>alert(1)</script>"),
        ("picture.png", PNG),
        ("no-extension", PDF),
    ],
)
def test_content_that_does_not_match_an_allowed_extension_is_rejected(name, content):
    with pytest.raises(ValidationError) as error:
        validate_upload(upload(name, content))
    assert error.value.messages == [
        "The selected file must be a PDF, DOCX, XLSX, ODT, ODS, CSV or TXT"
    ]


def test_an_empty_file_is_rejected():
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("plan.pdf", b""))
    assert error.value.messages == ["The selected file is empty"]


def test_a_file_over_the_size_limit_is_rejected(settings):
    settings.RESOURCE_UPLOAD_MAX_BYTES = len(PDF)
    assert validate_upload(upload("plan.pdf", PDF)).label == "PDF"
    with pytest.raises(ValidationError) as error:
        validate_upload(upload("plan.pdf", PDF + b"\n"))
    assert error.value.messages == [f"The selected file must be smaller than {len(PDF)} bytes"]


def test_the_default_limit_is_described_in_megabytes(settings):
    settings.RESOURCE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024
    big = upload("plan.pdf", PDF)
    big.size = 20 * 1024 * 1024 + 1
    with pytest.raises(ValidationError) as error:
        validate_upload(big)
    assert error.value.messages == ["The selected file must be smaller than 20 MB"]


@pytest.mark.parametrize(
    ("name", "safe"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("..\\..\\evil.pdf", "evil.pdf"),
        ("<script>.pdf", "script.pdf"),
        (".hidden.PDF", "hidden.pdf"),
        ("...", "document"),
        ("Business plan (final).DOCX", "Business_plan_final.docx"),
        ("Cafe\u0301 menu.pdf", "Caf\u00e9_menu.pdf"),
        ("\uff21\uff22\uff23.pdf", "ABC.pdf"),
        ("/absolute/path/report.xlsx", "report.xlsx"),
        ("report.pdf\x00.exe", "report.pdf.exe"),
    ],
)
def test_file_names_are_made_safe(name, safe):
    assert safe_filename(name) == safe


def test_long_file_names_are_cut_keeping_the_extension():
    name = safe_filename("a" * 300 + ".pdf")
    assert len(name) == 100
    assert name.endswith("a.pdf")


def test_describe_upload_gives_label_and_size():
    assert describe_upload(upload("plan.docx", DOCX)) == ("DOCX", len(DOCX))


def resource_data(**fields):
    return {
        "title": "Business plan template",
        "slug": "business-plan-template",
        "summary": "A template for your business plan.",
        "body": "",
        "resource_type": Resource.Type.TEMPLATE,
        "published_on": "",
        "published_precision": Resource.DatePrecision.DAY,
        "external_url": "",
        "status": "published",
        "last_reviewed": "2026-11-23",
        **fields,
    }


@pytest.mark.django_db
def test_form_stores_a_good_upload_with_a_safe_name_type_and_size(media):
    form = ResourceAdminForm(resource_data(), {"file": upload("../../Business plan.PDF", PDF)})
    assert form.is_valid(), form.errors
    resource = form.save()
    assert resource.file_type == "PDF"
    assert resource.file_size == len(PDF)
    assert resource.file.name.startswith("resources/")
    assert resource.file.name.endswith("/Business_plan.pdf")
    assert stored_files(media) == [resource.file.name]


@pytest.mark.django_db
def test_form_rejects_a_disguised_upload_and_stores_nothing(media):
    form = ResourceAdminForm(resource_data(), {"file": upload("plan.pdf", PNG)})
    assert not form.is_valid()
    assert form.errors["file"] == [
        "The selected file must be a PDF, DOCX, XLSX, ODT, ODS, CSV or TXT"
    ]
    assert Resource.objects.count() == 0
    assert stored_files(media) == []


@pytest.mark.django_db
def test_a_very_long_file_name_is_shortened_not_refused(media):
    form = ResourceAdminForm(resource_data(), {"file": upload("a" * 300 + ".pdf", PDF)})
    assert form.is_valid(), form.errors
    assert len(form.save().file.name) < 120


@pytest.mark.django_db
def test_clearing_the_file_clears_its_type_and_size(media):
    form = ResourceAdminForm(resource_data(), {"file": upload("plan.pdf", PDF)})
    resource = form.save() if form.is_valid() else None
    form = ResourceAdminForm(resource_data(**{"file-clear": "on"}), instance=resource)
    assert form.is_valid(), form.errors
    resource = form.save()
    resource.refresh_from_db()
    assert not resource.file
    assert (resource.file_type, resource.file_size) == ("", None)


@pytest.mark.django_db
def test_editing_other_fields_keeps_the_file_details(media):
    form = ResourceAdminForm(resource_data(), {"file": upload("plan.xlsx", XLSX)})
    resource = form.save() if form.is_valid() else None
    form = ResourceAdminForm(resource_data(title="Budget template"), instance=resource)
    assert form.is_valid(), form.errors
    resource = form.save()
    resource.refresh_from_db()
    assert (resource.title, resource.file_type, resource.file_size) == (
        "Budget template",
        "XLSX",
        len(XLSX),
    )
    assert reverse("guides:resource-download", args=[resource.slug]) == resource.get_download_url()
