"""Render Django templates to PDF with WeasyPrint.

The fetcher reads only the project's own static files: WeasyPrint would
otherwise follow any file:// or http URL found in a rendered template.
It reads them through the static storage, so the hashed names that
`{% static %}` writes after `collectstatic` (ManifestStaticFilesStorage)
resolve in production exactly as the plain names do in development.
"""

import mimetypes
from urllib.parse import unquote

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string

from ageo_network.documents import PDF, Document

# A host that never resolves; every URL the document uses is relative to it.
PDF_BASE_URL = "https://pdf.invalid/"


class MissingStaticFile(RuntimeError):
    """A static file the PDF's template asks for does not exist: no PDF rather than one without its stylesheet."""


class _Missing(weasyprint.urls.FatalURLFetchingError):
    # WeasyPrint swallows every other fetch error and renders on without the resource.
    pass


def _static_bytes(name: str) -> bytes | None:
    """The file `name` as the static storage serves it (collected, maybe hashed), else as the finders see it."""
    try:
        if staticfiles_storage.exists(name):
            with staticfiles_storage.open(name) as file:
                return file.read()
        # Development without collectstatic: the storage location is empty, the finders know the sources.
        found = finders.find(name)
    except SuspiciousFileOperation:
        return None
    if not found:
        return None
    with open(found, "rb") as file:
        return file.read()


class StaticOnlyFetcher(weasyprint.URLFetcher):
    """Serve https://pdf.invalid/static/<path> from the static files; refuse everything else."""

    def fetch(self, url, headers=None):
        prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError("PDF resources are limited to the project's static files")
        path = unquote(url[len(prefix) :].split("?")[0].split("#")[0]).replace("\\", "/")
        if not path or path.startswith("/") or "\x00" in path or ".." in path.split("/"):
            raise ValueError("PDF resources are limited to the project's static files")
        content = _static_bytes(path)
        if content is None:
            raise _Missing(f"static file not found: {path}")
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(url, content, headers={"Content-Type": content_type})


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher())
    try:
        return document.write_pdf()
    except _Missing as error:
        raise MissingStaticFile(str(error)) from None


def pdf_document(filename: str, template_name: str, context: dict) -> Document:
    """A PDF document rendered from `template_name` (a template extending pdf/_base.html)."""
    return Document(filename=filename, content_type=PDF, content=render_pdf(template_name, context))
