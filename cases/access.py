"""Who may see which case, on which basis. Every case view fetches through here; nothing else decides.

The contract is docs/access.md. In short: a helper that returns something confidential takes the
request, decides read and write, writes one access-log row for the outcome the user actually gets
(allowed, 404 or 403) on the case side of the audit (AccessLog.Scope.CASE), and raises 404 outside
scope, so that existence never leaks. A basis that may only read gets 403 from a `_rw` helper.

Scopes (Scope): CASE_FILE is the case page and everything under it (hub roles only); CASE_REVIEW is
a case-review meeting's view of a case (Art. 9), opened by the basis provider the meetings app
registers with `register_basis_provider`.

Bases for CASE_FILE:
- assignment: the person has an active assignment (lead or other) on the case;
- supervision: the hub supervisor sees every case;
- break-glass: a hub worker stated a reason and holds an unexpired BreakGlassAccess.
Referral packets are reached through `get_referral_for_user` (the referral basis), never the case.

Secretariat, business members and system administrators never see case content, in any scope,
whatever a provider says. Department and agency staff never see the case page.
"""

from collections.abc import Callable
from typing import NamedTuple

from django.db import models
from django.db.models import Q
from django.utils import timezone

from audit.models import AccessLog
from audit.services import access_log, access_log_many, refuse
from cases.fields import search_hash
from cases.models import BreakGlassAccess, Case, CaseAssignment, Information, Referral
from registry.models import Person
from registry.roles import (
    BREAK_GLASS_ROLES,
    HUB_ROLES,
    NO_CASE_ROLES,
    REFERRAL_ROLES,
    SUPERVISOR_ROLES,
    current_person,
    has_role,
)

Role = Person.Role
Basis = AccessLog.Basis
Action = AccessLog.Action
CASE_SIDE = AccessLog.Scope.CASE


class Scope(models.TextChoices):
    CASE_FILE = "case_file", "ケースファイル"
    CASE_REVIEW = "case_review", "個別ケース検討会議"


# Bases on which a hub worker may also write in the case, and take the summary PDF away on paper.
# Any other basis (a case-review meeting) reads only.
WRITE_BASES = frozenset({Basis.ASSIGNMENT, Basis.SUPERVISION, Basis.BREAK_GLASS})
EXPORT_BASES = WRITE_BASES


def can_write(basis: str | None) -> bool:
    return basis in WRITE_BASES


def can_export(basis: str | None) -> bool:
    return basis in EXPORT_BASES


class CaseGrant(NamedTuple):
    """A case and the basis on which the user holds it; unpacks as (case, basis)."""

    case: Case
    basis: str

    @property
    def can_write(self) -> bool:
        return can_write(self.basis)

    @property
    def can_export(self) -> bool:
        return can_export(self.basis)

    @property
    def basis_label(self) -> str:
        return Basis(self.basis).label


# A provider answers (basis, Q over Case) for the cases it opens to `person` in `scope`, or None.
# Write the Q as `pk__in=<subquery>` so it never multiplies rows.
BasisProvider = Callable[[Person, str], tuple[str, Q] | None]
_providers: list[BasisProvider] = []


