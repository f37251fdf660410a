"""Who may see which case, on which basis. Every case view fetches through here; nothing else decides.

Scopes: CASE_FILE is the case page and everything under it (hub roles only). Other scopes
(e.g. a case-review meeting's view of a case) are opened by basis providers that later issues
register with `register_basis_provider`.

Bases for CASE_FILE:
- assignment: the person has an active assignment (lead or other) on the case;
- supervision: the hub supervisor sees every case;
- break-glass: a hub worker stated a reason and holds an unexpired BreakGlassAccess.
Referral packets are reached through `get_referral_for_user` (the referral basis), never the case.

Secretariat, business members and system administrators never see case content, in any scope,
whatever a provider says. Department and agency staff never see the case page.

Every allowed read and every denied attempt writes an AccessLog row; a denied case is 404.
"""

from collections.abc import Callable

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from audit.models import AccessLog
from audit.services import access_log
from registry.models import Person

Role = Person.Role
Basis = AccessLog.Basis

CASE_FILE = "case_file"

HUB_ROLES = frozenset({Role.HUB_WORKER, Role.HUB_SUPERVISOR})
REFERRAL_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.AGENCY_STAFF})
NO_CASE_ROLES = frozenset({Role.SECRETARIAT, Role.BUSINESS_MEMBER, Role.SYSADMIN})

# A provider answers (basis, Q over Case) for the cases it opens to `user` in `scope`, or None.
# Write the Q as `pk__in=<subquery>` so it never multiplies rows.
BasisProvider = Callable[[object, str], tuple[str, Q] | None]
_providers: list[BasisProvider] = []


def register_basis_provider(fn: BasisProvider) -> BasisProvider:
    """Plug an extra basis in (e.g. the meetings app: attendance at a case-review meeting). Usable as a decorator."""
    if fn not in _providers:
        _providers.append(fn)
    return fn


def unregister_basis_provider(fn: BasisProvider) -> None:
    if fn in _providers:
        _providers.remove(fn)


def current_person(user) -> Person | None:
    """The user's person while their membership is current; None otherwise."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    person = getattr(user, "person", None)
    if person is None or person.left_on is not None:
        return None
    return person


def role(user) -> str | None:
    person = current_person(user)
    return person.role if person else None


def is_hub(user) -> bool:
    return role(user) in HUB_ROLES


def is_supervisor(user) -> bool:
    return role(user) == Role.HUB_SUPERVISOR


def receives_referrals(user) -> bool:
    return role(user) in REFERRAL_ROLES


def basis_filters(user, scope: str = CASE_FILE) -> list[tuple[str, Q]]:
    """The bases on which `user` may see cases in `scope`, most specific first."""
    from cases.models import BreakGlassAccess, CaseAssignment

    person = current_person(user)
    if person is None or person.role in NO_CASE_ROLES:
        return []
    filters: list[tuple[str, Q]] = []
    if scope == CASE_FILE:
        if person.role not in HUB_ROLES:
            return []
        assigned = CaseAssignment.objects.filter(person=person, ended_at__isnull=True).values("case_id")
        filters.append((Basis.ASSIGNMENT, Q(pk__in=assigned)))
        if person.role == Role.HUB_SUPERVISOR:
            filters.append((Basis.SUPERVISION, Q()))
        glass = BreakGlassAccess.objects.filter(user=user, expires_at__gt=timezone.now()).values("case_id")
        filters.append((Basis.BREAK_GLASS, Q(pk__in=glass)))
    for provider in _providers:
        result = provider(user, scope)
        if result is not None:
            filters.append(result)
    return filters


def visible_case_q(user, scope: str = CASE_FILE) -> Q | None:
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


def case_basis(user, case, scope: str = CASE_FILE) -> str | None:
    """The basis on which `user` sees `case` in `scope`, or None."""
    from cases.models import Case

    for basis, q in basis_filters(user, scope):
        if not q or Case.objects.filter(q, pk=case.pk).exists():
            return basis
    return None


def _deny(request, *, action, object_type, object_id, case=None):
    access_log(
        request=request,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=case.number if case else "",
        case_ref=str(case.uuid) if case else "",
        basis=Basis.NONE,
        allowed=False,
    )
    raise Http404


def get_case_for_user(request, uuid, *, scope: str = CASE_FILE, action: str = AccessLog.Action.VIEW):
    """(case, basis) when the user may see the case in `scope`; otherwise a denied log row and 404."""
    from cases.models import Case

    case = Case.objects.filter(uuid=uuid).first()
    basis = case_basis(request.user, case, scope) if case is not None else None
    if basis is None:
        _deny(request, action=action, object_type="cases.case", object_id=str(uuid), case=case)
    access_log(
        request=request,
        action=action,
        obj=case,
        object_label=case.number,
        case_ref=str(case.uuid),
        basis=basis,
        allowed=True,
    )
    return case, basis


def get_case_for_break_glass(request, uuid):
    """The case a hub worker asks to open by break-glass (existence is known to hub workers by search)."""
    from cases.models import Case

    case = Case.objects.filter(uuid=uuid).first()
    if case is None or role(request.user) != Role.HUB_WORKER:
        _deny(request, action=AccessLog.Action.BREAK_GLASS, object_type="cases.case", object_id=str(uuid), case=case)
    return case


def referral_basis(user, referral) -> str | None:
    person = current_person(user)
    if person is None:
        return None
    if person.role in REFERRAL_ROLES and referral.to_body_id == person.body_id:
        return Basis.REFERRAL
    if person.role in HUB_ROLES:
        return case_basis(user, referral.case, CASE_FILE)
    return None


def get_referral_for_user(request, uuid, *, action: str = AccessLog.Action.VIEW):
    """(referral, basis): the receiving body's staff see the packet; the hub sees it through the case."""
    from cases.models import Referral

    referral = Referral.objects.select_related("case", "to_body", "plan_item").filter(uuid=uuid).first()
    basis = referral_basis(request.user, referral) if referral is not None else None
    if basis is None:
        _deny(
            request,
            action=action,
            object_type="cases.referral",
            object_id=str(uuid),
            case=referral.case if referral else None,
        )
    access_log(
        request=request,
        action=action,
        obj=referral,
        object_label=referral.case.number,
        case_ref=str(referral.case.uuid),
        basis=basis,
        allowed=True,
    )
    return referral, basis


