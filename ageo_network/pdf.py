"""Render Django templates to PDF with WeasyPrint.

The fetcher reads only the project's own static files: WeasyPrint would
otherwise follow any file:// or http URL found in a rendered template.
"""

import mimetypes
from pathlib import Path

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

# A host that never resolves; every URL the document uses is relative to it.
PDF_BASE_URL = "https://pdf.invalid/"


class StaticOnlyFetcher(weasyprint.URLFetcher):
    """Serve https://pdf.invalid/static/<path> from the static files; refuse everything else."""

    def fetch(self, url, headers=None):
        prefix = PDF_BASE_URL.rstrip("/") + settings.STATIC_URL
        if not url.startswith(prefix):
            raise ValueError("PDF resources are limited to the project's static files")
        relative = url[len(prefix) :].split("?")[0].split("#")[0]
        found = finders.find(relative) if ".." not in relative.split("/") else None
        if not found:
            raise ValueError("static file not found")
        path = Path(found)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), headers={"Content-Type": content_type})


def render_pdf(template_name: str, context: dict) -> bytes:
    html = render_to_string(template_name, context)
    document = weasyprint.HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher())
    return document.write_pdf()
