"""The hub's figures that leave the hub as counts only (read-only aggregates; see ageo_network/statistics.py).
Never a decrypted field: everything here is counted in PostgreSQL from plain columns."""

from django.db.models import Count

from ageo_network.statistics import Table
from ageo_network.wareki import fiscal_year_span
from cases.models import Information
from registry.models import Body


def information_by_body_kind(fy: int) -> Table:
    """情報提供 received in the year, per kind of the sending body: a count, never content. One query."""
    start, end = fiscal_year_span(fy)
    counts = dict(
        Information.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values_list("body__kind")
        .annotate(n=Count("id"))
    )
    rows = [(label, [counts.get(kind, 0)]) for kind, label in Body.Kind.choices]
    return Table("information", "拠点が受けた情報提供（提供元の種別）", ["件数"], rows, unit="件")
