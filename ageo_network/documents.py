"""The one value every document builder returns: what a download, an email attachment or a file needs."""

from dataclasses import dataclass

PDF = "application/pdf"
CSV = "text/csv; charset=utf-8"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Document:
    """A finished file: its name (may be Japanese; the download helper makes it safe), type and bytes."""

    filename: str
    content_type: str
    content: bytes

    def __repr__(self):
        # Never the content: documents are confidential and reprs end up in logs and tracebacks.
        return f"Document({self.filename!r}, {self.content_type!r}, {len(self.content)} bytes)"
