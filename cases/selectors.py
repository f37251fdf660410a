"""Read-side queries for the case screens: dashboards and the case timeline. Fixed query counts per page."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Case as DbCase
from django.db.models import (
    Count,
    DateField,
    DateTimeField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Value,
    When,
)
from django.db.models.functions import Cast
from django.utils import timezone

from cases.fields import EncryptedTextField
from cases.models import (
    RISK_ORDER,
    BreakGlassAccess,
    Case,
    CaseAssignment,
    FollowUp,
    Information,
    PlanItem,
    Referral,
)
from cases.services import REMINDER_DAYS_BEFORE_EXPIRY


def without_secrets(queryset, *related: str):
    """`queryset` with every encrypted column deferred: its model's and those of the `related` select_related
    paths. For lists, which show numbers, dates and states: decrypting a case's fields costs more than the
    rest of the row, and a list of open cases or referrals would decrypt thousands of values it never shows."""
    names = _encrypted(queryset.model)
    for path in related:
        model = queryset.model
        for part in path.split("__"):
            model = model._meta.get_field(part).related_model
        names += _encrypted(model, f"{path}__")
    return queryset.defer(*names)


def _encrypted(model, prefix: str = "") -> list[str]:
    return [prefix + f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def with_lead(cases):
    """Prefetch the active lead assignment (with the person) as `lead_assignments`."""
    leads = CaseAssignment.objects.filter(ended_at__isnull=True, is_lead=True).select_related("person")
    return cases.prefetch_related(Prefetch("assignments", queryset=leads, to_attr="lead_assignments"))


def pending_information():
    pending = Information.objects.filter(triage=Information.Triage.PENDING).select_related("body")
    return without_secrets(pending).order_by("submitted_at")


# A home screen lists this many rows per block; the full list of open cases is paginated (open_case_list).
DASHBOARD_ROWS = 20
OPEN_CASES_PAGE_SIZE = 50


def risk_rank():
    """The risk order (urgent first) as an SQL expression, so the database sorts and cuts the list."""
    return DbCase(
        *(When(risk_level=level, then=Value(rank)) for level, rank in RISK_ORDER.items()),
        default=Value(9),
        output_field=IntegerField(),
    )


def open_cases_by_risk(cases):
    """`cases` without their secrets, with the lead, the most urgent first (then the oldest)."""
    return with_lead(without_secrets(cases)).annotate(risk_rank=risk_rank()).order_by("risk_rank", "opened_at", "pk")


def dashboard(cases, *, today: datetime.date, rows: int = DASHBOARD_ROWS) -> dict:
    """The blocks of a hub dashboard over `cases` (a queryset of open cases).

    Counts per stage for all of them, but rows only for the `rows` most urgent cases and the `rows` oldest
    items of each block: at ten years the supervisor's home rendered every open case (hundreds), which was
    most of its time. The whole list is the paginated open-case list."""
    case_ids = cases.values("pk")
    per_stage = dict(cases.order_by().values_list("stage").annotate(n=Count("pk")))
    overdue_items = without_secrets(
        PlanItem.objects.filter(case__in=case_ids, status__in=PlanItem.OPEN_STATUSES, due_on__lt=today)
        .select_related("case", "responsible_body")
        .order_by("due_on", "pk"),
        "case",
    )
    due_follow_ups = without_secrets(
        FollowUp.objects.filter(case__in=case_ids, done_at__isnull=True, due_on__lte=today)
        .select_related("case")
        .order_by("due_on", "pk"),
        "case",
    )
    expiring = without_secrets(
        cases.filter(
            address_protection=True,
            address_protection_until__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY),
        )
    ).order_by("address_protection_until", "pk")
    return {
        "stage_counts": [(label, per_stage[stage]) for stage, label in Case.Stage.choices if per_stage.get(stage)],
        "case_count": sum(per_stage.values()),
        "urgent_cases": list(open_cases_by_risk(cases)[:rows]),
        "overdue_items": Capped(overdue_items, rows),
        "due_follow_ups": Capped(due_follow_ups, rows),
        "expiring_protections": Capped(expiring, rows),
        "dashboard_rows": rows,
        "today": today,
    }


class Capped(list):
    """The first `rows` rows of `queryset` (one query: one more row is read to know whether there are more)."""

    def __init__(self, queryset, rows: int):
        fetched = list(queryset[: rows + 1])
        super().__init__(fetched[:rows])
        self.has_more = len(fetched) > rows


def unassigned_cases():
    lead = CaseAssignment.objects.filter(case=OuterRef("pk"), ended_at__isnull=True, is_lead=True)
    return without_secrets(Case.objects.open().filter(~Exists(lead))).order_by("opened_at")


def recent_break_glass(days: int = 30):
    since = timezone.now() - datetime.timedelta(days=days)
    recent = BreakGlassAccess.objects.filter(started_at__gte=since).select_related("case", "user__person")
    return without_secrets(recent, "case")


@dataclass
class TimelineEntry:
    at: datetime.datetime
    kind: str
    title: str
    text: str = ""
    detail: str = ""
    key: tuple = ()


def _day(value: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


# The case page shows the newest entries of the timeline; the timeline page the rest.
TIMELINE_ROWS = 30
TIMELINE_PAGE_SIZE = 100


def plan_items_with_referrals(case: Case) -> list[PlanItem]:
    """The case's plan items, each with its referrals as `case_referrals`: two queries whether or not there are
    items (a prefetch would skip its query for a case without plan items, so the count varied by case)."""
    items = list(case.plan_items.select_related("responsible_body"))
    referrals = {}
    for referral in case.referrals.select_related("to_body").order_by("sent_at", "pk"):
        referrals.setdefault(referral.plan_item_id, []).append(referral)
    for item in items:
        item.case_referrals = referrals.get(item.pk, [])
    return items


def _entries(kind: str, records) -> list[TimelineEntry]:
    """The timeline entries of `records` (all of one `kind`), each marked with its key (kind, pk, part)."""
    entries = []
    for r in records:
        for part, entry in _TIMELINE[kind].entries(r):
            entry.key = (kind, r.pk, part)
            entries.append(entry)
    return entries


@dataclass(frozen=True)
class _Kind:
    records: Callable  # case -> queryset of the kind's records
    at: str  # the column that dates the entry; a DateField is placed at the start of its day
    entries: Callable  # record -> [(part, TimelineEntry)]
    also: str = ""  # a second dated column giving a second entry (a referral's return)
    when: dict | None = None  # a filter for the records that give entries at all


_TIMELINE = {
    "stage": _Kind(
        lambda case: case.stage_transitions.all(),
        "at",
        lambda t: [
            (
                0,
                TimelineEntry(
                    t.at, "stage", f"段階: {t.get_from_stage_display() or '—'} → {t.get_to_stage_display()}", t.note
                ),
            )
        ],
    ),
    "consultation": _Kind(
        lambda case: case.consultations.all(),
        "at",
        lambda c: [
            (0, TimelineEntry(c.at, "consultation", f"相談（{c.get_method_display()}）", c.content, c.next_step))
        ],
    ),
    "assessment": _Kind(
        lambda case: case.assessments.all(),
        "assessed_at",
        lambda a: [
            (
                0,
                TimelineEntry(
                    a.assessed_at,
                    "assessment",
                    f"アセスメント（リスク: {a.get_risk_level_display()}）",
                    a.wishes,
                    "、".join(a.need_labels()),
                ),
            )
        ],
    ),
    "plan": _Kind(
        lambda case: case.plan_items.select_related("responsible_body"),
        "created_at",
        lambda p: [
            (
                0,
                TimelineEntry(
                    p.created_at,
                    "plan",
                    f"支援計画: {p.get_service_display()}（{p.responsible_body.name}）",
                    p.detail,
                    p.get_status_display(),
                ),
            )
        ],
    ),
    "referral": _Kind(
        lambda case: case.referrals.select_related("to_body"),
        "sent_at",
        lambda r: (
            [
                (
                    0,
                    TimelineEntry(
                        r.sent_at, "referral", f"依頼: {r.to_body.name}", r.request, r.get_legal_basis_display()
                    ),
                )
            ]
            + (
                [
                    (
                        1,
                        TimelineEntry(
                            r.returned_at, "referral", f"依頼の結果: {r.to_body.name}", r.outcome, r.action_taken
                        ),
                    )
                ]
                if r.returned_at
                else []
            )
        ),
        also="returned_at",
    ),
    "accompaniment": _Kind(
        lambda case: case.accompaniments.all(),
        "on",
        lambda a: [(0, TimelineEntry(_day(a.on), "accompaniment", f"同行: {a.destination}", a.outcome))],
    ),
    "protection": _Kind(
        lambda case: case.protection_stays.all(),
        "started_on",
        lambda s: [(0, TimelineEntry(_day(s.started_on), "protection", f"保護: {s.get_kind_display()}", s.notes))],
    ),
    "follow_up": _Kind(
        lambda case: case.follow_ups.all(),
        "done_at",
        lambda f: [(0, TimelineEntry(f.done_at, "follow_up", "フォローアップ実施", f.result, f.purpose))],
        when={"done_at__isnull": False},
    ),
    "information": _Kind(
        lambda case: case.information_items.select_related("body"),
        "submitted_at",
        lambda i: [
            (
                0,
                TimelineEntry(
                    i.submitted_at, "information", f"情報提供 {i.receipt_number}（{i.body.name}）", i.observation
                ),
            )
        ],
    ),
}
_KIND_ORDER = {kind: n for n, kind in enumerate(_TIMELINE)}


def timeline_keys(case: Case) -> list[tuple]:
    """Every entry of the case as a sort key (at, kind, pk, part), oldest first, from the dates alone.

    One query (a UNION over the kinds) of plain columns: nothing is decrypted, however long the case."""
    parts = []
    for kind, spec in _TIMELINE.items():
        model = spec.records(case).model
        dated = model._meta.get_field(spec.at)
        is_datetime = isinstance(dated, DateTimeField)
        columns = {
            "t_kind": Value(_KIND_ORDER[kind], output_field=IntegerField()),
            # Typed NULLs: PostgreSQL cannot match a bare NULL (text) with a date column in a UNION.
            "t_at": F(spec.at) if is_datetime else Cast(None, DateTimeField()),
            "t_day": Cast(None, DateField()) if is_datetime else F(spec.at),
            "t_also": F(spec.also) if spec.also else Cast(None, DateTimeField()),
        }
        records = model.objects.filter(case=case, **(spec.when or {})).order_by()
        parts.append(records.annotate(**columns).values_list("pk", *columns))
    keys = []
    for pk, kind, at, day, also in parts[0].union(*parts[1:], all=True).order_by():
        keys.append((at or _day(day), kind, pk, 0))
        if also is not None:
            keys.append((also, kind, pk, 1))
    return sorted(keys)


def timeline_entries(case: Case, keys) -> list[TimelineEntry]:
    """The entries of `keys` (from timeline_keys), in that order. Reads (and decrypts) only those records,
    with one query per kind whatever the keys, so a page's query count does not depend on the case."""
    kinds = list(_TIMELINE)
    wanted = {}
    for _at, kind_index, pk, _part in keys:
        wanted.setdefault(kinds[kind_index], set()).add(pk)
    by_key = {}
    for kind, spec in _TIMELINE.items():
        # pk 0 never exists: the query still runs when this kind has nothing on the page.
        records = spec.records(case).filter(pk__in=sorted(wanted.get(kind, ())) or [0]).order_by()
        for entry in _entries(kind, records):
            by_key[entry.key] = entry
    return [by_key[(kinds[k], pk, part)] for _at, k, pk, part in keys if (kinds[k], pk, part) in by_key]


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Everything that happened in the case, oldest first (the summary PDF)."""
    return timeline_entries(case, timeline_keys(case))


def open_referrals_for(referrals):
    open_ones = referrals.exclude(status=Referral.Status.RETURNED).select_related("case", "plan_item")
    return without_secrets(open_ones, "case", "plan_item").order_by("sent_at")


def returned_referrals_for(referrals, limit: int = 50):
    returned = referrals.filter(status=Referral.Status.RETURNED).select_related("case", "plan_item")
    return without_secrets(returned, "case", "plan_item").order_by("-returned_at")[:limit]


def home_panels(request) -> list[dict]:
    """This app's panel on the home page: how much case work waits for this person, as counts only (no case
    content, so no access-log row), each with the page where the work is done."""
    from django.urls import reverse

    from cases.access import visible_referrals
    from registry.roles import HUB_ROLES, REFERRAL_ROLES, SUPERVISOR_ROLES, current_person

    person = current_person(request.user)
    if person is None:
        return []
    if person.role in HUB_ROLES:
        mine = Case.objects.open().filter(assignments__person=person, assignments__ended_at__isnull=True)
        rows = [
            ("担当中のケース", mine.values("pk").distinct().count(), reverse("cases:worker_home")),
            ("未対応の情報提供", pending_information().count(), reverse("cases:intake_queue")),
        ]
        if person.role in SUPERVISOR_ROLES:
            rows += [
                ("進行中のケース（全体）", Case.objects.open().count(), reverse("cases:supervisor_home")),
                (
                    "終結の承認待ち",
                    Case.objects.open().filter(closure_requested_at__isnull=False).count(),
                    reverse("cases:supervisor_home"),
                ),
            ]
        title = "ケース"
    elif person.role in REFERRAL_ROLES:
        waiting = visible_referrals(request.user).exclude(status=Referral.Status.RETURNED)
        rows = [("結果を返していない拠点からの依頼", waiting.count(), reverse("cases:referral_inbox"))]
        title = "拠点からの依頼"
    else:
        return []
    return [
        {
            "template": "cases/_home_panel.html",
            "title": title,
            "rows": [{"label": label, "count": count, "url": url} for label, count, url in rows],
        }
    ]
