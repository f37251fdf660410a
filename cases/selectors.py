"""Read-side queries for the case screens: dashboards and the case timeline. Fixed query counts per page."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
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


def by_risk(cases) -> list:
    return sorted(cases, key=lambda c: (RISK_ORDER.get(c.risk_level, 9), c.opened_at))


def pending_information():
    pending = Information.objects.filter(triage=Information.Triage.PENDING).select_related("body")
    return without_secrets(pending).order_by("submitted_at")


def dashboard(cases, *, today: datetime.date) -> dict:
    """The blocks of a hub dashboard over `cases` (a queryset of open cases)."""
    case_ids = cases.values("pk")
    cases = without_secrets(cases)
    overdue_items = without_secrets(
        PlanItem.objects.filter(case__in=case_ids, status__in=PlanItem.OPEN_STATUSES, due_on__lt=today)
        .select_related("case", "responsible_body")
        .order_by("due_on"),
        "case",
    )
    due_follow_ups = without_secrets(
        FollowUp.objects.filter(case__in=case_ids, done_at__isnull=True, due_on__lte=today)
        .select_related("case")
        .order_by("due_on"),
        "case",
    )
    expiring = cases.filter(
        address_protection=True,
        address_protection_until__lte=today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY),
    ).order_by("address_protection_until")
    open_cases = by_risk(with_lead(cases))
    by_stage = {}
    for case in open_cases:
        by_stage.setdefault(case.get_stage_display(), []).append(case)
    return {
        "cases_by_stage": [(stage, by_stage[stage]) for _, stage in Case.Stage.choices if stage in by_stage],
        "case_count": len(open_cases),
        "overdue_items": list(overdue_items),
        "due_follow_ups": list(due_follow_ups),
        "expiring_protections": list(expiring),
        "today": today,
    }


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


def _day(value: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))


def case_timeline(case: Case) -> list[TimelineEntry]:
    """Everything that happened in the case, oldest first. One query per kind of record."""
    entries = []
    for t in case.stage_transitions.select_related("by"):
        title = f"段階: {t.get_from_stage_display() or '—'} → {t.get_to_stage_display()}"
        entries.append(TimelineEntry(t.at, "stage", title, t.note))
    for c in case.consultations.select_related("worker"):
        entries.append(TimelineEntry(c.at, "consultation", f"相談（{c.get_method_display()}）", c.content, c.next_step))
    for a in case.assessments.select_related("by"):
        title = f"アセスメント（リスク: {a.get_risk_level_display()}）"
        entries.append(TimelineEntry(a.assessed_at, "assessment", title, a.wishes, "、".join(a.need_labels())))
    for p in case.plan_items.select_related("responsible_body"):
        title = f"支援計画: {p.get_service_display()}（{p.responsible_body.name}）"
        entries.append(TimelineEntry(p.created_at, "plan", title, p.detail, p.get_status_display()))
    for r in case.referrals.select_related("to_body", "plan_item"):
        entries.append(
            TimelineEntry(r.sent_at, "referral", f"依頼: {r.to_body.name}", r.request, r.get_legal_basis_display())
        )
        if r.returned_at:
            entries.append(
                TimelineEntry(r.returned_at, "referral", f"依頼の結果: {r.to_body.name}", r.outcome, r.action_taken)
            )
    for a in case.accompaniments.select_related("worker"):
        entries.append(TimelineEntry(_day(a.on), "accompaniment", f"同行: {a.destination}", a.outcome))
    for s in case.protection_stays.all():
        entries.append(TimelineEntry(_day(s.started_on), "protection", f"保護: {s.get_kind_display()}", s.notes))
    for f in case.follow_ups.all():
        if f.done_at:
            entries.append(TimelineEntry(f.done_at, "follow_up", "フォローアップ実施", f.result, f.purpose))
    for i in case.information_items.select_related("body"):
        entries.append(
            TimelineEntry(i.submitted_at, "information", f"情報提供 {i.receipt_number}（{i.body.name}）", i.observation)
        )
    return sorted(entries, key=lambda e: e.at)


def open_referrals_for(referrals):
    open_ones = referrals.exclude(status=Referral.Status.RETURNED).select_related("case", "plan_item")
    return without_secrets(open_ones, "case", "plan_item").order_by("sent_at")


def returned_referrals_for(referrals, limit: int = 50):
    returned = referrals.filter(status=Referral.Status.RETURNED).select_related("case", "plan_item")
    return without_secrets(returned, "case", "plan_item").order_by("-returned_at")[:limit]
