"""Who may open which report; every reports view goes through here (docs/access.md). A report is aggregate,
but it is still data about the network and the women it supports: opening one and every export is a row of
the access log, on the network side."""

from audit.models import AccessLog
from audit.services import access_log, refuse
from registry.roles import NETWORK_REPORT_ROLES, SUPERVISOR_ROLES, has_role

Action = AccessLog.Action


def require_network_report(request, *, action: str = Action.VIEW, fiscal_year: int) -> None:
    """The network report: the secretariat and the hub supervisor; anyone else 403 (logged). The allowed row
    names the 年度 (the download helper writes its own row for a file, so pass log=False there)."""
    fields = {"scope": AccessLog.Scope.NETWORK, "object_type": "reports.network", "object_id": str(fiscal_year)}
    if not has_role(request.user, NETWORK_REPORT_ROLES):
        refuse(request, status=403, action=action, **fields)
    if action == Action.VIEW:
        access_log(
            request=request, action=action, basis=AccessLog.Basis.ROLE, reason="ネットワークの活動報告", **fields
        )


def log_fields(fiscal_year: int) -> dict:
    return {
        "scope": AccessLog.Scope.NETWORK,
        "object_type": "reports.network",
        "object_id": str(fiscal_year),
        "basis": AccessLog.Basis.ROLE,
        "reason": "ネットワークの活動報告",
    }


def require_case_report(request, *, action: str = Action.VIEW, fiscal_year: int) -> None:
    """The hub's figures: the hub supervisor only; anyone else 403. Logged on the case side, where the supervisor
    audits: aggregate, but about women at risk."""
    fields = case_log_fields(fiscal_year)
    if not has_role(request.user, SUPERVISOR_ROLES):
        fields.pop("basis")
        refuse(request, status=403, action=action, **fields)
    if action == Action.VIEW:
        access_log(request=request, action=action, **fields)


def case_log_fields(fiscal_year: int) -> dict:
    return {
        "scope": AccessLog.Scope.CASE,
        "object_type": "reports.cases",
        "object_id": str(fiscal_year),
        "basis": AccessLog.Basis.SUPERVISION,
        "reason": "ケースの統計",
    }


def nav_items(user) -> list[tuple[str, str]]:
    if has_role(user, SUPERVISOR_ROLES):
        return [("reports:case_report", "統計")]
    if has_role(user, NETWORK_REPORT_ROLES):
        return [("reports:network_report", "報告")]
    return []
