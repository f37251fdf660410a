"""The retention schedule and the purge (issue 13): how long each kind of record is kept, what is due, and
the one function per kind that removes it with its history rows and leaves a tombstone.

The schedule (settings, README "Retention"):
- a closed case: RETENTION_CASE_YEARS (5) after the end of the fiscal year (April–March, 年度) in which it
  was closed, as the city counts 文書保存年限; never while a legal hold (cases.LegalHold) is in force;
  everything of the case goes with it (consultations, assessments, plan, consents, referrals and their
  packets, accompaniments, protections, follow-ups, information items linked to it, review sheets of
  case-review meetings). The meeting and its agenda item stay; the item's link to the case is dropped.
  The non-identifying facts are kept first (cases.PurgedCaseFacts, cases.PurgedInformationFacts) so the
  yearly figures do not change;
- information that led to no case: RETENTION_INFORMATION_DAYS (365) after the triage (its month, sender's kind
  of body and triage are kept in cases.PurgedInformationFacts);
- a rejected business application: RETENTION_APPLICATION_DAYS (365) after the decision;
- a public event registrant: OUTREACH_PUBLIC_REGISTRANT_DAYS (365) after the event (outreach.services);
- access-log rows and sign-in events: AUDIT_LOG_RETENTION_YEARS (5), also enforced by the database.

Live rows are deleted with plain SQL (no history signal: a "deleted" history row would copy the content
again); their history rows through audit/purge.py, the only path the append-only triggers allow.
"""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from ageo_network.history import save_tracked
from ageo_network.wareki import fiscal_year
from audit import purge
from audit.models import AccessLog, SignInEvent, Tombstone
from cases.models import (
    Accompaniment,
    Assessment,
    BreakGlassAccess,
    Case,
    CaseAssignment,
    ConsentRecord,
    Consultation,
    FollowUp,
    Information,
    LegalHold,
    PlanItem,
    ProtectionStay,
    PurgedCaseFacts,
    PurgedInformationFacts,
    Referral,
    StageTransition,
)
from registry.models import Application

REASON_UNLINK = "保存期間の経過によるケースの削除（会議の議題からケースへの結び付けを外す）"
STAGE_ORDER = [
    Case.Stage.DISCOVERY,
    Case.Stage.CONSULTATION,
    Case.Stage.ASSESSMENT,
    Case.Stage.SUPPORT,
    Case.Stage.AFTERCARE,
]


# --- the schedule -------------------------------------------------------------------------------------------


def rule_case() -> str:
    return f"終結年度末から{settings.RETENTION_CASE_YEARS}年"


def rule_information() -> str:
    return f"対応から{settings.RETENTION_INFORMATION_DAYS}日"


def rule_application() -> str:
    return f"却下から{settings.RETENTION_APPLICATION_DAYS}日"


def rule_registrant() -> str:
    return f"行事から{settings.OUTREACH_PUBLIC_REGISTRANT_DAYS}日"


def rule_log() -> str:
    return f"記録から{settings.AUDIT_LOG_RETENTION_YEARS}年"


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def case_purge_date(closed_at: datetime.datetime) -> datetime.date:
    """The first day a case closed at `closed_at` may be purged: the April after N full fiscal years."""
    closed_fy = fiscal_year(timezone.localdate(closed_at))
    return datetime.date(closed_fy + 1 + settings.RETENTION_CASE_YEARS, 4, 1)


def _case_cutoff(day: datetime.date) -> datetime.datetime:
    # Closed before the start of fiscal year (FY(day) - N): purgeable on `day`.
    return _midnight(datetime.date(fiscal_year(day) - settings.RETENTION_CASE_YEARS, 4, 1))


def _held_q(today: datetime.date):
    return Exists(LegalHold.objects.filter(case=OuterRef("pk"), lifted_at__isnull=True, until__gte=today))


