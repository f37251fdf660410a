"""Prepared downloads: exports and PDFs too long for a request, built in the worker, fetched from "my downloads".

An app registers a builder once (`register_export`), a view asks for a file with `download_request`
(one row, one task queued after commit, the user redirected to "my downloads"), the worker runs
`build` and streams the file into the private storage (outside the web root), and
`audit.views.download_file` hands it over through the access helper. Making the file and each
download are access-log rows; `manage.py prune_downloads` deletes files past DOWNLOADS_KEEP_HOURS.

`audit.downloads.download_response` stays the way for small files made on the spot.
"""

import datetime
import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import BinaryIO

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from ageo_network.history import save_tracked
from ageo_network.uploads import private_storage
from audit.models import AccessLog, PreparedDownload
from audit.services import access_log

logger = logging.getLogger("audit.exports")

# builder(download, out) writes the file to the binary stream `out` and returns (filename, content type).
Builder = Callable[[PreparedDownload, BinaryIO], tuple[str, str]]


@dataclass(frozen=True)
class Export:
    kind: str
    builder: Builder


_EXPORTS: dict[str, Export] = {}


def register_export(kind: str, builder: Builder) -> None:
    _EXPORTS[kind] = Export(kind, builder)


def keep_for() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.DOWNLOADS_KEEP_HOURS)


@transaction.atomic
def download_request(
    *, request, kind: str, title: str, params: dict, scope: str, object_label: str = "", case_ref: str = ""
) -> PreparedDownload:
    """Queue the file `kind` for the signed-in user; the worker builds it after this transaction commits."""
    if kind not in _EXPORTS:
        raise LookupError(f"no export registered as {kind!r}")
    download = PreparedDownload(
        user=request.user,
        kind=kind,
        title=title,
        params=params,
        scope=scope,
        object_label=object_label,
        case_ref=case_ref,
        expires_at=timezone.now() + keep_for(),
    )
    save_tracked(download, by=request.user)
    from audit.tasks import build_download

    transaction.on_commit(lambda: build_download.enqueue(download.pk))
    return download


def build(download: PreparedDownload) -> PreparedDownload:
    """Run the builder into the private storage (the worker's side); a failure is recorded, never raised."""
    storage = private_storage()
    path = f"downloads/{download.uuid}"
    try:
        # Written in place in the storage's directory (outside the web root), readable by the site's
        # account only; FileSystemStorage.open cannot create a file for writing.
        full = storage.path(path)
        os.makedirs(os.path.dirname(full), mode=0o700, exist_ok=True)
        with os.fdopen(os.open(full, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "wb") as out:
            filename, content_type = _EXPORTS[download.kind].builder(download, out)
        download.filename, download.content_type = filename, content_type
        download.path, download.size = path, storage.size(path)
        download.status = PreparedDownload.Status.READY
    except Exception as error:
        logger.exception("export %s failed", download.kind)
        if storage.exists(path):
            storage.delete(path)
        download.status, download.error = PreparedDownload.Status.FAILED, type(error).__name__[:100]
    download.finished_at = timezone.now()
    fields = ["status", "filename", "content_type", "path", "size", "error", "finished_at"]
    save_tracked(download, by=download.user, update_fields=fields)
    if download.is_ready:
        # The file now exists outside the database: that it was made, for whom, is an access-log row.
        access_log(
            user=download.user,
            action=AccessLog.Action.EXPORT,
            scope=download.scope,
            object_type=f"{download.kind}.prepared",
            object_id=str(download.uuid),
            object_label=download.object_label,
            case_ref=download.case_ref,
            basis=AccessLog.Basis.ROLE,
        )
    return download


def visible_downloads(user):
    """The user's own prepared files that have not expired, newest first."""
    return PreparedDownload.objects.filter(user=user, expires_at__gt=timezone.now())


def prune(now: datetime.datetime | None = None) -> int:
    """Delete expired files and their rows (history keeps who asked for what); returns how many."""
    now = now or timezone.now()
    storage = private_storage()
    count = 0
    for download in PreparedDownload.objects.filter(expires_at__lte=now):
        if download.path and storage.exists(download.path):
            storage.delete(download.path)
        download._history_user = None
        download.delete()
        count += 1
    return count
