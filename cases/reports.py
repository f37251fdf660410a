"""The hub's yearly figures, from the live rows PLUS the facts kept of purged cases (cases.PurgedCaseFacts),
so that a fiscal year's report gives the same numbers before and after the retention purge.

Everything is counted in PostgreSQL; no encrypted column is read. A fiscal year (年度) runs from 1 April
to 31 March, in the city's time zone. The reports screens (issue 14) build on `case_year_figures`.
"""

import datetime

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from ageo_network.statistics import Table
from ageo_network.wareki import fiscal_year_span
from cases.models import (
    Accompaniment,
    Case,
    Consultation,
    Information,
    ProblemCategory,
    ProtectionStay,
    PurgedCaseFacts,
    PurgedInformationFacts,
    Referral,
    RiskLevel,
)
from registry.models import Body

FIGURES = (
    "opened",
    "closed",
    "by_category",
    "by_risk",
    "by_age_band",
    "consultations_by_method",
    "referrals_by_body_kind",
    "accompaniments",
    "protections_by_kind",
)


def _bounds(fy: int) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime(fy, 4, 1))
    return start, timezone.make_aware(datetime.datetime(fy + 1, 4, 1))


def _add(into: dict, rows) -> None:
    for key, n in rows:
        into[key] = into.get(key, 0) + n


def _facts_months(column: str, fy: int) -> list[tuple[str, int]]:
    """Sum the [month, key, count] triples of a facts column over the months of fiscal year `fy`."""
    table = PurgedCaseFacts._meta.db_table
    sql = (
        f"SELECT e->>1, SUM((e->>2)::int) FROM {table}, jsonb_array_elements({column}) e "  # noqa: S608
        "WHERE e->>0 >= %s AND e->>0 <= %s GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{fy}-04", f"{fy + 1}-03"])
        return [(key, int(n)) for key, n in cursor.fetchall()]


def _categories(fy: int) -> list[tuple[str, int]]:
    rows = []
    with connection.cursor() as cursor:
        for table in (Case._meta.db_table, PurgedCaseFacts._meta.db_table):
            cursor.execute(
                f"SELECT c, count(*) FROM {table}, jsonb_array_elements_text(categories) c "  # noqa: S608
                "WHERE fiscal_year = %s GROUP BY c",
                [fy],
            )
            rows += cursor.fetchall()
    return rows


def _age_bands(fy: int) -> list[tuple[str, int]]:
    # The bands of cases.retention.age_band: '1' under 20 … '7' 70 and over, '' unknown.
    with connection.cursor() as cursor:
        band = "CASE WHEN age IS NULL THEN '' ELSE LEAST(GREATEST(age / 10, 1), 7)::text END"
        sql = f"SELECT {band}, count(*) FROM {Case._meta.db_table} WHERE fiscal_year = %s GROUP BY 1"  # noqa: S608
        cursor.execute(sql, [fy])
        return cursor.fetchall()