def cases_due(today: datetime.date, *, within_days: int = 0, include_held: bool = False):
    """Closed cases whose purge date falls on or before today + within_days (held ones left out unless asked)."""
    due = Case.objects.filter(
        stage=Case.Stage.CLOSED, closed_at__lt=_case_cutoff(today + datetime.timedelta(within_days))
    )
    if not include_held:
        due = due.exclude(_held_q(today))
    return due.order_by("closed_at", "id")


def information_due(today: datetime.date, *, within_days: int = 0):
    cutoff = _midnight(today + datetime.timedelta(within_days - settings.RETENTION_INFORMATION_DAYS))
    return Information.objects.filter(
        triage=Information.Triage.NO_CASE, case__isnull=True, triaged_at__lt=cutoff
    ).order_by("triaged_at", "id")


def applications_due(today: datetime.date):
    cutoff = _midnight(today - datetime.timedelta(settings.RETENTION_APPLICATION_DAYS))
    return Application.objects.filter(status=Application.Status.REJECTED, decided_at__lt=cutoff).order_by("id")


def log_cutoff(today: datetime.date) -> datetime.datetime:
    years = settings.AUDIT_LOG_RETENTION_YEARS
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return _midnight(day)


@dataclass
class Upcoming:
    """One line of the supervisor's purge schedule: numbers and rules only, never a name."""

    kind: str
    number: str
    due_on: datetime.date
    rule: str
    case: Case | None = None
    hold: LegalHold | None = None


def upcoming_purges(today: datetime.date, *, days: int = 90) -> list[Upcoming]:
    """What the purge will remove within `days` on the case side (cases, information items), held cases included."""
    rows = []
    holds = {
        h.case_id: h
        for h in LegalHold.objects.filter(lifted_at__isnull=True, until__gte=today).only("id", "case_id", "until")
    }
    cases = cases_due(today, within_days=days, include_held=True).only("id", "uuid", "number", "closed_at")
    for case in cases:
        rows.append(
            Upcoming(
                "ケース",
                case.number,
                max(case_purge_date(case.closed_at), today),
                rule_case(),
                case,
                holds.get(case.pk),
            )
        )
    information = information_due(today, within_days=days).only("id", "receipt_number", "triaged_at")
    for item in information:
        due_on = timezone.localdate(item.triaged_at) + datetime.timedelta(settings.RETENTION_INFORMATION_DAYS + 1)
        rows.append(Upcoming("情報提供", item.receipt_number, max(due_on, today), rule_information()))
    return sorted(rows, key=lambda row: (row.due_on, row.number))


# --- the facts kept of a purged case ------------------------------------------------------------------------


