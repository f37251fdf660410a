"""Who may open the audit screens, and which rows each one shows.

The hub supervisor audits case records; the secretariat audits everything
else (registry, meetings, outreach). Neither sees the other's rows.
"""

from django.core.exceptions import PermissionDenied

from audit.models import AccessLog, SignInEvent

CASE_APPS = {"cases"}


def audit_scopes(user) -> set[str]:
    scopes = set()
    if user.has_perm("audit.view_case_audit"):
        scopes.add("case")
    if user.has_perm("audit.view_registry_audit"):
        scopes.add("registry")
    return scopes


def require_audit_scope(user) -> set[str]:
    scopes = audit_scopes(user)
    if not scopes:
        raise PermissionDenied
    return scopes


def access_logs_visible_to(user):
    scopes = audit_scopes(user)
    logs = AccessLog.objects.select_related("user", "person", "body")
    if scopes == {"case", "registry"}:
        return logs
    if scopes == {"case"}:
        return logs.exclude(case_ref="")
    if scopes == {"registry"}:
        # Audit-screen openings by case supervisors are case-side rows too.
        return logs.filter(case_ref="")
    return logs.none()


def signin_events_visible_to(user):
    if audit_scopes(user):
        return SignInEvent.objects.select_related("user")
    return SignInEvent.objects.none()


def tracked_models_for(user) -> list:
    """The history-tracked models whose change records this user may audit."""
    from django.apps import apps

    scopes = audit_scopes(user)
    models = []
    for model in apps.get_models():
        history = getattr(model, "history", None)
        if getattr(history, "model", None) is None or history.model is model:
            continue
        is_case = model._meta.app_label in CASE_APPS
        if ("case" in scopes and is_case) or ("registry" in scopes and not is_case):
            models.append(model)
    return sorted(models, key=lambda m: m._meta.label)