def case_year_figures(fiscal_year: int) -> dict:
    """The core figures of fiscal year `fiscal_year` (e.g. 2024 for 令和6年度): counts of cases opened and
    closed, cases opened by problem category, risk level and age band, and the work done in the year
    (consultations by method, referrals by the receiving body's kind, accompaniments, protections by kind)."""
    fy = fiscal_year
    start, end = _bounds(fy)
    facts = PurgedCaseFacts.objects.filter(fiscal_year=fy)
    figures = {name: {} for name in FIGURES}
    figures["opened"] = Case.objects.filter(fiscal_year=fy).count() + facts.count()
    figures["closed"] = (
        Case.objects.filter(closed_at__gte=start, closed_at__lt=end).count()
        + PurgedCaseFacts.objects.filter(closed_fiscal_year=fy).count()
    )
    _add(figures["by_category"], _categories(fy))
    for model in (Case, PurgedCaseFacts):
        rows = model.objects.filter(fiscal_year=fy).values_list("risk_level").annotate(n=Count("id"))
        _add(figures["by_risk"], rows.order_by())
    _add(figures["by_age_band"], _age_bands(fy))
    _add(figures["by_age_band"], facts.values_list("age_band").annotate(n=Count("id")).order_by())
    live = Consultation.objects.filter(at__gte=start, at__lt=end).values_list("method").annotate(n=Count("id"))
    _add(figures["consultations_by_method"], live.order_by())
    _add(figures["consultations_by_method"], _facts_months("consultations", fy))
    live = (
        Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .values_list("to_body__kind")
        .annotate(n=Count("id"))
    )
    _add(figures["referrals_by_body_kind"], live.order_by())
    _add(figures["referrals_by_body_kind"], _facts_months("referrals", fy))
    n = Accompaniment.objects.filter(on__gte=start.date(), on__lt=end.date()).count()
    figures["accompaniments"] = n + sum(count for _key, count in _facts_months("accompaniments", fy))
    live = (
        ProtectionStay.objects.filter(started_on__gte=start.date(), started_on__lt=end.date())
        .values_list("kind")
        .annotate(n=Count("id"))
    )
    _add(figures["protections_by_kind"], live.order_by())
    _add(figures["protections_by_kind"], _facts_months("protections", fy))
    return figures


def information_by_body_kind(fy: int) -> Table:
    """情報提供 received in the year, per kind of the sending body: a count, never content. Two queries: the live
    items and the facts kept of purged ones (cases.PurgedInformationFacts), so a purge leaves the count as it was."""
    start, end = fiscal_year_span(fy)
    counts = dict(
        Information.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
        .values_list("body__kind")
        .annotate(n=Count("id"))
    )
    purged = (
        PurgedInformationFacts.objects.filter(submitted_month__gte=f"{fy}-04", submitted_month__lte=f"{fy + 1}-03")
        .values_list("body_kind")
        .annotate(n=Count("id"))
        .order_by()
    )
    _add(counts, purged)
    rows = [(label, [counts.get(kind, 0)]) for kind, label in Body.Kind.choices]
    return Table("information", "拠点が受けた情報提供（提供元の種別）", ["件数"], rows, unit="件")


AGE_BANDS = [
    ("1", "20歳未満"),
    ("2", "20代"),
    ("3", "30代"),
    ("4", "40代"),
    ("5", "50代"),
    ("6", "60代"),
    ("7", "70歳以上"),
    ("", "不明"),
]


def case_tables(fy: int) -> list[Table]:
    """The hub's figures of the year as report tables (counts only; suppression is the caller's, for whatever
    leaves the hub). Built on case_year_figures, so a purged year reads the same."""
    figures = case_year_figures(fy)

    def per(key, choices, title, unit, total=True):
        values = figures[key]
        rows = [(label, [values.get(code, 0)]) for code, label in choices]
        return Table(key, title, ["件数"], rows, unit=unit, total=total)

    return [
        Table(
            "cases",
            "新規ケースと終結",
            ["件数"],
            [("新規", [figures["opened"]]), ("終結", [figures["closed"]])],
            unit="件",
            total=False,
        ),
        per("by_category", ProblemCategory.choices, "新規ケースの課題（複数選択：合計なし）", "件", total=False),
        per("by_age_band", AGE_BANDS, "新規ケースの年齢", "件"),
        per("by_risk", RiskLevel.choices, "新規ケースの危険度", "件"),
        per("consultations_by_method", Consultation.Method.choices, "相談（方法別）", "回"),
        per("referrals_by_body_kind", Body.Kind.choices, "依頼・つなぎ（依頼先の種別）", "件"),
        Table(
            "accompaniments", "同行支援", ["件数"], [("同行支援", [figures["accompaniments"]])], unit="件", total=False
        ),
        per("protections_by_kind", ProtectionStay.Kind.choices, "一時保護等（種類別）", "件"),
    ]