def visible_referrals(user):
    """Referral packets addressed to the user's body (department and agency staff only)."""
    from cases.models import Referral

    person = current_person(user)
    if person is None or person.role not in REFERRAL_ROLES:
        return Referral.objects.none()
    return Referral.objects.filter(to_body_id=person.body_id)


def get_information_for_hub(request, uuid, *, action: str = AccessLog.Action.VIEW):
    """Information in the intake queue, for hub roles; logged on the role basis."""
    from cases.models import Information

    item = Information.objects.select_related("body", "case").filter(uuid=uuid).first()
    basis = Basis.ROLE if item is not None and is_hub(request.user) else None
    if basis is not None and item.case is not None:
        # Once linked to a case, the information is part of that case file: its bases apply.
        basis = case_basis(request.user, item.case)
    if basis is None:
        _deny(request, action=action, object_type="cases.information", object_id=str(uuid))
    access_log(
        request=request,
        action=action,
        obj=item,
        object_label=item.receipt_number,
        case_ref=str(item.case.uuid) if item.case else "",
        basis=basis,
        allowed=True,
    )
    return item


def get_information_for_sender(request, uuid):
    """The sender's own submission (receipt and coarse status only); anyone else gets 404."""
    from cases.models import Information

    item = Information.objects.filter(uuid=uuid, submitted_by=request.user).first()
    if item is None:
        _deny(request, action=AccessLog.Action.VIEW, object_type="cases.information", object_id=str(uuid))
    return item


def case_nav_items(user) -> list[tuple[str, str]]:
    """Menu entries of the cases app for the user's role (the context processor shows them)."""
    person = current_person(user)
    if person is None:
        return []
    items = []
    if person.role == Role.HUB_SUPERVISOR:
        items.append(("cases:supervisor_home", "ケース統括"))
    if person.role in HUB_ROLES:
        items += [("cases:worker_home", "ケース"), ("cases:intake_queue", "受付キュー")]
    if person.role in REFERRAL_ROLES:
        items.append(("cases:referral_inbox", "拠点からの依頼"))
    items.append(("cases:info_sent_list", "拠点への情報提供"))
    return items