def age_band(age: int | None) -> str:
    """'1' (under 20) … '7' (70 and over), '' unknown; the same bands as case_year_figures."""
    if age is None:
        return ""
    return str(min(max(age // 10, 1), 7))


def _month(value) -> str:
    if isinstance(value, datetime.datetime):
        value = timezone.localdate(value)
    return f"{value:%Y-%m}"


def _triples(counter: Counter) -> list[list]:
    return [[month, key, n] for (month, key), n in sorted(counter.items())]


def case_facts(case: Case) -> PurgedCaseFacts:
    """The non-identifying facts of a case (not saved). Reads no encrypted column."""
    transitions = list(StageTransition.objects.filter(case=case).values_list("from_stage", "to_stage"))
    reached = {stage for pair in transitions for stage in pair} | {case.stage}
    highest = max((s for s in reached if s in STAGE_ORDER), key=STAGE_ORDER.index, default=Case.Stage.CONSULTATION)
    first_info = (
        Information.objects.filter(case=case).order_by("submitted_at").values_list("submitted_at", "body__kind").first()
    )
    consultations = list(Consultation.objects.filter(case=case).values_list("at", "method"))
    first_consultation = min((at for at, _m in consultations), default=None)
    days = None
    if first_info and first_consultation and first_consultation >= first_info[0]:
        days = (timezone.localdate(first_consultation) - timezone.localdate(first_info[0])).days
    return PurgedCaseFacts(
        fiscal_year=case.fiscal_year,
        opened_month=_month(case.opened_at),
        source_body_kind=first_info[1] if first_info else "",
        categories=sorted(case.categories),
        age_band=age_band(case.age),
        risk_level=case.risk_level,
        highest_stage=highest,
        closed_month=_month(case.closed_at),
        closed_fiscal_year=fiscal_year(timezone.localdate(case.closed_at)),
        reopen_count=sum(1 for from_stage, _to in transitions if from_stage == Case.Stage.CLOSED),
        consultations=_triples(Counter((_month(at), method) for at, method in consultations)),
        referrals=_triples(
            Counter(
                (_month(at), kind)
                for at, kind in Referral.objects.filter(case=case).values_list("sent_at", "to_body__kind")
            )
        ),
        referral_outcomes=_triples(
            Counter(
                (_month(at), f"{body_id}:{status}")
                for at, body_id, status in Referral.objects.filter(case=case).values_list(
                    "sent_at", "to_body_id", "status"
                )
            )
        ),
        accompaniments=_triples(
            Counter((_month(on), "") for on in Accompaniment.objects.filter(case=case).values_list("on", flat=True))
        ),
        protections=_triples(
            Counter(
                (_month(on), kind)
                for on, kind in ProtectionStay.objects.filter(case=case).values_list("started_on", "kind")
            )
        ),
        days_to_first_consultation=days,
    )


# --- the purge ----------------------------------------------------------------------------------------------

# Everything that hangs on a case, children before parents (referrals point at consents and plan items).
CASE_CHILDREN = [
    Referral,
    Consultation,
    Assessment,
    Accompaniment,
    ProtectionStay,
    FollowUp,
    StageTransition,
    BreakGlassAccess,
    CaseAssignment,
    Information,
    LegalHold,
    ConsentRecord,
    PlanItem,
]


def _review_sheet_model():
    # The meetings app's case-review sheets; through the relation, so cases imports no meetings module.
    return Case._meta.get_field("review_sheets").related_model


def _agenda_item_model():
    return Case._meta.get_field("meeting_agenda_items").related_model


def _delete_rows(model, ids: list) -> None:
    """Plain DELETE of live rows (no signals: simple-history would write a "deleted" row copying the content)."""
    if not ids:
        return
    quote = connection.ops.quote_name
    placeholders = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)} WHERE {quote(model._meta.pk.column)} IN ({placeholders})",  # noqa: S608
            ids,
        )


def _remove(model, ids: list) -> None:
    _delete_rows(model, ids)
    purge.purge_history(model.history.model, ids)


def case_purge(*, case: Case, by, at=None) -> PurgedCaseFacts:
    """Remove a case and everything of it, history included, keeping its facts and a tombstone per number."""
    today = timezone.localdate(at) if at else timezone.localdate()
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case.pk)
        if not case.is_closed or case.legal_holds.filter(lifted_at__isnull=True, until__gte=today).exists():
            raise ValidationError("終結していないケースと保留中のケースは削除できません。")
        facts = case_facts(case)
        facts.full_clean()
        facts.save()
        # The meeting stays; its agenda items forget the case and the plan items made of their decisions.
        plan_ids = set(PlanItem.objects.filter(case=case).values_list("pk", flat=True))
        AgendaItem = _agenda_item_model()
        for item in AgendaItem.objects.filter(Q(case=case) | Q(plan_item__in=plan_ids)):
            if item.case_id == case.pk:
                item.case = None
            if item.plan_item_id in plan_ids:
                item.plan_item = None
            save_tracked(item, by=by, update_fields=["case", "plan_item"], reason=REASON_UNLINK, clean=False)
        receipts = _keep_information_facts(Information.objects.filter(case=case))
        ReviewSheet = _review_sheet_model()
        _remove(ReviewSheet, list(ReviewSheet.objects.filter(case=case).values_list("pk", flat=True)))
        for model in CASE_CHILDREN:
            _remove(model, list(model.objects.filter(case=case).values_list("pk", flat=True)))
        _remove(Case, [case.pk])
        purge.tombstone(kind=Tombstone.Kind.CASE, identifier=case.number, rule=rule_case(), at=at)
        for receipt in receipts:
            purge.tombstone(kind=Tombstone.Kind.INFORMATION, identifier=receipt, rule=rule_case(), at=at)
    return facts


