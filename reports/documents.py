"""The network report as files: xlsx (one sheet per table, made in the request: a few KB) and PDF (on the shared
frame, charts as vector graphics; made by the worker as a prepared download, like every long document)."""

import datetime

from django.utils import timezone

from ageo_network.documents import XLSX, Document
from ageo_network.pdf import pdf_document
from ageo_network.statistics import tables_xlsx
from ageo_network.wareki import fiscal_year_dates
from audit.exports import register_export
from reports.selectors import case_report, network_report, year_label


def report_title(fy: int) -> str:
    return f"{year_label(fy)} 上尾市困難女性支援ネットワーク 活動報告"


def network_xlsx_document(fy: int, *, today: datetime.date) -> Document:
    tables = [section.table for section in network_report(fy, today=today)]
    # The tables already carry their 合計 rows; tables_xlsx adds none to a table marked total=False.
    content = tables_xlsx(tables, title=report_title(fy))
    return Document(f"network-report-{fy}.xlsx", XLSX, content)


def _report_pdf(fy: int, *, today: datetime.date, with_cases: bool) -> Document:
    """The 活動報告 on the shared frame: the network's figures, after the hub's (with small-cell suppression) when
    `with_cases` — the supervisor's copy, the one that goes to the representatives' meeting."""
    first, last = fiscal_year_dates(fy)
    context = {
        "title": report_title(fy),
        "issued": today,
        "case_sections": case_report(fy, published=True) if with_cases else [],
        "sections": network_report(fy, today=today),
        "fiscal_year": fy,
        "period_start": first,
        "period_end": last,
        "as_of": today,
    }
    name = "activity-report" if with_cases else "network-report"
    return pdf_document(f"{name}-{fy}.pdf", "pdf/network_report.html", context)


def network_pdf_document(fy: int, *, today: datetime.date) -> Document:
    return _report_pdf(fy, today=today, with_cases=False)


def full_pdf_document(fy: int, *, today: datetime.date) -> Document:
    """The whole 活動報告: the hub's figures with small-cell suppression, then the network's."""
    return _report_pdf(fy, today=today, with_cases=True)


def case_xlsx_document(fy: int) -> Document:
    tables = [section.table for section in case_report(fy, published=True)]
    return Document(f"case-statistics-{fy}.xlsx", XLSX, tables_xlsx(tables, title=f"{year_label(fy)} ケースの統計"))


def _pdf_export(roles_name: str, *, with_cases: bool):
    """A prepared-download builder of the report PDF; the requester's role is checked again when it runs (roles
    change between the request and the worker)."""

    def build(download, out) -> tuple[str, str]:
        from django.core.exceptions import PermissionDenied

        from registry import roles

        if not roles.has_role(download.user, getattr(roles, roles_name)):
            raise PermissionDenied
        fy = int(download.params["fiscal_year"])
        document = _report_pdf(fy, today=timezone.localdate(), with_cases=with_cases)
        out.write(document.content)
        return document.filename, document.content_type

    return build


NETWORK_REPORT_PDF = "reports.network.pdf"
CASE_REPORT_PDF = "reports.full.pdf"
register_export(NETWORK_REPORT_PDF, _pdf_export("NETWORK_REPORT_ROLES", with_cases=False))
register_export(CASE_REPORT_PDF, _pdf_export("SUPERVISOR_ROLES", with_cases=True))