def register_basis_provider(fn: BasisProvider) -> BasisProvider:
    """Plug an extra basis in (e.g. the meetings app: attendance at a case-review meeting). Usable as a decorator."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister_basis_provider(fn: BasisProvider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def is_hub(user) -> bool:
    return has_role(user, HUB_ROLES)


def is_supervisor(user) -> bool:
    return has_role(user, SUPERVISOR_ROLES)


def receives_referrals(user) -> bool:
    return has_role(user, REFERRAL_ROLES)


# --- bases ---------------------------------------------------------------------------------------------------


def basis_filters(user, scope: str = Scope.CASE_FILE) -> list[tuple[str, Q]]:
    """The bases on which `user` may see cases in `scope`, most specific first."""
    person = current_person(user)
    if person is None or person.role in NO_CASE_ROLES:
        return []
    filters: list[tuple[str, Q]] = []
    if scope == Scope.CASE_FILE:
        if person.role not in HUB_ROLES:
            return []
        assigned = CaseAssignment.objects.filter(person=person, ended_at__isnull=True).values("case_id")
        filters.append((Basis.ASSIGNMENT, Q(pk__in=assigned)))
        if person.role == Role.HUB_SUPERVISOR:
            filters.append((Basis.SUPERVISION, Q()))
        glass = BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now()).values("case_id")
        filters.append((Basis.BREAK_GLASS, Q(pk__in=glass)))
    for provider in _providers:
        result = provider(person, scope)
        if result is not None:
            filters.append(result)
    return filters


def visible_case_q(user, scope: str = Scope.CASE_FILE) -> Q | None:
    """One Q over Case for every basis the user holds in `scope`; None when they hold none."""
    filters = basis_filters(user, scope)
    if not filters:
        return None
    combined = Q(pk__in=[])
    for _basis, q in filters:
        if not q:  # supervision: every case
            return Q()
        combined |= q
    return combined


def visible_cases(user, scope: str = Scope.CASE_FILE):
    """The cases the user may see in `scope`, on any basis: the list helper of this module."""
    q = visible_case_q(user, scope)
    return Case.objects.none() if q is None else Case.objects.filter(q)


def case_basis(user, case, scope: str = Scope.CASE_FILE) -> str | None:
    """The basis on which `user` sees `case` in `scope`, or None."""
    for basis, q in basis_filters(user, scope):
        if not q or Case.objects.filter(q, pk=case.pk).exists():
            return basis
    return None


def referral_basis(user, referral) -> str | None:
    person = current_person(user)
    if person is None:
        return None
    if person.role in REFERRAL_ROLES and referral.to_body_id == person.body_id:
        return Basis.REFERRAL
    if person.role in HUB_ROLES:
        return case_basis(user, referral.case, Scope.CASE_FILE)
    return None


# --- logging ------------------------------------------------------------------------------------------------


def _case_fields(case) -> dict:
    return {"object_label": case.number, "case_ref": str(case.uuid)} if case is not None else {}


def _allow(request, *, action, obj, case, basis, reason: str = "", allowed: bool = True) -> None:
    access_log(
        request=request,
        action=action,
        scope=CASE_SIDE,
        obj=obj,
        basis=basis,
        reason=reason,
        allowed=allowed,
        **_case_fields(case),
    )


def log_case(request, case, *, basis: str, action: str, reason: str = "") -> None:
    """One more row about a case the user already holds (e.g. a form about it shown again)."""
    _allow(request, action=action, obj=case, case=case, basis=basis, reason=reason)


def _refuse(request, *, status=404, action, object_type, object_id, case=None, basis=Basis.NONE, reason=""):
    refuse(
        request,
        status=status,
        action=action,
        scope=CASE_SIDE,
        object_type=object_type,
        object_id=str(object_id),
        basis=basis,
        reason=reason,
        **_case_fields(case),
    )


def _action(request) -> str:
    return Action.CHANGE if request.method == "POST" else Action.VIEW


def require_role(request, roles: frozenset[str], *, object_type: str, action: str = Action.LIST) -> Person:
    """A page of the case side for `roles` only: anyone else gets 403, logged on the case side."""
    person = current_person(request.user)
    if person is None or person.role not in roles:
        _refuse(request, status=403, action=action, object_type=object_type, object_id="")
    return person


def log_list(request, *, object_type: str, basis: str, reason: str = "") -> None:
    """The row for a list page of the case side (a dashboard, an inbox)."""
    access_log(
        request=request, action=Action.LIST, scope=CASE_SIDE, object_type=object_type, basis=basis, reason=reason
    )


# --- the case file ------------------------------------------------------------------------------------------


def _resolve_case(request, uuid, *, scope: str, action: str) -> tuple[Case, str]:
    """The case and the user's basis, or a denied row and 404. Writes no allowed row (the caller does)."""
    case = Case.objects.filter(uuid=uuid).first()
    basis = case_basis(request.user, case, scope) if case is not None else None
    if basis is None:
        _refuse(request, action=action, object_type="cases.case", object_id=uuid, case=case)
    return case, basis


def get_case_for_user(request, uuid, *, scope: str = Scope.CASE_FILE, action: str | None = None) -> CaseGrant:
    """Read: the case when the user holds a basis in `scope`; otherwise a denied row and 404."""
    action = action or _action(request)
    case, basis = _resolve_case(request, uuid, scope=scope, action=action)
    _allow(request, action=action, obj=case, case=case, basis=basis)
    return CaseGrant(case, basis)