def _keep_information_facts(items) -> list[str]:
    """Write the facts row of each information item about to go; returns their receipt numbers."""
    receipts = []
    for number, submitted_at, body_kind, triage in items.values_list(
        "receipt_number", "submitted_at", "body__kind", "triage"
    ):
        facts = PurgedInformationFacts(submitted_month=_month(submitted_at), body_kind=body_kind, triage=triage)
        facts.full_clean()
        facts.save()
        receipts.append(number)
    return receipts


def information_purge(*, item: Information, at=None) -> None:
    with transaction.atomic():
        _keep_information_facts(Information.objects.filter(pk=item.pk))
        _remove(Information, [item.pk])
        purge.tombstone(kind=Tombstone.Kind.INFORMATION, identifier=item.receipt_number, rule=rule_information(), at=at)


def application_purge(*, application: Application, at=None) -> None:
    with transaction.atomic():
        _remove(Application, [application.pk])
        purge.tombstone(
            kind=Tombstone.Kind.APPLICATION, identifier=application.reference, rule=rule_application(), at=at
        )


def logs_purge(*, today: datetime.date) -> dict[str, int]:
    before = log_cutoff(today)
    counts = {}
    with transaction.atomic():
        for model, kind in ((AccessLog, Tombstone.Kind.ACCESS_LOG), (SignInEvent, Tombstone.Kind.SIGN_IN_EVENT)):
            n = purge.purge_log(model, before)
            counts[kind] = n
            if n:
                purge.tombstone(kind=kind, identifier=f"{before:%Y-%m-%d}より前", rule=rule_log(), count=n)
    return counts


def purge_expired(*, today: datetime.date, by, dry_run: bool = False) -> dict[str, list[str] | int]:
    """Everything due on `today`: {kind: [numbers] or count}. With dry_run, only what would go."""
    from outreach.models import Registration
    from outreach.services import public_registrants_purge

    cases = list(cases_due(today))
    information = list(information_due(today))
    applications = list(applications_due(today))
    report: dict[str, list[str] | int] = {
        Tombstone.Kind.CASE: [c.number for c in cases],
        Tombstone.Kind.INFORMATION: [i.receipt_number for i in information],
        Tombstone.Kind.APPLICATION: [a.reference for a in applications],
    }
    if dry_run:
        cutoff = today - datetime.timedelta(days=settings.OUTREACH_PUBLIC_REGISTRANT_DAYS)
        report[Tombstone.Kind.EVENT_REGISTRANT] = Registration.objects.filter(
            body__isnull=True, event__ends_at__lt=_midnight(cutoff)
        ).count()
        before = log_cutoff(today)
        report[Tombstone.Kind.ACCESS_LOG] = AccessLog.objects.filter(at__lt=before).count()
        report[Tombstone.Kind.SIGN_IN_EVENT] = SignInEvent.objects.filter(at__lt=before).count()
        return report
    for case in cases:
        case_purge(case=case, by=by)
    for item in information:
        information_purge(item=item)
    for application in applications:
        application_purge(application=application)
    with transaction.atomic():
        registrants = public_registrants_purge(today=today, by=by)
        if registrants:
            purge.tombstone(
                kind=Tombstone.Kind.EVENT_REGISTRANT, identifier="", rule=rule_registrant(), count=registrants
            )
    report[Tombstone.Kind.EVENT_REGISTRANT] = registrants
    report.update(logs_purge(today=today))
    return report
