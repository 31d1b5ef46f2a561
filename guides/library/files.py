"""Uploaded documents: what may be uploaded, and how downloads are served."""

import codecs
import posixpath
import unicodedata
import zipfile
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.utils.text import get_valid_filename

from portal.core.formats import readable_file_size

from .models import Resource


@dataclass(frozen=True)
class FileFormat:
    label: str
    content_type: str


# Keyed by the lower-case extension, which must agree with what the content turns out to be.
FORMATS = {
    "pdf": FileFormat("PDF", "application/pdf"),
    "docx": FileFormat(
        "DOCX", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    ),
    "xlsx": FileFormat("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "odt": FileFormat("ODT", "application/vnd.oasis.opendocument.text"),
    "ods": FileFormat("ODS", "application/vnd.oasis.opendocument.spreadsheet"),
    "csv": FileFormat("CSV", "text/csv; charset=utf-8"),
    "txt": FileFormat("TXT", "text/plain; charset=utf-8"),
}
TEXT_EXTENSIONS = {"csv", "txt"}
# What a ZIP container must hold to be each office format, for documents filetype only sees as
# a ZIP because their identifying entry is not among the first few.
ZIP_MARKERS = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}
ODF_MIMETYPES = {"odt": FORMATS["odt"].content_type, "ods": FORMATS["ods"].content_type}

WRONG_TYPE = "The selected file must be a PDF, DOCX, XLSX, ODT, ODS, CSV or TXT"
EMPTY = "The selected file is empty"
MAX_NAME_LENGTH = 100
CHUNK_SIZE = 64 * 1024


def split_extension(name):
    stem, dot, extension = name.rpartition(".")
    return (stem, extension.lower()) if dot else (name, "")


def safe_filename(name):
    """A harmless file name: no folders, no leading dots, safe characters, a short length."""
    name = unicodedata.normalize("NFKC", str(name or ""))
    # Both separators: a name from Windows can carry backslashes.
    name = posixpath.basename(name.replace("\\", "/"))
    stem, extension = split_extension(name)
    try:
        stem = get_valid_filename(stem.lstrip(". ")).strip("._-")
    except SuspiciousFileOperation:
        stem = ""
    try:
        extension = get_valid_filename(extension).strip("._-")
    except SuspiciousFileOperation:
        extension = ""
    stem = stem or "document"
    extension = extension[:10]
    stem = stem[: MAX_NAME_LENGTH - len(extension) - 1].rstrip("._-") or "document"
    return f"{stem}.{extension}" if extension else stem


def _head(file, size=8192):
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _is_utf8_text(file):
    """True if the whole file decodes as UTF-8 (a BOM allowed) and holds no NUL bytes."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    try:
        for chunk in file.chunks(CHUNK_SIZE):
            if b"\x00" in chunk:
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        file.seek(0)
    return True


def _zip_holds(file, extension):
    """Whether a ZIP container is the office document its extension claims."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
            if extension in ZIP_MARKERS:
                return ZIP_MARKERS[extension] in names
            if extension in ODF_MIMETYPES and "mimetype" in names:
                with archive.open("mimetype") as member:
                    return member.read(200).strip() == ODF_MIMETYPES[extension].encode()
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError, NotImplementedError):
        return False
    finally:
        file.seek(0)
    return False


def detect_extension(file, extension):
    """The extension the file's content shows it to be, judged against the one it claims."""
    if extension in TEXT_EXTENSIONS:
        # Text has no magic number: what matters is that it is clean UTF-8.
        return extension if _is_utf8_text(file) else None
    kind = filetype.guess(_head(file))
    if kind is None:
        return None
    if kind.extension == "zip" and extension in {*ZIP_MARKERS, *ODF_MIMETYPES}:
        return extension if _zip_holds(file, extension) else "zip"
    return kind.extension


def validate_upload(file):
    """Check an uploaded document's size and content; return its format or raise ValidationError."""
    limit = getattr(settings, "RESOURCE_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
    if not file.size:
        raise ValidationError(EMPTY, code="empty")
    if file.size > limit:
        raise ValidationError(
            f"The selected file must be smaller than {readable_file_size(limit)}", code="too_big"
        )
    _, extension = split_extension(safe_filename(file.name))
    if extension not in FORMATS or detect_extension(file, extension) != extension:
        raise ValidationError(WRONG_TYPE, code="wrong_type")
    return FORMATS[extension]


def clean_upload(file):
    """Validate a new upload and give it a safe name; other values (kept, cleared) pass through."""
    if not isinstance(file, UploadedFile):
        return file
    validate_upload(file)
    file.name = safe_filename(file.name)
    return file


def describe_upload(file):
    """The label and size to store for an accepted upload: ('PDF', 1234)."""
    _, extension = split_extension(file.name)
    return FORMATS[extension].label, file.size


def format_for_name(name):
    _, extension = split_extension(name)
    return FORMATS.get(extension)


def file_response(resource):
    """The resource's file as an attachment, never as a page the browser renders."""
    if not resource.file:
        raise Http404("This resource has no file.")
    try:
        handle = resource.file.storage.open(resource.file.name, "rb")
    except (FileNotFoundError, IsADirectoryError, SuspiciousFileOperation) as error:
        raise Http404("This resource's file is missing.") from error
    _, extension = split_extension(resource.file.name)
    file_format = FORMATS.get(extension)
    name = safe_filename(f"{resource.slug}.{extension}" if extension else resource.slug)
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=name,
        content_type=file_format.content_type if file_format else "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    # If a browser does render it, it gets no scripts, forms or same-origin rights.
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


def download(request, slug):
    """A published resource's file, for anyone."""
    resource = get_object_or_404(Resource.objects.published().exclude(file=""), slug=slug)
    response = file_response(resource)
    # Short, so a replaced or unpublished document does not linger in shared caches.
    patch_cache_control(response, public=True, max_age=600)
    return response
