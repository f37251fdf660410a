"""Writes to the case file. Each function runs in one transaction, leaves history naming `by`,
and raises ValidationError with a Japanese message. Emails go out after commit and carry a link
and the case number only."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from ageo_network.history import save_tracked
from ageo_network.wareki import era_year, fiscal_year
from audit.models import AccessLog
from audit.services import access_log
from cases import emails
from cases.fields import search_hash
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
    NumberCounter,
    PacketField,
    PlanItem,
    ProblemCategory,
    ProtectionStay,
    Referral,
    StageTransition,
)
from registry.models import Body, Person
from registry.roles import HUB_ROLES, REFERRAL_ROLES

ERA_INITIALS = {"令和": "R", "平成": "H", "昭和": "S", "大正": "T", "明治": "M"}
MIN_REASON_LENGTH = 10
REMINDER_DAYS_BEFORE_EXPIRY = 30

CASE_EDITABLE_FIELDS = [
    "name",
    "name_reading",
    "name_is_alias",
    "age",
    "birth_year",
    "household",
    "children_count",
    "children_link",
    "nationality",
    "language",
    "interpreter_needed",
    "phone",
    "address",
    "safe_contact_method",
    "safe_contact_times",
    "safe_contact_never",
    "no_home_calls",
    "no_post",
    "address_protection",
    "address_protection_until",
    "perpetrator_name",
    "perpetrator_reading",
    "perpetrator_info",
    "categories",
    "risk_level",
    "risk_reason",
    "notes",
]

CONFLICT_MESSAGE = (
    "このケースは、あなたが編集を始めた後に他の職員が更新しました。あなたの入力はまだ保存されていません。"
    "下の入力内容を控えてから最新の内容を開き、必要な変更をもう一度行ってください。"
)


# --- Numbers -----------------------------------------------------------------


def era_prefix(fy: int) -> str:
    """'R6' for fiscal year 2024 (the era in force at the end of the fiscal year's first calendar year)."""
    name, year = era_year(datetime.date(fy, 12, 31))
    return f"{ERA_INITIALS.get(name, name)}{year}"


def _next_value(kind: str, fy: int, *, by) -> int:
    """The next number of `kind` in fiscal year `fy`, under a row lock: unique under concurrency, never reused."""
    counter = NumberCounter.objects.select_for_update().filter(kind=kind, fiscal_year=fy).first()
    if counter is None:
        try:
            with transaction.atomic():
                save_tracked(NumberCounter(kind=kind, fiscal_year=fy, last_value=0), by=by)
        except IntegrityError:
            pass  # another transaction created the row first; lock it below
        counter = NumberCounter.objects.select_for_update().get(kind=kind, fiscal_year=fy)
    counter.last_value += 1
    save_tracked(counter, by=by, update_fields=["last_value"])
    return counter.last_value


# --- Information from partners (write-only for the sender) -------------------

INFORMATION_FIELDS = ["caller", "observation", "situation", "woman_name", "awareness", "safe_contact", "urgency"]


@transaction.atomic
def information_submit(*, by, body: Body, data: dict, channel: str = Information.Channel.ONLINE) -> Information:
    """Record information sent to the hub and notify the hub; the sender gets only the receipt number."""
    unknown = set(data) - set(INFORMATION_FIELDS)
    if unknown:
        raise ValidationError("受け付けられない項目が含まれています。")
    now = timezone.now()
    fy = fiscal_year(timezone.localdate(now))
    seq = _next_value(NumberCounter.Kind.INFORMATION, fy, by=by)
    item = Information(
        receipt_number=f"{era_prefix(fy)}-J{seq:04d}",
        submitted_at=now,
        submitted_by=by,
        body=body,
        channel=channel,
        **data,
    )
    save_tracked(item, by=by)
    hub_people = Person.objects.current().filter(role__in=HUB_ROLES).select_related("user")
    emails.information_received(item, hub_people)
    return item


def _triage(item: Information, *, triage: str, by, case: Case | None = None, reason: str = "") -> Information:
    item = Information.objects.select_for_update().get(pk=item.pk)
    if item.triage != Information.Triage.PENDING:
        raise ValidationError("この情報提供は既に対応済みです。")
    item.triage = triage
    item.case = case
    item.no_case_reason = reason
    item.triaged_at = timezone.now()
    item.triaged_by = by
    return save_tracked(item, by=by, update_fields=["triage", "case", "no_case_reason", "triaged_at", "triaged_by"])


@transaction.atomic
def information_link(*, item: Information, case: Case, by) -> Information:
    if case.is_closed:
        raise ValidationError("終結したケースには結び付けられません。先にケースを再開してください。")
    return _triage(item, triage=Information.Triage.LINKED, case=case, by=by)


@transaction.atomic
def information_open_case(*, item: Information, by) -> Case:
    """Open a new case from the information (stage: discovery) and link it."""
    case = case_open(by=by, data={"name": item.woman_name}, stage=Case.Stage.DISCOVERY)
    _triage(item, triage=Information.Triage.OPENED, case=case, by=by)
    return case


@transaction.atomic
def information_no_case(*, item: Information, reason: str, by) -> Information:
    if len(reason.strip()) < 5:
        raise ValidationError("ケースにしなかった理由を記録してください。")
    return _triage(item, triage=Information.Triage.NO_CASE, reason=reason.strip(), by=by)


# --- The case ------------------------------------------------------------------


def _clean_case_data(data: dict) -> dict:
    unknown = set(data) - set(CASE_EDITABLE_FIELDS)
    if unknown:
        raise ValidationError("変更できない項目が含まれています。")
    categories = data.get("categories")
    if categories is not None and not set(categories) <= set(ProblemCategory.values):
        raise ValidationError("問題の種類に不明な値があります。")
    return data


def _apply_hashes(case: Case) -> None:
    case.reading_hash = search_hash(case.name_reading)
    case.perpetrator_hash = search_hash(case.perpetrator_reading)


def _check_protection(case: Case) -> None:
    if case.address_protection and case.address_protection_until is None:
        raise ValidationError("住民票のDV等支援措置を実施中のときは、期限を入力してください。")


@transaction.atomic
def case_open(*, by, data: dict | None = None, stage: str = Case.Stage.CONSULTATION) -> Case:
    """Open a case with the next number of the fiscal year; a hub worker who opens it becomes its lead."""
    data = _clean_case_data(dict(data or {}))
    now = timezone.now()
    fy = fiscal_year(timezone.localdate(now))
    seq = _next_value(NumberCounter.Kind.CASE, fy, by=by)
    case = Case(
        number=f"{era_prefix(fy)}-{seq:04d}",
        fiscal_year=fy,
        sequence=seq,
        opened_at=now,
        opened_by=by,
        stage=stage,
        **data,
    )
    _apply_hashes(case)
    _check_protection(case)
    save_tracked(case, by=by, reason="ケースを開始")
    save_tracked(StageTransition(case=case, from_stage="", to_stage=stage, at=now, by=by), by=by)
    person = getattr(by, "person", None)
    if person is not None and person.role == Person.Role.HUB_WORKER:
        save_tracked(CaseAssignment(case=case, person=person, is_lead=True, assigned_by=by), by=by)
    return case


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _bump(case: Case, fields: list[str], *, by, reason: str = "") -> Case:
    case.version += 1
    return save_tracked(case, by=by, update_fields=[*fields, "version"], reason=reason)


@transaction.atomic
def case_update(*, case: Case, data: dict, expected_version: int, by) -> Case:
    """Change the woman's details. Refused when someone saved the case after `expected_version` was read."""
    data = _clean_case_data(data)
    current = _lock(case)
    if current.version != expected_version:
        raise ValidationError(CONFLICT_MESSAGE, code="conflict")
    changed = [field for field, value in data.items() if getattr(current, field) != value]
    if not changed:
        return current
    for field in changed:
        setattr(current, field, data[field])
    _apply_hashes(current)
    _check_protection(current)
    if "address_protection_until" in changed:
        current.address_protection_reminded_for = None
    return _bump(
        current,
        [*changed, "reading_hash", "perpetrator_hash", "address_protection_reminded_for"],
        by=by,
        reason="基本情報の更新",
    )


def _transition(case: Case, to_stage: str, *, by, note: str = "") -> None:
    save_tracked(StageTransition(case=case, from_stage=case.stage, to_stage=to_stage, by=by, note=note), by=by)
    case.stage = to_stage


@transaction.atomic
def case_set_stage(*, case: Case, stage: str, by, note: str = "") -> Case:
    """Move an open case to another open stage. Closing goes through request and approval."""
    case = _lock(case)
    if stage == Case.Stage.CLOSED:
        raise ValidationError("終結には理由の記録と統括者の承認が必要です。")
    if case.is_closed:
        raise ValidationError("終結したケースの段階は変更できません。再開してください。")
    if stage not in Case.Stage.values or stage == case.stage:
        raise ValidationError("別の段階を選んでください。")
    _transition(case, stage, by=by, note=note)
    return _bump(case, ["stage"], by=by, reason="段階の変更")


@transaction.atomic
def case_request_closure(*, case: Case, reason: str, by) -> Case:
    case = _lock(case)
    if case.is_closed:
        raise ValidationError("このケースは既に終結しています。")
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise ValidationError(f"終結の理由を{MIN_REASON_LENGTH}文字以上で記録してください。")
    case.closure_reason = reason.strip()
    case.closure_requested_at = timezone.now()
    case.closure_requested_by = by
    case = _bump(case, ["closure_reason", "closure_requested_at", "closure_requested_by"], by=by, reason="終結の申請")
    supervisors = Person.objects.current().filter(role=Person.Role.HUB_SUPERVISOR).select_related("user")
    emails.closure_requested(case, supervisors)
    return case


@transaction.atomic
def case_decide_closure(*, case: Case, approve: bool, by) -> Case:
    """The supervisor approves (the case closes) or sends the request back."""
    if getattr(getattr(by, "person", None), "role", None) != Person.Role.HUB_SUPERVISOR:
        raise ValidationError("終結の承認は統括者だけができます。")
    case = _lock(case)
    if not case.closure_pending:
        raise ValidationError("承認待ちの終結申請はありません。")
    if not approve:
        case.closure_requested_at = None
        case.closure_requested_by = None
        return _bump(case, ["closure_requested_at", "closure_requested_by"], by=by, reason="終結申請の差し戻し")
    _transition(case, Case.Stage.CLOSED, by=by)
    case.closed_at = timezone.now()
    case.closure_approved_by = by
    case = _bump(case, ["stage", "closed_at", "closure_approved_by"], by=by, reason="終結の承認")
    for item in case.information_items.filter(sender_closed=False):
        item.sender_closed = True
        save_tracked(item, by=by, update_fields=["sender_closed"])
    return case


@transaction.atomic
def case_reopen(*, case: Case, reason: str, by) -> Case:
    case = _lock(case)
    if not case.is_closed:
        raise ValidationError("終結していないケースは再開できません。")
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise ValidationError(f"再開の理由を{MIN_REASON_LENGTH}文字以上で記録してください。")
    _transition(case, Case.Stage.CONSULTATION, by=by, note=reason.strip())
    case.closed_at = None
    case.closure_requested_at = None
    case.closure_requested_by = None
    case.closure_approved_by = None
    return _bump(
        case,
        ["stage", "closed_at", "closure_requested_at", "closure_requested_by", "closure_approved_by"],
        by=by,
        reason="ケースの再開",
    )


@transaction.atomic
def case_assign(*, case: Case, lead: Person, others: list[Person], by) -> Case:
    """Set the lead worker and the other workers; ended assignments stay in the history."""
    if getattr(getattr(by, "person", None), "role", None) != Person.Role.HUB_SUPERVISOR:
        raise ValidationError("担当の割当は統括者だけができます。")
    wanted = {lead.pk: True, **{p.pk: False for p in others if p.pk != lead.pk}}
    for person in [lead, *others]:
        if person.role not in (Person.Role.HUB_WORKER, Person.Role.HUB_SUPERVISOR) or person.left_on is not None:
            raise ValidationError("担当にできるのは在職中の女性相談支援員だけです。")
    case = _lock(case)
    now = timezone.now()
    active = {a.person_id: a for a in case.assignments.filter(ended_at__isnull=True)}
    # End first: the partial unique constraints allow one active lead and one active row per person.
    for person_id, assignment in active.items():
        if person_id not in wanted or assignment.is_lead != wanted[person_id]:
            assignment.ended_at = now
            save_tracked(assignment, by=by, update_fields=["ended_at"])
    newly = []
    for person_id, is_lead in wanted.items():
        current = active.get(person_id)
        if current is None or current.is_lead != is_lead:
            save_tracked(
                CaseAssignment(case=case, person_id=person_id, is_lead=is_lead, assigned_at=now, assigned_by=by), by=by
            )
            if current is None:
                newly.append(person_id)
    case = _bump(case, [], by=by, reason="担当の割当")
    people = Person.objects.filter(pk__in=newly).select_related("user")
    emails.case_assigned(case, people)
    return case


def _log_on_case(case: Case, *, obj, user, ip, action: str, basis: str, reason: str) -> None:
    """A disclosure or grant on the case side of the audit, written inside the service's transaction."""
    access_log(
        user=user,
        ip=ip,
        action=action,
        scope=AccessLog.Scope.CASE,
        obj=obj,
        object_label=case.number,
        case_ref=str(case.uuid),
        basis=basis,
        reason=reason,
    )


@transaction.atomic
def break_glass_open(*, case: Case, user, reason: str, ip: str | None = None) -> BreakGlassAccess:
    """Open a case not assigned to the worker for BREAK_GLASS_HOURS, with the reason on record.

    The grant's access-log row is written in this transaction: a grant never exists without its row."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(f"緊急閲覧の理由を{MIN_REASON_LENGTH}文字以上で入力してください。")
    now = timezone.now()
    access = BreakGlassAccess(
        case=case,
        user=user,
        reason=reason,
        started_at=now,
        expires_at=now + datetime.timedelta(hours=settings.BREAK_GLASS_HOURS),
    )
    save_tracked(access, by=user)
    _log_on_case(
        case,
        obj=case,
        user=user,
        ip=ip,
        action=AccessLog.Action.BREAK_GLASS,
        basis=AccessLog.Basis.BREAK_GLASS,
        reason=reason,
    )
    return access


# --- Records in the case -------------------------------------------------------------------


@transaction.atomic
def consultation_record(*, case: Case, data: dict, by) -> Consultation:
    return save_tracked(Consultation(case=case, worker=by, **data), by=by)


@transaction.atomic
def assessment_record(*, case: Case, data: dict, by) -> Assessment:
    """Add an assessment to the series; the case takes its risk level."""
    assessment = save_tracked(Assessment(case=case, by=by, **data), by=by)
    locked = _lock(case)
    if locked.risk_level != assessment.risk_level:
        locked.risk_level = assessment.risk_level
        _bump(locked, ["risk_level"], by=by, reason="アセスメントによるリスクの更新")
    return assessment


@transaction.atomic
def plan_item_add(*, case: Case, data: dict, by) -> PlanItem:
    return save_tracked(PlanItem(case=case, created_by=by, **data), by=by)


@transaction.atomic
def plan_item_update(*, item: PlanItem, data: dict, by) -> PlanItem:
    allowed = {"status", "due_on", "detail"}
    if set(data) - allowed:
        raise ValidationError("変更できない項目が含まれています。")
    item = PlanItem.objects.select_for_update().get(pk=item.pk)
    changed = [field for field, value in data.items() if getattr(item, field) != value]
    for field in changed:
        setattr(item, field, data[field])
    return save_tracked(item, by=by, update_fields=changed) if changed else item


@transaction.atomic
def consent_record(*, case: Case, data: dict, by) -> ConsentRecord:
    items = data.get("items") or []
    if not items or not set(items) <= set(PacketField.values):
        raise ValidationError("共有に同意した項目を選んでください。")
    return save_tracked(ConsentRecord(case=case, recorded_by=by, **data), by=by)


@transaction.atomic
def consent_withdraw(*, consent: ConsentRecord, by) -> ConsentRecord:
    consent = ConsentRecord.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_at is not None:
        raise ValidationError("この同意は既に撤回されています。")
    consent.withdrawn_at = timezone.now()
    consent.withdrawn_by = by
    return save_tracked(consent, by=by, update_fields=["withdrawn_at", "withdrawn_by"])


def build_packet(case: Case, fields: list[str]) -> dict:
    """The ticked fields only, as text snapshots taken at sending time."""
    values = {
        PacketField.NAME: case.name + ("（仮名・通称）" if case.name_is_alias and case.name else ""),
        PacketField.READING: case.name_reading,
        PacketField.AGE: " ".join(
            part
            for part in [f"{case.age}歳" if case.age else "", f"{case.birth_year}年生まれ" if case.birth_year else ""]
            if part
        ),
        PacketField.HOUSEHOLD: "\n".join(
            part
            for part in [case.household, f"同居の子ども {case.children_count}人" if case.children_count else ""]
            if part
        ),
        PacketField.LANGUAGE: "\n".join(
            part for part in [case.nationality, case.language, "通訳が必要" if case.interpreter_needed else ""] if part
        ),
        PacketField.PHONE: case.phone,
        PacketField.SAFE_CONTACT: "\n".join(
            part
            for part in [
                case.safe_contact_method,
                case.safe_contact_times,
                case.safe_contact_never,
                "自宅への電話は不可" if case.no_home_calls else "",
                "郵送は不可" if case.no_post else "",
            ]
            if part
        ),
        PacketField.ADDRESS: case.address,
        PacketField.CATEGORIES: "、".join(case.category_labels()),
        PacketField.RISK: case.get_risk_level_display(),
    }
    return {str(code): values[code] for code in PacketField if code in fields}


def covering_consent(case: Case, body: Body, fields: list[str], today=None) -> ConsentRecord | None:
    for consent in case.consents.filter(body=body, withdrawn_at__isnull=True):
        if consent.covers(body.pk, fields, today):
            return consent
    return None


@transaction.atomic
def referral_send(
    *,
    plan_item: PlanItem,
    to_body: Body,
    fields: list[str],
    request: str,
    legal_basis: str,
    legal_basis_note: str = "",
    by,
    access_basis: str,
    ip: str | None = None,
) -> Referral:
    """Send a packet of the ticked fields. Refused without a covering consent or a recorded legal basis;
    never carries the address while address protection is in force. The disclosure's access-log row (with
    the sender's basis on the case and the legal basis, never the packet's content) is written in this
    transaction, so a packet can never leave without its row."""
    case = _lock(plan_item.case)
    fields = [str(f) for f in fields]
    if to_body.kind not in (Body.Kind.DEPARTMENT, Body.Kind.AGENCY) or not to_body.is_active:
        raise ValidationError("依頼先は市の部署か関係機関を選んでください。")
    if not set(fields) <= set(PacketField.values):
        raise ValidationError("パケットに入れられない項目が含まれています。")
    if case.address_protection and PacketField.ADDRESS in fields:
        raise ValidationError("住民票のDV等支援措置を実施中のため、住所は依頼先に送れません。")
    if case.is_closed:
        raise ValidationError("終結したケースからは依頼できません。")
    if len(request.strip()) < 5:
        raise ValidationError("依頼内容を入力してください。")
    consent = covering_consent(case, to_body, fields)
    if legal_basis == Referral.LegalBasis.CONSENT:
        if consent is None:
            raise ValidationError(
                "この依頼先と項目をカバーする有効な同意がありません。同意を記録するか、法令上の根拠を記録してください。"
            )
    elif legal_basis in (Referral.LegalBasis.LIFE_OR_BODY, Referral.LegalBasis.STATUTE):
        consent = None
        if len(legal_basis_note.strip()) < MIN_REASON_LENGTH:
            raise ValidationError(
                f"同意によらない提供では、根拠の説明を{MIN_REASON_LENGTH}文字以上で記録してください。"
            )
    else:
        raise ValidationError("提供の根拠を選んでください。")
    referral = Referral(
        case=case,
        plan_item=plan_item,
        to_body=to_body,
        fields=fields,
        packet=build_packet(case, fields),
        request=request.strip(),
        address_protected=case.address_protection,
        legal_basis=legal_basis,
        legal_basis_note=legal_basis_note.strip(),
        consent=consent,
        sent_by=by,
    )
    save_tracked(referral, by=by)
    _log_on_case(
        case,
        obj=referral,
        user=by,
        ip=ip,
        action=AccessLog.Action.EXPORT,
        basis=access_basis,
        reason=f"依頼の送付: {to_body.name} / 根拠: {referral.get_legal_basis_display()}",
    )
    if plan_item.status == PlanItem.Status.TO_REQUEST:
        plan_item.status = PlanItem.Status.REQUESTED
        save_tracked(plan_item, by=by, update_fields=["status"])
    staff = Person.objects.current().filter(body=to_body, role__in=REFERRAL_ROLES).select_related("user")
    emails.referral_received(referral, staff)
    return referral


@transaction.atomic
def referral_acknowledge(*, referral: Referral, by) -> Referral:
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status != Referral.Status.SENT:
        raise ValidationError("この依頼は既に受領済みです。")
    referral.status = Referral.Status.ACKNOWLEDGED
    referral.acknowledged_at = timezone.now()
    referral.acknowledged_by = by
    save_tracked(referral, by=by, update_fields=["status", "acknowledged_at", "acknowledged_by"])
    item = referral.plan_item
    if item.status in (PlanItem.Status.TO_REQUEST, PlanItem.Status.REQUESTED):
        item.status = PlanItem.Status.IN_PROGRESS
        save_tracked(item, by=by, update_fields=["status"])
    return referral


@transaction.atomic
def referral_return(*, referral: Referral, action_taken: str, outcome: str, by) -> Referral:
    """The receiving body records what it did and returns the outcome to the hub."""
    referral = Referral.objects.select_for_update().get(pk=referral.pk)
    if referral.status == Referral.Status.RETURNED:
        raise ValidationError("この依頼の結果は既に報告されています。")
    if not outcome.strip():
        raise ValidationError("結果を入力してください。")
    now = timezone.now()
    if referral.acknowledged_at is None:
        referral.acknowledged_at = now
        referral.acknowledged_by = by
    referral.status = Referral.Status.RETURNED
    referral.action_taken = action_taken.strip()
    referral.outcome = outcome.strip()
    referral.returned_at = now
    referral.returned_by = by
    save_tracked(
        referral,
        by=by,
        update_fields=[
            "status",
            "action_taken",
            "outcome",
            "returned_at",
            "returned_by",
            "acknowledged_at",
            "acknowledged_by",
        ],
    )
    emails.referral_returned(referral, _leads(referral.case))
    return referral


@transaction.atomic
def accompaniment_record(*, case: Case, data: dict, by) -> Accompaniment:
    return save_tracked(Accompaniment(case=case, worker=by, **data), by=by)


@transaction.atomic
def protection_stay_record(*, case: Case, data: dict, by) -> ProtectionStay:
    return save_tracked(ProtectionStay(case=case, recorded_by=by, **data), by=by)


@transaction.atomic
def follow_up_add(*, case: Case, data: dict, by) -> FollowUp:
    return save_tracked(FollowUp(case=case, created_by=by, **data), by=by)


@transaction.atomic
def follow_up_complete(*, follow_up: FollowUp, result: str, by) -> FollowUp:
    follow_up = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if follow_up.done_at is not None:
        raise ValidationError("このフォローアップは既に実施済みです。")
    follow_up.done_at = timezone.now()
    follow_up.done_by = by
    follow_up.result = result.strip()
    return save_tracked(follow_up, by=by, update_fields=["done_at", "done_by", "result"])


# --- Emails and reminders -------------------------------------------------------------------


def _leads(case: Case) -> list[Person]:
    """The case's active lead workers who can be mailed; the supervisors when there are none."""
    leads = case.assignments.filter(ended_at__isnull=True, is_lead=True).select_related("person__user", "person__body")
    today = timezone.localdate()
    people = [a.person for a in leads if a.person.is_current_on(today) and a.person.user.email]
    if not people:
        people = list(Person.objects.current().filter(role=Person.Role.HUB_SUPERVISOR).select_related("user"))
    return people