def get_rw_case_for_user(request, uuid, *, supervisor_only: bool = False) -> CaseGrant:
    """Write: as get_case_for_user, then 403 (logged) when the basis only reads, or when the action is the
    supervisor's (assigning, deciding a closure) and the user is not the supervisor."""
    action = _action(request)
    case, basis = _resolve_case(request, uuid, scope=Scope.CASE_FILE, action=action)
    if not can_write(basis) or (supervisor_only and not is_supervisor(request.user)):
        _refuse(request, status=403, action=action, object_type="cases.case", object_id=uuid, case=case, basis=basis)
    _allow(request, action=action, obj=case, case=case, basis=basis)
    return CaseGrant(case, basis)


def get_case_record_for_user(request, uuid, model, pk) -> tuple[CaseGrant, models.Model]:
    """Write on one record of the case (a plan item, a consent, a follow-up): the record must belong to
    that case, or the answer is 404 with a denied row — never an allowed row for a refused request."""
    action = _action(request)
    case, basis = _resolve_case(request, uuid, scope=Scope.CASE_FILE, action=action)
    record = model.objects.filter(case=case, pk=pk).first() if isinstance(pk, int) else None
    if record is None:
        _refuse(request, action=action, object_type=model._meta.label_lower, object_id=pk, case=case, basis=basis)
    if not can_write(basis):
        _refuse(request, status=403, action=action, object_type=model._meta.label_lower, object_id=pk, case=case)
    _allow(request, action=action, obj=record, case=case, basis=basis)
    return CaseGrant(case, basis), record


def get_case_pdf_for_user(request, uuid) -> CaseGrant:
    """The summary PDF: only on a basis that may take the file away on paper (can_export); else 403."""
    case, basis = _resolve_case(request, uuid, scope=Scope.CASE_FILE, action=Action.PDF)
    if not can_export(basis):
        _refuse(
            request, status=403, action=Action.PDF, object_type="cases.case", object_id=uuid, case=case, basis=basis
        )
    return CaseGrant(case, basis)


def get_case_for_break_glass(request, uuid) -> Case:
    """The case a hub worker asks to open by break-glass. Showing the form names the case number, so the
    form itself is logged; anyone else, or an unknown id, gets 404 with a denied row."""
    case = Case.objects.filter(uuid=uuid).first()
    if case is None or not has_role(request.user, BREAK_GLASS_ROLES):
        _refuse(request, action=Action.BREAK_GLASS, object_type="cases.case", object_id=uuid, case=case)
    if request.method == "GET":
        _allow(request, action=Action.VIEW, obj=case, case=case, basis=Basis.ROLE, reason="緊急閲覧の申請画面")
    return case


def log_break_glass_refused(request, case, *, reason: str) -> None:
    """A break-glass attempt that was turned down (no valid reason): on record like any refusal."""
    _allow(request, action=Action.BREAK_GLASS, obj=case, case=case, basis=Basis.NONE, reason=reason, allowed=False)


# --- referral packets ---------------------------------------------------------------------------------------


def _resolve_referral(request, uuid, *, action: str) -> tuple[Referral, str]:
    referral = Referral.objects.select_related("case", "to_body", "plan_item").filter(uuid=uuid).first()
    basis = referral_basis(request.user, referral) if referral is not None else None
    if basis is None:
        _refuse(
            request,
            action=action,
            object_type="cases.referral",
            object_id=uuid,
            case=referral.case if referral else None,
        )
    return referral, basis


def get_referral_for_user(request, uuid, *, action: str | None = None) -> tuple[Referral, str]:
    """(referral, basis): the receiving body's staff see the packet; the hub sees it through the case."""
    action = action or _action(request)
    referral, basis = _resolve_referral(request, uuid, action=action)
    _allow(request, action=action, obj=referral, case=referral.case, basis=basis)
    return referral, basis


def get_rw_referral_for_recipient(request, uuid) -> Referral:
    """Answering a packet (acknowledge, return the outcome) is the receiving body's alone: the hub, which
    reads it through the case, gets 403 (logged)."""
    action = _action(request)
    referral, basis = _resolve_referral(request, uuid, action=action)
    if basis != Basis.REFERRAL:
        _refuse(
            request,
            status=403,
            action=action,
            object_type="cases.referral",
            object_id=uuid,
            case=referral.case,
            basis=basis,
        )
    _allow(request, action=action, obj=referral, case=referral.case, basis=basis)
    return referral


