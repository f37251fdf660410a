"""Uploaded files: checked by their content (not their name or the browser's word), limited in size,
and kept in the private storage (settings.STORAGES["private"], outside the web root).

Every app that accepts a file calls `check_upload` in its form's clean method and saves through
`private_storage()`; the file leaves the site only through an access helper and
`audit.downloads.download_response`.
"""

import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.template.defaultfilters import filesizeformat


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    content_type: str
    extension: str


PDF = Kind("pdf", "PDF", "application/pdf", "pdf")
PNG = Kind("png", "PNG画像", "image/png", "png")
JPEG = Kind("jpeg", "JPEG画像", "image/jpeg", "jpg")
XLSX = Kind("xlsx", "Excel (xlsx)", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
DOCX = Kind("docx", "Word (docx)", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
DOCUMENTS = (PDF, XLSX, DOCX, PNG, JPEG)
IMAGES = (PNG, JPEG)

_ZIP_MARKERS = {"xlsx": "xl/workbook.xml", "docx": "word/document.xml"}


def sniff(uploaded) -> Kind | None:
    """The kind of `uploaded` judged by its bytes, or None."""
    uploaded.seek(0)
    head = uploaded.read(8)
    uploaded.seek(0)
    if head.startswith(b"%PDF-"):
        return PDF
    if head == b"\x89PNG\r\n\x1a\n":
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(uploaded) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError, ValueError):
            return None
        finally:
            uploaded.seek(0)
        for kind in (XLSX, DOCX):
            if _ZIP_MARKERS[kind.name] in names and "[Content_Types].xml" in names:
                return kind
    return None


def check_upload(uploaded, *, kinds=DOCUMENTS, max_bytes: int | None = None) -> Kind:
    """Return the file's kind, or raise ValidationError (Japanese) when it is empty, too large, or not
    one of `kinds` by its content."""
    limit = max_bytes if max_bytes is not None else settings.UPLOAD_MAX_BYTES
    if uploaded is None or uploaded.size == 0:
        raise ValidationError("ファイルが空です。", code="empty")
    if uploaded.size > limit:
        raise ValidationError(
            "ファイルが大きすぎます（上限 %(limit)s）。", code="too_large", params={"limit": filesizeformat(limit)}
        )
    kind = sniff(uploaded)
    if kind is None or kind not in kinds:
        allowed = "、".join(k.label for k in kinds)
        raise ValidationError(
            "この種類のファイルは受け付けていません（%(allowed)s）。", code="kind", params={"allowed": allowed}
        )
    return kind


def private_storage():
    """The storage outside the web root for uploaded and generated files."""
    return storages["private"]
