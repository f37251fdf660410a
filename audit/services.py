"""Writing the audit trail. Rows are append-only (database triggers refuse UPDATE and DELETE)."""

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404

from audit.models import AccessLog, SignInEvent

logger = logging.getLogger("audit")

# Set on a request once an access-log row was written for it: audit.middleware then marks the response
# `Cache-Control: no-store`, so a page the access helpers served never stays in a shared PC's cache.
LOGGED_ATTR = "access_logged"


def client_ip(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def _actor(request, user, ip):
    if request is not None:
        setattr(request, LOGGED_ATTR, True)
        user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
        ip = client_ip(request)
    person = getattr(user, "person", None) if user else None
    return user, person, ip


def _row(
    *, user, person, ip, action, scope, obj, object_type, object_id, object_label, case_ref, basis, allowed, reason
):
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "uuid", None) or obj.pk)
    return AccessLog(
        user=user,
        person=person,
        body_id=person.body_id if person else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        case_ref=case_ref,
        scope=scope,
        basis=basis,
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED,
        reason=reason,
        ip=ip,
    )


def _log_line(entry: AccessLog) -> None:
    logger.info(
        "access %s %s %s %s#%s basis=%s user=%s",
        entry.outcome,
        entry.scope,
        entry.action,
        entry.object_type,
        entry.object_label or entry.object_id,
        entry.basis,
        entry.user_id or "-",
    )


def access_log(
    *,
    request=None,
    user=None,
    ip: str | None = None,
    action: str,
    scope: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    case_ref: str = "",
    basis: str = AccessLog.Basis.NONE,
    allowed: bool = True,
    reason: str = "",
) -> AccessLog:
    """Record one access. `object_label` is a number (case number, body id), never a name or content.

    `scope` (AccessLog.Scope) is set by the access helper that knows what was asked for: it decides whose
    audit screen shows the row (docs/access.md). Views pass the `request`; a service that records a
    disclosure inside its own transaction passes `user` and `ip` instead."""
    user, person, ip = _actor(request, user, ip)
    entry = _row(
        user=user,
        person=person,
        ip=ip,
        action=action,
        scope=scope,
        obj=obj,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        case_ref=case_ref,
        basis=basis,
        allowed=allowed,
        reason=reason,
    )
    entry.save()
    _log_line(entry)
    return entry


def access_log_many(*, request, scope: str, entries: list[dict]) -> list[AccessLog]:
    """Several allowed rows for one request in one INSERT (e.g. every case a search matched)."""
    user, person, ip = _actor(request, None, None)
    defaults = {"obj": None, "object_type": "", "object_id": "", "object_label": "", "case_ref": "", "reason": ""}
    rows = [
        _row(user=user, person=person, ip=ip, scope=scope, allowed=True, **{**defaults, **entry}) for entry in entries
    ]
    AccessLog.objects.bulk_create(rows)
    for entry in rows:
        _log_line(entry)
    return rows


def refuse(request, *, status: int = 404, **fields):
    """Log a refused attempt (the row the user actually got) and raise: 404 outside scope, 403 for a
    read-only basis or a role that lacks a page. `fields` are access_log's (action, scope, object_type, …)."""
    access_log(request=request, allowed=False, **fields)
    if status == 403:
        raise PermissionDenied
    raise Http404


def signin_event(*, kind: str, request=None, user=None, username: str = "") -> SignInEvent:
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        ip=client_ip(request) if request is not None else None,
    )