def visible_referrals(user):
    """Referral packets addressed to the user's body (department and agency staff only)."""
    person = current_person(user)
    if person is None or person.role not in REFERRAL_ROLES:
        return Referral.objects.none()
    return Referral.objects.filter(to_body_id=person.body_id)


# --- information from partners ------------------------------------------------------------------------------


def get_information_for_hub(request, uuid, *, action: str | None = None) -> Information:
    """Information in the intake queue, for hub roles; once linked to a case, that case's bases apply."""
    action = action or _action(request)
    item = Information.objects.select_related("body", "case").filter(uuid=uuid).first()
    basis = Basis.ROLE if item is not None and is_hub(request.user) else None
    if basis is not None and item.case is not None:
        basis = case_basis(request.user, item.case)
    if basis is None:
        case = item.case if item is not None else None
        _refuse(request, action=action, object_type="cases.information", object_id=uuid, case=case)
    access_log(
        request=request,
        action=action,
        scope=CASE_SIDE,
        obj=item,
        basis=basis,
        object_label=item.receipt_number,
        case_ref=str(item.case.uuid) if item.case else "",
    )
    return item


def get_information_for_sender(request, uuid) -> Information:
    """The sender's own submission (receipt and coarse status only); anyone else gets 404."""
    item = Information.objects.filter(uuid=uuid, submitted_by=request.user).first()
    if item is None:
        _refuse(request, action=Action.VIEW, object_type="cases.information", object_id=uuid)
    access_log(
        request=request,
        action=Action.VIEW,
        scope=CASE_SIDE,
        obj=item,
        basis=Basis.ROLE,
        object_label=item.receipt_number,
        reason="送信者の受付票",
    )
    return item


# --- search ---------------------------------------------------------------------------------------------------


def search_cases(request, *, reading: str = "", number: str = "") -> list[dict]:
    """Find cases by reading (keyed hash, never the plain text) or number, for hub roles.

    Each result is {"case", "visible", "as_perpetrator"}. Outside the worker's bases a match only says that
    a case exists (the template uses its uuid to offer break-glass, never its number or stage) and the
    perpetrator flag stays False: a worker close to a perpetrator must not confirm that a woman is in
    contact with the centre. Every matched case gets a row on the case side (so the supervisor sees who
    looked a woman up), and so does a search that matched nothing."""
    digest = search_hash(reading) if reading else ""
    matches = Case.objects.none()
    if digest:
        matches = Case.objects.filter(Q(reading_hash=digest) | Q(perpetrator_hash=digest))
    if number:
        matches = matches | Case.objects.filter(number=number)
    matches = list(matches.order_by("-opened_at")[:50])
    visible = set(visible_cases(request.user).filter(pk__in=[c.pk for c in matches]).values_list("pk", flat=True))
    results = [
        {
            "case": case,
            "visible": case.pk in visible,
            "as_perpetrator": case.pk in visible and bool(digest) and case.perpetrator_hash == digest,
        }
        for case in matches
    ]
    kind = "読み" if digest else ""
    kind = "・".join(k for k in (kind, "番号" if number else "") if k)
    entries = [
        {
            "action": Action.LIST,
            "obj": r["case"],
            "basis": Basis.ROLE,
            "reason": f"ケース検索（{kind}）: {'閲覧可' if r['visible'] else '担当外'}",
            **_case_fields(r["case"]),
        }
        for r in results
    ] or [
        {
            "action": Action.LIST,
            "object_type": "cases.case",
            "basis": Basis.ROLE,
            "reason": f"ケース検索（{kind}）: 該当なし",
        }
    ]
    access_log_many(request=request, scope=CASE_SIDE, entries=entries)
    return results


# --- navigation --------------------------------------------------------------------------------------------


def case_nav_items(user) -> list[tuple[str, str]]:
    """Menu entries of the cases app for the user's role (the context processor shows them)."""
    person = current_person(user)
    if person is None:
        return []
    items = []
    if person.role == Role.HUB_SUPERVISOR:
        items.append(("cases:supervisor_home", "ケース統括"))
        items.append(("cases:retention_list", "保存期間"))
    if person.role in HUB_ROLES:
        items += [("cases:worker_home", "ケース"), ("cases:intake_queue", "受付キュー")]
    if person.role in REFERRAL_ROLES:
        items.append(("cases:referral_inbox", "拠点からの依頼"))
    items.append(("cases:info_sent_list", "拠点への情報提供"))
    return items
