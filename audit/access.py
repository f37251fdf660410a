"""Who may open the audit screens, and which rows each one shows.

The hub supervisor audits the case side; the secretariat audits everything else (registry, meetings,
outreach). Neither sees the other's rows: each access-log row names its scope (AccessLog.Scope),
set by the access helper that wrote it.
"""

from audit.models import AccessLog, SignInEvent
from audit.services import access_log, refuse
from registry.roles import CASE_AUDITOR_ROLES, NETWORK_AUDITOR_ROLES, has_role

Scope = AccessLog.Scope
CASE_APPS = {"cases"}


def audit_scopes(user) -> set[str]:
    scopes = set()
    if has_role(user, CASE_AUDITOR_ROLES):
        scopes.add(Scope.CASE)
    if has_role(user, NETWORK_AUDITOR_ROLES):
        scopes.add(Scope.NETWORK)
    return scopes


def viewer_scope(scopes: set[str]) -> str:
    """The scope of the row an audit screen writes about its own opening: a case auditor's filters may
    name a case number, so their openings stay on the case side."""
    return Scope.CASE if Scope.CASE in scopes else Scope.NETWORK


def open_audit_screen(request, object_type: str) -> set[str]:
    """The viewer's audit scopes, with the opening logged; a role without an audit screen gets 403, logged."""
    scopes = audit_scopes(request.user)
    if not scopes:
        refuse(request, status=403, action=AccessLog.Action.AUDIT, scope=Scope.NETWORK, object_type=object_type)
    access_log(
        request=request,
        action=AccessLog.Action.AUDIT,
        scope=viewer_scope(scopes),
        object_type=object_type,
        object_id=request.GET.urlencode()[:64],
        basis=AccessLog.Basis.ROLE,
    )
    return scopes


def access_logs_visible_to(user):
    scopes = audit_scopes(user)
    logs = AccessLog.objects.select_related("user", "person", "body")
    if not scopes:
        return logs.none()
    return logs.filter(scope__in=scopes)


def signin_events_visible_to(user):
    if audit_scopes(user):
        return SignInEvent.objects.select_related("user")
    return SignInEvent.objects.none()


def history_model_of(model):
    """The historical model of a tracked `model`, else None. Read from the class: `model.history` builds a
    new manager class on every access (django-simple-history), which the change list did hundreds of times."""
    descriptor = model.__dict__.get(getattr(model._meta, "simple_history_manager_attribute", None) or "history")
    return getattr(descriptor, "model", None)


def tracked_models_for(user) -> list:
    """The history-tracked models whose change records this user may audit."""
    from django.apps import apps

    scopes = audit_scopes(user)
    models = []
    for model in apps.get_models():
        if history_model_of(model) is None:
            continue
        is_case = model._meta.app_label in CASE_APPS
        if (Scope.CASE in scopes and is_case) or (Scope.NETWORK in scopes and not is_case):
            models.append(model)
    return sorted(models, key=lambda m: m._meta.label)


def get_download_for_user(request, uuid):
    """The requester's own prepared file, ready and not expired, with the download logged; 404 (logged) for
    anyone else's, an unknown id, a file still being made or one past its time."""
    from django.utils import timezone

    from audit.models import PreparedDownload

    download = PreparedDownload.objects.filter(uuid=uuid).first()
    scope = download.scope if download is not None else Scope.NETWORK
    fields = {"action": AccessLog.Action.EXPORT, "object_type": "audit.download", "object_id": str(uuid)[:64]}
    if (
        download is None
        or download.user_id != request.user.pk
        or not download.is_ready
        or download.expires_at <= timezone.now()
    ):
        refuse(request, scope=scope, **fields)
    access_log(
        request=request,
        scope=scope,
        object_label=download.object_label,
        case_ref=download.case_ref,
        basis=AccessLog.Basis.ROLE,
        **{**fields, "object_type": f"{download.kind}.download"},
    )
    return download
