"""Who may see which registry objects. Views fetch bodies, people and applications only through here.

The contract is docs/access.md: refusals are logged on the network side of the audit
(AccessLog.Scope.NETWORK) — 404 outside scope, 403 for a role that may read but not change —
and so is every read of an application (the applicant's personal data).
"""

import logging
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from audit.models import AccessLog
from audit.services import access_log, client_ip, refuse
from registry.models import Application, Body, Person
from registry.roles import (
    ALL_BODIES_ROLES,
    APPLICATION_DECIDER_ROLES,
    APPLICATION_REVIEWER_ROLES,
    BODY_EDITOR_ROLES,
    BUSINESS_ROLES,
    PEOPLE_ROLES,
    ROSTER_ROLES,
    current_person,
    has_role,
)

logger = logging.getLogger("registry.access")
Action = AccessLog.Action
NETWORK_SIDE = AccessLog.Scope.NETWORK


def _refuse(request, *, status=404, action=Action.VIEW, object_type: str, object_id="", object_label=""):
    refuse(
        request,
        status=status,
        action=action,
        scope=NETWORK_SIDE,
        object_type=object_type,
        object_id=str(object_id),
        object_label=object_label,
    )


def _action(request) -> str:
    return Action.CHANGE if request.method == "POST" else Action.VIEW


# --- predicates (templates and navigation display what these computed) -----------------------------------


def can_see_all_bodies(user) -> bool:
    return has_role(user, ALL_BODIES_ROLES)


def can_edit_body(user) -> bool:
    return has_role(user, BODY_EDITOR_ROLES)


def can_view_people(user) -> bool:
    return has_role(user, PEOPLE_ROLES)


def can_view_roster(user) -> bool:
    """The staff roster, its PDF and exports."""
    return has_role(user, ROSTER_ROLES)


def can_review_applications(user) -> bool:
    return has_role(user, APPLICATION_REVIEWER_ROLES)


def can_decide_applications(user) -> bool:
    return has_role(user, APPLICATION_DECIDER_ROLES)


# --- bodies and people --------------------------------------------------------------------------------------


def visible_bodies(user):
    """Staff of the city and agencies see every body; a business member only their own."""
    if can_see_all_bodies(user):
        return Body.objects.all()
    person = current_person(user)
    if person is None:
        return Body.objects.none()
    return Body.objects.filter(pk=person.body_id)


def get_body_for_user(request, pk) -> Body:
    """Read: the body, or 404 (logged) when it is outside the user's scope."""
    body = visible_bodies(request.user).filter(pk=pk).first() if isinstance(pk, int) else None
    if body is None:
        _refuse(request, action=_action(request), object_type="registry.body", object_id=pk)
    return body


def get_rw_body_for_user(request, pk) -> Body:
    """Write (edit, withdraw, clear a review flag): 404 outside scope, 403 (logged) for a role that only reads."""
    body = get_body_for_user(request, pk)
    if not can_edit_body(request.user):
        _refuse(request, status=403, action=_action(request), object_type="registry.body", object_id=pk)
    return body


def get_rw_person_for_user(request, pk) -> Person:
    """A person of a body the user may edit (resending the activation link)."""
    person = Person.objects.select_related("body", "user").filter(pk=pk).first() if isinstance(pk, int) else None
    if person is None or not visible_bodies(request.user).filter(pk=person.body_id).exists():
        _refuse(request, action=_action(request), object_type="registry.person", object_id=pk)
    if not can_edit_body(request.user):
        _refuse(request, status=403, action=_action(request), object_type="registry.person", object_id=pk)
    return person


def can_view_people_of(user, body: Body) -> bool:
    """The people of a body (current and former): the roles with people in their scope, and the body's own
    people."""
    if can_view_people(user):
        return True
    person = current_person(user)
    return person is not None and person.body_id == body.pk


def get_own_colleague_for_user(request, pk) -> Person:
    """A person of the business member's own business (ending a colleague); 404 (logged) for anyone else's."""
    body = get_own_business(request)
    person = (
        Person.objects.select_related("body", "user").filter(pk=pk, body=body).first() if isinstance(pk, int) else None
    )
    if person is None:
        _refuse(request, action=_action(request), object_type="registry.person", object_id=pk)
    return person


