"""Every download the project serves: one document, one access-log row, headers that keep it off shared caches."""

import re
import unicodedata
from urllib.parse import quote

from django.http import FileResponse, HttpResponse

from ageo_network.documents import Document
from ageo_network.uploads import private_storage
from audit.services import access_log

_UNSAFE = re.compile(r'["\\/:*?<>|;]')
_SPACE = re.compile(r"\s+")
_NON_ASCII = re.compile(r"[^\x20-\x7e]+")


def safe_filename(name: str) -> str:
    """The file name without quotes, path separators, control characters or leading dots; never empty."""
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")
    name = _SPACE.sub(" ", _UNSAFE.sub("_", name)).strip().lstrip(".")
    return name or "download"


def content_disposition(filename: str) -> str:
    """`attachment` with an ASCII name, plus RFC 5987 `filename*` when the real name is not ASCII."""
    name = safe_filename(filename)
    fallback = _NON_ASCII.sub("_", name)
    if fallback == name:
        return f'attachment; filename="{name}"'
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def download_response(request, document: Document, *, log: bool = True, **log_fields) -> HttpResponse:
    """The document as an attachment, with the access-log row `access_log(request=request, **log_fields)`.

    Pass `log=False` (and no log fields) only when the view's access helper has already written the
    row for this very read, as `cases.access.get_case_for_user(..., action=PDF)` does.
    """
    if log:
        access_log(request=request, **log_fields)
    elif log_fields:
        raise TypeError("log=False writes no row: drop the log fields or the flag")
    response = HttpResponse(document.content, content_type=document.content_type)
    response["Content-Disposition"] = content_disposition(document.filename)
    response["Content-Length"] = str(len(document.content))
    # Every document the project makes names people or cases: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def prepared_download_response(download) -> FileResponse:
    """A file the worker made (audit/exports.py), streamed from the private storage; the access helper has
    already written the row (audit.access.get_download_for_user)."""
    response = FileResponse(private_storage().open(download.path, "rb"), content_type=download.content_type)
    response["Content-Disposition"] = content_disposition(download.filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
