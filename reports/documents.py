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


def network_pdf_document(fy: int, *, today: datetime.date) -> Document:
    context = {
        "title": report_title(fy),
        "issued": today,
        "sections": network_report(fy, today=today),
        "fiscal_year": fy,
        "period_start": fiscal_year_dates(fy)[0],
        "period_end": fiscal_year_dates(fy)[1],
        "as_of": today,
    }
    return pdf_document(f"network-report-{fy}.pdf", "pdf/network_report.html", context)


NETWORK_REPORT_PDF = "reports.network.pdf"


def network_pdf_export(download, out) -> tuple[str, str]:
    """The prepared-download builder; the requester's right to the report is checked again (roles change)."""
    from django.core.exceptions import PermissionDenied

    from registry.roles import NETWORK_REPORT_ROLES, has_role

    if not has_role(download.user, NETWORK_REPORT_ROLES):
        raise PermissionDenied
    document = network_pdf_document(int(download.params["fiscal_year"]), today=timezone.localdate())
    out.write(document.content)
    return document.filename, document.content_type


register_export(NETWORK_REPORT_PDF, network_pdf_export)


def case_xlsx_document(fy: int) -> Document:
    tables = [section.table for section in case_report(fy, published=True)]
    return Document(f"case-statistics-{fy}.xlsx", XLSX, tables_xlsx(tables, title=f"{year_label(fy)} ケースの統計"))


def full_pdf_document(fy: int, *, today: datetime.date) -> Document:
    """The whole 活動報告: the hub's figures with small-cell suppression, then the network's."""
    context = {
        "title": report_title(fy),
        "issued": today,
        "case_sections": case_report(fy, published=True),
        "sections": network_report(fy, today=today),
        "fiscal_year": fy,
        "period_start": fiscal_year_dates(fy)[0],
        "period_end": fiscal_year_dates(fy)[1],
        "as_of": today,
    }
    return pdf_document(f"activity-report-{fy}.pdf", "pdf/network_report.html", context)


CASE_REPORT_PDF = "reports.full.pdf"


def full_pdf_export(download, out) -> tuple[str, str]:
    """The prepared-download builder of the whole report; the supervisor's role is checked again."""
    from django.core.exceptions import PermissionDenied

    from registry.roles import SUPERVISOR_ROLES, has_role

    if not has_role(download.user, SUPERVISOR_ROLES):
        raise PermissionDenied
    document = full_pdf_document(int(download.params["fiscal_year"]), today=timezone.localdate())
    out.write(document.content)
    return document.filename, document.content_type


register_export(CASE_REPORT_PDF, full_pdf_export)
