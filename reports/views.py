import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from audit.downloads import download_response
from audit.exports import download_request
from audit.models import AccessLog
from audit.services import access_log
from reports import access
from reports.documents import (
    CASE_REPORT_PDF,
    NETWORK_REPORT_PDF,
    case_xlsx_document,
    network_xlsx_document,
    report_title,
)
from reports.selectors import available_years, case_report, network_report, year_label

Action = AccessLog.Action


def _year(request, today: datetime.date) -> int:
    """The 年度 asked for (?year=2024), or the current one; anything else is the current one."""
    years = available_years(today)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or years[0])
    except ValueError:
        return years[0]
    return year if year in years else years[0]


@require_GET
def network_report_view(request):
    today = timezone.localdate()
    year = _year(request, today)
    access.require_network_report(request, fiscal_year=year)
    context = {
        "title": report_title(year),
        "year": year,
        "years": [(y, year_label(y)) for y in available_years(today)],
        "sections": network_report(year, today=today),
        "as_of": today,
    }
    return render(request, "reports/network_report.html", context)


@require_GET
def network_report_xlsx(request):
    today = timezone.localdate()
    year = _year(request, today)
    access.require_network_report(request, action=Action.EXPORT, fiscal_year=year)
    document = network_xlsx_document(year, today=today)
    return download_response(request, document, action=Action.EXPORT, **access.log_fields(year))


def _queue_pdf(request, *, kind: str, title: str, year: int, fields: dict):
    """The PDF is rendered by the worker (charts and a dozen tables): log the request, queue it for "my downloads"."""
    access_log(request=request, action=Action.PDF, **fields)
    download_request(request=request, kind=kind, title=title, params={"fiscal_year": year}, scope=fields["scope"])
    messages.success(request, "活動報告のPDFを作成しています。準備ができると、この一覧からダウンロードできます。")
    return redirect("audit:download_list")


@require_POST
def network_report_pdf(request):
    year = _year(request, timezone.localdate())
    access.require_network_report(request, action=Action.PDF, fiscal_year=year)
    title = f"{report_title(year)}（PDF）"
    return _queue_pdf(request, kind=NETWORK_REPORT_PDF, title=title, year=year, fields=access.log_fields(year))


@require_GET
def case_report_view(request):
    """The supervisor's figures: the true counts inside the hub, or (?published=1) as they leave it, with ＊."""
    today = timezone.localdate()
    year = _year(request, today)
    access.require_case_report(request, fiscal_year=year)
    published = request.GET.get("published") == "1"
    context = {
        "title": f"{year_label(year)} ケースの統計",
        "year": year,
        "years": [(y, year_label(y)) for y in available_years(today)],
        "sections": case_report(year, published=published),
        "published": published,
        "as_of": today,
    }
    return render(request, "reports/case_report.html", context)


@require_GET
def case_report_xlsx(request):
    """Always with small-cell suppression: a file leaves the hub."""
    today = timezone.localdate()
    year = _year(request, today)
    access.require_case_report(request, action=Action.EXPORT, fiscal_year=year)
    return download_response(request, case_xlsx_document(year), action=Action.EXPORT, **access.case_log_fields(year))


@require_POST
def case_report_pdf(request):
    """The 活動報告 with the hub's figures (suppressed) and the network's."""
    year = _year(request, timezone.localdate())
    access.require_case_report(request, action=Action.PDF, fiscal_year=year)
    title = f"{report_title(year)}（ケースの統計を含む・PDF）"
    return _queue_pdf(request, kind=CASE_REPORT_PDF, title=title, year=year, fields=access.case_log_fields(year))
