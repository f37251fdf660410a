"""The hub's yearly figures, from the live rows PLUS the facts kept of purged cases (cases.PurgedCaseFacts),
so that a fiscal year's report gives the same numbers before and after the retention purge.

Everything is counted in PostgreSQL; no encrypted column is read. A fiscal year (年度) runs from 1 April
to 31 March, in the city's time zone. The reports screens (issue 14) build on `case_year_figures`.
"""

import datetime
import statistics

from django.db import connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import TruncMonth
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
    StageTransition,
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


def _add(into: dict, rows) -> None:
    for key, n in rows:
        into[key] = into.get(key, 0) + n


def _postgres() -> bool:
    return connection.vendor == "postgresql"


def _facts_months(column: str, fy: int, *, per_month: bool = False) -> list[tuple[str, int]]:
    """Sum the [month, key, count] triples of a facts column over the months of fiscal year `fy`: per key, or
    (`per_month`) per month "YYYY-MM"."""
    table = PurgedCaseFacts._meta.db_table
    index = 0 if per_month else 1
    if _postgres():
        sql = (
            f"SELECT e->>{index}, SUM((e->>2)::int) FROM {table}, jsonb_array_elements({column}) e "  # noqa: S608
            "WHERE e->>0 >= %s AND e->>0 <= %s GROUP BY 1"
        )
    else:  # the embedded SQLite demo
        sql = (
            f"SELECT json_extract(e.value, '$[{index}]'), SUM(json_extract(e.value, '$[2]')) "  # noqa: S608
            f"FROM {table}, json_each({table}.{column}) e "
            "WHERE json_extract(e.value, '$[0]') >= %s AND json_extract(e.value, '$[0]') <= %s GROUP BY 1"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [f"{fy}-04", f"{fy + 1}-03"])
        return [(key, int(n)) for key, n in cursor.fetchall()]


def _categories(fy: int) -> list[tuple[str, int]]:
    rows = []
    with connection.cursor() as cursor:
        for table in (Case._meta.db_table, PurgedCaseFacts._meta.db_table):
            if _postgres():
                sql = f"SELECT c, count(*) FROM {table}, jsonb_array_elements_text(categories) c "  # noqa: S608
            else:
                sql = f"SELECT c.value, count(*) FROM {table}, json_each({table}.categories) c "  # noqa: S608
            cursor.execute(sql + "WHERE fiscal_year = %s GROUP BY 1", [fy])
            rows += cursor.fetchall()
    return rows


def _age_bands(fy: int) -> list[tuple[str, int]]:
    # The bands of cases.retention.age_band: '1' under 20 … '7' 70 and over, '' unknown.
    with connection.cursor() as cursor:
        if _postgres():
            band = "CASE WHEN age IS NULL THEN '' ELSE LEAST(GREATEST(age / 10, 1), 7)::text END"
        else:
            band = "CASE WHEN age IS NULL THEN '' ELSE CAST(MIN(MAX(age / 10, 1), 7) AS TEXT) END"
        sql = f"SELECT {band}, count(*) FROM {Case._meta.db_table} WHERE fiscal_year = %s GROUP BY 1"  # noqa: S608
        cursor.execute(sql, [fy])
        return cursor.fetchall()


def case_year_figures(fiscal_year: int) -> dict:
    """The core figures of fiscal year `fiscal_year` (e.g. 2024 for 令和6年度): counts of cases opened and
    closed, cases opened by problem category, risk level and age band, and the work done in the year
    (consultations by method, referrals by the receiving body's kind, accompaniments, protections by kind)."""
    fy = fiscal_year
    start, end = fiscal_year_span(fy)
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


STAGE_RANK = [
    Case.Stage.DISCOVERY,
    Case.Stage.CONSULTATION,
    Case.Stage.ASSESSMENT,
    Case.Stage.SUPPORT,
    Case.Stage.AFTERCARE,
]


