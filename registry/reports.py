"""The registry's figures for the fiscal-year report (read-only aggregates; see ageo_network/statistics.py)."""

from django.db.models import Count, Q

from ageo_network.statistics import Table
from ageo_network.wareki import fiscal_year_dates
from registry.models import Body


def member_at(day) -> Q:
    """Bodies that were members at the end of `day`: joined by then (the founding bodies carry no date) and not
    yet left."""
    return (Q(joined_on__isnull=True) | Q(joined_on__lte=day)) & (Q(left_on__isnull=True) | Q(left_on__gt=day))


def bodies_by_kind(fy: int) -> Table:
    """構成機関の数: at the year end, joined in the year, left in the year; per kind of body. One query."""
    start, end = fiscal_year_dates(fy)
    counts = {
        row["kind"]: row
        for row in Body.objects.values("kind").annotate(
            at_end=Count("id", filter=member_at(end)),
            joined=Count("id", filter=Q(joined_on__gte=start, joined_on__lte=end)),
            left=Count("id", filter=Q(left_on__gte=start, left_on__lte=end)),
        )
    }
    rows = []
    for kind, label in Body.Kind.choices:
        row = counts.get(kind, {})
        rows.append((label, [row.get("at_end", 0), row.get("joined", 0), row.get("left", 0)]))
    return Table("bodies", "構成機関の数（種別）", ["年度末", "加入", "退会"], rows, unit="機関")


def businesses_by_kind(fy: int) -> Table:
    """登録事業所 at the year end by kind of business. One query."""
    _start, end = fiscal_year_dates(fy)
    counts = dict(
        Body.objects.filter(member_at(end), kind=Body.Kind.BUSINESS)
        .values_list("business_kind")
        .annotate(n=Count("id"))
    )
    rows = [(label, [counts.get(kind, 0)]) for kind, label in Body.BusinessKind.choices]
    if counts.get(""):
        rows.append(("未分類", [counts[""]]))
    return Table("businesses", "登録事業所の数（年度末・種類別）", ["年度末"], rows, unit="事業所")