def get_review_body_for_user(request, pk) -> Body:
    """The 年度替わり answer of a body: its own current people, and the secretariat; 404 (logged) for anyone
    else."""
    person = current_person(request.user)
    own = person is not None and person.body_id == pk
    body = (
        Body.objects.active().filter(pk=pk).first()
        if isinstance(pk, int) and (own or can_edit_body(request.user))
        else None
    )
    if body is None:
        _refuse(request, action=_action(request), object_type="registry.annual_review", object_id=pk)
    return body


def open_review_overview(request) -> None:
    """Which bodies have answered the 年度替わり review: the secretariat's; 403 (logged) for everyone else."""
    if not can_edit_body(request.user):
        _refuse(request, status=403, action=_action(request), object_type="registry.annual_review")


def get_own_business(request) -> Body:
    """The registered business of a business member; any other role is refused (403, logged)."""
    person = current_person(request.user)
    if person is None or person.role not in BUSINESS_ROLES or person.body.kind != Body.Kind.BUSINESS:
        _refuse(request, status=403, action=_action(request), object_type="registry.business")
    return person.body


# --- the roster ------------------------------------------------------------------------------------------------


def require_roster_access(request, *, action: str) -> None:
    """The staff roster's PDF and exports: 403 (logged) for roles without the roster."""
    if not can_view_roster(request.user):
        _refuse(request, status=403, action=action, object_type="registry.roster")


# --- applications ----------------------------------------------------------------------------------------------


def open_application_queue(request) -> None:
    """The secretariat's review queue (applicants' names and contacts): the opening is logged; 403 (logged)
    for everyone else."""
    if not can_review_applications(request.user):
        _refuse(request, status=403, action=Action.LIST, object_type="registry.application")
    access_log(
        request=request,
        action=Action.LIST,
        scope=NETWORK_SIDE,
        object_type="registry.application",
        basis=AccessLog.Basis.ROLE,
    )


def _resolve_application(request, uuid) -> Application:
    # 404 for anyone who may not see applications: existence must not leak.
    application = Application.objects.filter(uuid=uuid).first() if can_review_applications(request.user) else None
    if application is None:
        _refuse(request, action=_action(request), object_type="registry.application", object_id=uuid)
    return application


def _log_application(request, application) -> None:
    access_log(
        request=request,
        action=_action(request),
        scope=NETWORK_SIDE,
        obj=application,
        object_label=application.reference,
        basis=AccessLog.Basis.ROLE,
    )


def get_application_for_user(request, uuid) -> Application:
    """Read an application (the applicant's personal data): logged; 404 (logged) for anyone else."""
    application = _resolve_application(request, uuid)
    _log_application(request, application)
    return application


def get_rw_application_for_user(request, uuid) -> Application:
    """Decide on an application (approve, ask for changes, reject): 403 (logged) for a reviewer who may not decide."""
    application = _resolve_application(request, uuid)
    if not can_decide_applications(request.user):
        _refuse(request, status=403, action=_action(request), object_type="registry.application", object_id=uuid)
    _log_application(request, application)
    return application


# --- abuse limits of the public forms ----------------------------------------------------------------------


def rate_limited(scope: str, *, setting: str, default: tuple[int, int], methods=("POST",)):
    """Refuse more than `limit` requests per `window` seconds from one IP with a Japanese 429 page.

    The limit is read from settings.<setting> = (limit, window) at request time, so tests can tighten it.
    Counters live in the default cache (CACHE_URL).
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                limit, window = getattr(settings, setting, default)
                if _count_hit(scope, client_ip(request) or "unknown", window) > limit:
                    logger.warning("rate limit %s exceeded", scope)
                    response = render(request, "registry/rate_limited.html", status=429)
                    response["Retry-After"] = str(window)
                    return response
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def _count_hit(scope: str, ip: str, window: int) -> int:
    key = f"ratelimit:{scope}:{ip}:{int(time.time() // window)}"
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.set(key, 1, timeout=window)
        return 1
