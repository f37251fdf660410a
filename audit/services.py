"""Writing the audit trail. Rows are append-only (database triggers refuse UPDATE and DELETE)."""

import logging

from audit.models import AccessLog, SignInEvent

logger = logging.getLogger("audit")


def client_ip(request) -> str | None:
    # Behind a proxy, configure it to set REMOTE_ADDR (e.g. gunicorn --forwarded-allow-ips).
    return request.META.get("REMOTE_ADDR") or None


def access_log(
    *,
    request,
    action: str,
    obj=None,
    object_type: str = "",
    object_id: str = "",
    object_label: str = "",
    case_ref: str = "",
    basis: str = AccessLog.Basis.NONE,
    allowed: bool = True,
    reason: str = "",
) -> AccessLog:
    """Record one access. `object_label` is a number (case number, body id), never a name or content."""
    user = request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    person = getattr(user, "person", None) if user else None
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(getattr(obj, "uuid", None) or obj.pk)
    entry = AccessLog.objects.create(
        user=user,
        person=person,
        body_id=person.body_id if person else None,
        action=action,
        object_type=object_type,
        object_id=object_id,
        object_label=object_label,
        case_ref=case_ref,
        basis=basis,
        outcome=AccessLog.Outcome.ALLOWED if allowed else AccessLog.Outcome.DENIED,
        reason=reason,
        ip=client_ip(request),
    )
    logger.info(
        "access %s %s %s#%s basis=%s user=%s",
        entry.outcome,
        action,
        object_type,
        object_label or object_id,
        basis,
        user.pk if user else "-",
    )
    return entry


def signin_event(*, kind: str, request=None, user=None, username: str = "") -> SignInEvent:
    return SignInEvent.objects.create(
        kind=kind,
        user=user,
        username=username[:150],
        ip=client_ip(request) if request is not None else None,
    )
