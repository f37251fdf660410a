"""Who may open which report; every reports view goes through here (docs/access.md). A report is aggregate,
but it is still data about the network and the women it supports: opening one and every export is a row of
the access log, on the network side."""

from audit.models import AccessLog
from audit.services import access_log, refuse
from registry.roles import NETWORK_REPORT_ROLES, SUPERVISOR_ROLES, has_role

Action = AccessLog.Action


def log_fields(fiscal_year: int) -> dict:
    """The access-log fields of the network report of `fiscal_year` (a view, an xlsx, a queued PDF)."""
    return {
        "scope": AccessLog.Scope.NETWORK,
        "object_type": "reports.network",
        "object_id": str(fiscal_year),
        "basis": AccessLog.Basis.ROLE,
        "reason": "ネットワークの活動報告",
    }


def case_log_fields(fiscal_year: int) -> dict:
    """The same for the hub's figures: on the case side, where the supervisor audits."""
    return {
        "scope": AccessLog.Scope.CASE,
        "object_type": "reports.cases",
        "object_id": str(fiscal_year),
        "basis": AccessLog.Basis.SUPERVISION,
        "reason": "ケースの統計",
    }


def _require(request, roles, fields: dict, action: str) -> None:
    """Anyone outside `roles` gets 403 with a denied row; a screen (VIEW) writes its allowed row here, a file's
    allowed row is written by whoever hands the file out (download_response, or the PDF request)."""
    if not has_role(request.user, roles):
        refuse(request, status=403, action=action, **{**fields, "basis": AccessLog.Basis.NONE})
    if action == Action.VIEW:
        access_log(request=request, action=action, **fields)


def require_network_report(request, *, action: str = Action.VIEW, fiscal_year: int) -> None:
    """The network report: the secretariat and the hub supervisor."""
    _require(request, NETWORK_REPORT_ROLES, log_fields(fiscal_year), action)


def require_case_report(request, *, action: str = Action.VIEW, fiscal_year: int) -> None:
    """The hub's figures: the hub supervisor only (aggregate, but about women at risk)."""
    _require(request, SUPERVISOR_ROLES, case_log_fields(fiscal_year), action)


def nav_items(user) -> list[tuple[str, str]]:
    if has_role(user, SUPERVISOR_ROLES):
        return [("reports:case_report", "統計")]
    if has_role(user, NETWORK_REPORT_ROLES):
        return [("reports:network_report", "報告")]
    return []
