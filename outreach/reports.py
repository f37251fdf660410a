"""Outreach figures for the fiscal-year report (read-only aggregates; see ageo_network/statistics.py)."""

from django.db.models import Count, Q, Sum

from ageo_network.statistics import Table
from ageo_network.wareki import fiscal_year_dates, fiscal_year_span
from outreach.models import ActivityReport, Event, Material, Placement, Registration, StockMovement
from registry.models import Body
from registry.reports import member_at


def materials(fy: int) -> Table:
    """啓発物: shipped to bodies in the year (units), places where one was put up in the year, and places
    holding one at the year end; per kind of material. Two queries."""
    start, end = fiscal_year_span(fy)
    first, last = fiscal_year_dates(fy)
    shipped = dict(
        StockMovement.objects.filter(kind=StockMovement.Kind.SHIPPED, at__gte=start, at__lt=end)
        .values_list("material__kind")
        .annotate(n=Sum("quantity"))
    )
    placed = {
        row["material__kind"]: row
        for row in Placement.objects.values("material__kind").annotate(
            new=Count("id", filter=Q(since__gte=first, since__lte=last)),
            at_end=Count("id", filter=Q(since__lte=last) & (Q(removed_on__isnull=True) | Q(removed_on__gt=last))),
        )
    }
    rows = []
    for kind, label in Material.Kind.choices:
        row = placed.get(kind, {})
        rows.append((label, [shipped.get(kind, 0), row.get("new", 0), row.get("at_end", 0)]))
    return Table(
        "materials",
        "啓発物の発送と設置（種類別）",
        ["発送（枚）", "新たな設置（箇所）", "年度末の設置（箇所）"],
        rows,
        chart_columns=[1, 2],
    )


def events(fy: int) -> Table:
    """行事: held (not cancelled) in the year, people registered and people present; per kind. One query."""
    start, end = fiscal_year_span(fy)
    counts = {
        row["kind"]: row
        for row in Event.objects.filter(starts_at__gte=start, starts_at__lt=end, is_cancelled=False)
        .values("kind")
        .annotate(
            held=Count("id", distinct=True),
            registered=Count(
                "registrations", filter=Q(registrations__status=Registration.Status.REGISTERED), distinct=True
            ),
            present=Count("registrations", filter=Q(registrations__attended=True), distinct=True),
        )
    }
    rows = []
    for kind, label in Event.Kind.choices:
        row = counts.get(kind, {})
        rows.append((label, [row.get("held", 0), row.get("registered", 0), row.get("present", 0)]))
    return Table(
        "events", "行事・研修（種類別）", ["開催（回）", "申込（人）", "出席（人）"], rows, chart_columns=[1, 2]
    )


def gatekeepers(fy: int) -> Table:
    """ゲートキーパー研修の修了者 of the year, per kind of body (一般 for the public). One query."""
    start, end = fiscal_year_span(fy)
    counts = dict(
        Registration.objects.filter(
            event__kind=Event.Kind.GATEKEEPER,
            event__is_cancelled=False,
            event__starts_at__gte=start,
            event__starts_at__lt=end,
            attended=True,
        )
        .values_list("body__kind")
        .annotate(n=Count("id"))
    )
    rows = [(label, [counts.get(kind, 0)]) for kind, label in Body.Kind.choices]
    rows.append(("一般", [counts.get(None, 0)]))
    return Table("gatekeepers", "ゲートキーパー研修の修了者（所属の種別）", ["修了者"], rows, unit="人")


def activity_reports(fy: int) -> Table:
    """活動報告: bodies (members at the year end) that reported for the year, and those that did not. Two queries."""
    _first, last = fiscal_year_dates(fy)
    members = Body.objects.filter(member_at(last))
    submitted = ActivityReport.objects.filter(fiscal_year=fy, body__in=members).count()
    total = members.count()
    rows = [("提出", [submitted]), ("未提出", [total - submitted])]
    return Table("activity_reports", "構成機関の活動報告", ["機関"], rows, unit="機関")