@transaction.atomic
def send_due_reminders(*, today: datetime.date, by) -> dict[str, int]:
    """Address protections expiring within 30 days and follow-ups due today or earlier; each reminder once."""
    sent = {"address_protection": 0, "follow_up": 0}
    horizon = today + datetime.timedelta(days=REMINDER_DAYS_BEFORE_EXPIRY)
    expiring = Case.objects.open().filter(
        address_protection=True, address_protection_until__isnull=False, address_protection_until__lte=horizon
    )
    for case in expiring.select_for_update():
        if case.address_protection_reminded_for == case.address_protection_until:
            continue
        case.address_protection_reminded_for = case.address_protection_until
        save_tracked(case, by=by, update_fields=["address_protection_reminded_for"], reason="支援措置の期限前通知")
        emails.protection_expiring(case, _leads(case))
        sent["address_protection"] += 1
    due = FollowUp.objects.filter(done_at__isnull=True, reminded_on__isnull=True, due_on__lte=today)
    for follow_up in due.select_related("case").select_for_update(of=("self",)):
        follow_up.reminded_on = today
        save_tracked(follow_up, by=by, update_fields=["reminded_on"])
        emails.follow_up_due(follow_up.case, _leads(follow_up.case))
        sent["follow_up"] += 1
    return sent


# --- Legal hold (retention, cases/retention.py) ---------------------------------------------------


@transaction.atomic
def legal_hold_place(*, case: Case, reason: str, until: datetime.date, by) -> LegalHold:
    """Stop the retention purge of a case until `until` (or until lifted)."""
    case = _lock(case)
    if until <= timezone.localdate():
        raise ValidationError("保留の期限には明日以降の日付を入力してください。")
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise ValidationError(f"保留の理由を{MIN_REASON_LENGTH}文字以上で記録してください。")
    if case.legal_holds.filter(lifted_at__isnull=True).exists():
        raise ValidationError("このケースには既に保留が設定されています。先に解除してください。")
    return save_tracked(LegalHold(case=case, reason=reason.strip(), until=until, placed_by=by), by=by)


@transaction.atomic
def legal_hold_lift(*, hold: LegalHold, by) -> LegalHold:
    hold = LegalHold.objects.select_for_update().get(pk=hold.pk)
    if hold.lifted_at is not None:
        raise ValidationError("この保留は既に解除されています。")
    hold.lifted_at = timezone.now()
    hold.lifted_by = by
    return save_tracked(hold, by=by, update_fields=["lifted_at", "lifted_by"])
