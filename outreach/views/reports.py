"""Activity reports per 年度."""

import datetime

from django.contrib import messages
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ageo_network.wareki import fiscal_year, fiscal_year_label
from audit.models import AccessLog
from outreach import access, selectors, services
from outreach.forms import ActivityReportForm
from outreach.models import ActivityReport
from registry.models import Body

# --- activity reports ------------------------------------------------------------------------------------------


def _report_year(request) -> int:
    current = fiscal_year(timezone.localdate())
    try:
        year = int(request.GET.get("year", current))
    except ValueError:
        return current
    return year if 2024 <= year <= current else current


@require_http_methods(["GET", "POST"])
def activity_report_edit(request):
    """The body files (or corrects) its report of a 年度, pre-filled from its placements and registrations."""
    body = access.require_member_body(request, object_type="outreach.activityreport")
    year = _report_year(request)
    report = ActivityReport.objects.filter(body=body, fiscal_year=year).first()
    prefill = selectors.activity_report_prefill(body, year)
    form = ActivityReportForm(request.POST or None, instance=report, initial=None if report else prefill)
    if request.method == "POST" and form.is_valid():
        data = {field: form.cleaned_data[field] for field in services.REPORT_FIELDS}
        services.activity_report_submit(body=body, fiscal_year=year, data=data, by=request.user)
        messages.success(request, f"{fiscal_year_label(datetime.date(year, 4, 1))}の活動報告を提出しました。")
        return redirect(f"{reverse('outreach:activity_report_edit')}?year={year}")
    context = {
        "form": form,
        "report": report,
        "prefill": prefill,
        "year": year,
        "year_label": fiscal_year_label(datetime.date(year, 4, 1)),
        "years": list(range(fiscal_year(timezone.localdate()), 2023, -1)),
    }
    return render(request, "outreach/activity_report_form.html", context)


@require_GET
def activity_report_list(request):
    """Who has reported for a 年度 and who has not, with the totals."""
    access.require_manager(request, object_type="outreach.activityreport", action=AccessLog.Action.LIST)
    year = _report_year(request)
    reports = {
        r.body_id: r for r in ActivityReport.objects.filter(fiscal_year=year).select_related("submitted_by__person")
    }
    bodies = list(Body.objects.active().order_by("kind", "name_kana", "name"))
    rows = [(body, reports.get(body.pk)) for body in bodies]
    totals = {
        field: sum(getattr(r, field) for r in reports.values())
        for field in ("posters", "leaflets", "event_attendees", "gatekeepers")
    }
    context = {
        "rows": rows,
        "year": year,
        "year_label": fiscal_year_label(datetime.date(year, 4, 1)),
        "years": list(range(fiscal_year(timezone.localdate()), 2023, -1)),
        "reported": len(reports),
        "missing": len(bodies) - len([b for b in bodies if b.pk in reports]),
        "totals": totals,
    }
    return render(request, "outreach/activity_report_list.html", context)


@require_POST
def activity_report_remind(request):
    access.require_manager(request, object_type="outreach.activityreport")
    year = _report_year(request)
    count = services.activity_report_remind(fiscal_year=year)
    messages.success(request, f"未提出の {count}機関にお願いのメールを送りました。")
    return redirect(f"{reverse('outreach:activity_report_list')}?year={year}")