def _month_keys(fy: int) -> list[str]:
    return [f"{fy + (m < 4)}-{m:02d}" for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def _month_of(value) -> str:
    return f"{timezone.localtime(value):%Y-%m}" if isinstance(value, datetime.datetime) else f"{value:%Y-%m}"


def monthly(fy: int) -> Table:
    """新規ケースと相談, month by month (the supervisor's case load). Four queries."""
    start, end = fiscal_year_span(fy)
    opened: dict[str, int] = {}
    live = (
        Case.objects.filter(fiscal_year=fy)
        .annotate(month=TruncMonth("opened_at"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    _add(opened, ((_month_of(month), n) for month, n in live))
    facts = PurgedCaseFacts.objects.filter(fiscal_year=fy).values_list("opened_month").annotate(n=Count("id"))
    _add(opened, facts.order_by())
    consulted: dict[str, int] = {}
    live = (
        Consultation.objects.filter(at__gte=start, at__lt=end)
        .annotate(month=TruncMonth("at"))
        .values_list("month")
        .annotate(n=Count("id"))
        .order_by()
    )
    _add(consulted, ((_month_of(month), n) for month, n in live))
    _add(consulted, _facts_months("consultations", fy, per_month=True))
    rows = [(f"{int(key[5:])}月", [opened.get(key, 0), consulted.get(key, 0)]) for key in _month_keys(fy)]
    return Table("monthly", "月別の新規ケースと相談", ["新規ケース（件）", "相談（回）"], rows, chart_columns=[0, 1])


def sources(fy: int) -> Table:
    """How the year's new cases came: information from a partner (by the kind of the first sender) or none (a
    direct consultation or another way). Two queries."""
    first_sender = Subquery(
        Information.objects.filter(case=OuterRef("pk")).order_by("submitted_at", "pk").values("body__kind")[:1]
    )
    counts: dict[str, int] = {}
    live = (
        Case.objects.filter(fiscal_year=fy)
        .annotate(source=first_sender)
        .values_list("source")
        .annotate(n=Count("id"))
        .order_by()
    )
    _add(counts, ((source or "", n) for source, n in live))
    facts = PurgedCaseFacts.objects.filter(fiscal_year=fy).values_list("source_body_kind").annotate(n=Count("id"))
    _add(counts, facts.order_by())
    rows = [(f"情報提供（{label}）", [counts.get(kind, 0)]) for kind, label in Body.Kind.choices]
    rows.append(("情報提供なし（直接の相談など）", [counts.get("", 0)]))
    return Table("sources", "新規ケースのきっかけ", ["件数"], rows, unit="件")


def stages_reached(fy: int) -> Table:
    """The furthest stage each of the year's new cases has reached (終結 aside: a closed case counts at the stage
    it reached before). Two queries."""
    ranks = " ".join(f"WHEN '{stage}' THEN {index}" for index, stage in enumerate(STAGE_RANK))
    case, transition = Case._meta.db_table, StageTransition._meta.db_table
    sql = f"""
        SELECT h, count(*) FROM (
            SELECT s.case_id, max(CASE s.stage {ranks} ELSE -1 END) AS h FROM (
                SELECT id AS case_id, stage FROM {case} WHERE fiscal_year = %s
                UNION ALL
                SELECT t.case_id, t.to_stage FROM {transition} t JOIN {case} k ON k.id = t.case_id
                    WHERE k.fiscal_year = %s
                UNION ALL
                SELECT t.case_id, t.from_stage FROM {transition} t JOIN {case} k ON k.id = t.case_id
                    WHERE k.fiscal_year = %s
            ) s GROUP BY s.case_id
        ) x GROUP BY h
    """  # noqa: S608 (table names from the models, the year a parameter)
    with connection.cursor() as cursor:
        cursor.execute(sql, [fy, fy, fy])
        counts = {STAGE_RANK[h] if 0 <= h < len(STAGE_RANK) else "": n for h, n in cursor.fetchall()}
    facts = PurgedCaseFacts.objects.filter(fiscal_year=fy).values_list("highest_stage").annotate(n=Count("id"))
    for stage, n in facts.order_by():
        counts[stage] = counts.get(stage, 0) + n
    rows = [(stage.label, [counts.get(stage, 0)]) for stage in STAGE_RANK]
    return Table("stages", "新規ケースが進んだ段階（最も進んだ段階）", ["件数"], rows, unit="件")


def closures(fy: int) -> Table:
    """新規 and 終結 in the year, 再開 in the year, and the cases open at the year end. Seven queries."""
    start, end = fiscal_year_span(fy)
    figures_closed = (
        Case.objects.filter(closed_at__gte=start, closed_at__lt=end).count()
        + PurgedCaseFacts.objects.filter(closed_fiscal_year=fy).count()
    )
    reopened = StageTransition.objects.filter(from_stage=Case.Stage.CLOSED, at__gte=start, at__lt=end).count()
    open_at_end = (
        Case.objects.filter(opened_at__lt=end).filter(Q(closed_at__isnull=True) | Q(closed_at__gte=end)).count()
        + PurgedCaseFacts.objects.filter(fiscal_year__lte=fy, closed_fiscal_year__gt=fy).count()
    )
    opened = Case.objects.filter(fiscal_year=fy).count() + PurgedCaseFacts.objects.filter(fiscal_year=fy).count()
    rows = [("新規", [opened]), ("終結", [figures_closed]), ("再開", [reopened]), ("年度末に継続中", [open_at_end])]
    return Table("cases", "新規・終結・再開と年度末の継続ケース", ["件数"], rows, unit="件", total=False)


def days_to_first_consultation(fy: int) -> tuple[float | None, int]:
    """(median, cases) of the days from the first information to the first consultation, for the year's new cases
    that had both. Two queries; the day counts are plain numbers, nothing decrypted."""
    # Per case, the first of each by its index (case_id): a join of the year's cases to every consultation and
    # a GROUP BY read the whole consultation table (26 ms at 10 years, growing with the data).
    first_info = Information.objects.filter(case=OuterRef("pk")).order_by("submitted_at").values("submitted_at")[:1]
    first_talk = Consultation.objects.filter(case=OuterRef("pk")).order_by("at").values("at")[:1]
    pairs = (
        Case.objects.filter(fiscal_year=fy)
        .annotate(first_info=Subquery(first_info), first_talk=Subquery(first_talk))
        .filter(first_info__isnull=False, first_talk__isnull=False)
        .values_list("first_info", "first_talk")
    )
    days = [(timezone.localdate(talk) - timezone.localdate(info)).days for info, talk in pairs if talk >= info]
    days += list(
        PurgedCaseFacts.objects.filter(fiscal_year=fy, days_to_first_consultation__isnull=False).values_list(
            "days_to_first_consultation", flat=True
        )
    )
    return (float(statistics.median(days)) if days else None), len(days)


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
    return Table("information", "拠点が受けた情報提供（提供元の種別）", ["件数"], rows, unit="件", about_women=True)


REFERRAL_OUTCOME_COLUMNS = [
    (Referral.Status.SENT, "未受領"),
    (Referral.Status.ACKNOWLEDGED, "受領・対応中"),
    (Referral.Status.RETURNED, "結果報告あり"),
]


def referral_outcomes(fy: int) -> Table:
    """The year's referrals per receiving department or agency (the only bodies a referral goes to) and how far
    each has got (its status today). Three queries: the live referrals, the facts kept of purged ones
    (cases.PurgedCaseFacts.referral_outcomes), the departments' and agencies' names."""
    start, end = fiscal_year_span(fy)
    counts: dict[tuple[int, str], int] = {}
    live = (
        Referral.objects.filter(sent_at__gte=start, sent_at__lt=end)
        .values_list("to_body_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    )
    _add(counts, (((body_id, status), n) for body_id, status, n in live))
    for key, n in _facts_months("referral_outcomes", fy):
        body_id, _, status = key.partition(":")
        _add(counts, [((int(body_id), status), n)])
    receivers = {body_id for body_id, _ in counts}
    bodies = Body.objects.filter(kind__in=(Body.Kind.DEPARTMENT, Body.Kind.AGENCY)).only("kind", "name", "name_kana")
    rows = [
        (body.name, [counts.get((body.pk, status), 0) for status, _ in REFERRAL_OUTCOME_COLUMNS])
        for body in sorted(bodies, key=lambda b: (b.kind != Body.Kind.DEPARTMENT, b.name_kana, b.name))
        if body.pk in receivers
    ]
    return Table(
        "referral_outcomes",
        "依頼・つなぎの依頼先と結果（状況は集計時点）",
        [label for _, label in REFERRAL_OUTCOME_COLUMNS],
        rows,
        unit="件",
        chart_columns=[0, 1, 2],
    )


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
        closures(fy),
        monthly(fy),
        sources(fy),
        per("by_category", ProblemCategory.choices, "新規ケースの課題（複数選択：合計なし）", "件", total=False),
        per("by_age_band", AGE_BANDS, "新規ケースの年齢", "件"),
        per("by_risk", RiskLevel.choices, "新規ケースの危険度", "件"),
        stages_reached(fy),
        per("consultations_by_method", Consultation.Method.choices, "相談（方法別）", "回"),
        per("referrals_by_body_kind", Body.Kind.choices, "依頼・つなぎ（依頼先の種別）", "件"),
        referral_outcomes(fy),
        Table(
            "accompaniments", "同行支援", ["件数"], [("同行支援", [figures["accompaniments"]])], unit="件", total=False
        ),
        per("protections_by_kind", ProtectionStay.Kind.choices, "一時保護等（種類別）", "件"),
    ]


def waiting_days(fy: int) -> Table:
    """The median days from the first information to the first consultation, as a table of two rows: the
    median (not a count: never compared or summed) and the number of cases it is taken over."""
    median, cases = days_to_first_consultation(fy)
    return Table(
        "days",
        "最初の情報提供から最初の相談までの日数",
        ["値"],
        [("中央値（日）", [median]), ("対象ケース（件）", [cases])],
        total=False,
        chart_columns=[],
    )
