"""The access log as a CSV for Excel."""

from django.http import QueryDict
from django.utils import timezone

from ageo_network.documents import CSV, Document
from ageo_network.spreadsheets import csv_bytes, write_csv
from audit.exports import register_export
from audit.models import AccessLog

ACCESS_LOG_HEADER = [
    "日時",
    "ユーザー名",
    "担当者",
    "所属機関",
    "操作",
    "対象の種類",
    "対象ID",
    "対象（番号）",
    "根拠",
    "結果",
    "理由",
    "IPアドレス",
]


def access_log_csv_document(logs, *, today) -> Document:
    """`logs` is an AccessLog queryset with user, person and body selected; read in chunks."""
    return Document(access_log_filename(today), CSV, csv_bytes(ACCESS_LOG_HEADER, access_log_rows(logs)))


def access_log_filename(today) -> str:
    return f"access-log-{today:%Y%m%d}.csv"


def write_access_log_csv(logs, out) -> None:
    """The same CSV streamed to `out` (the worker's export): a server-side cursor, a few thousand rows at a time."""
    write_csv(out, ACCESS_LOG_HEADER, access_log_rows(logs))


def access_log_rows(logs):
    """Plain tuples from a server-side cursor (no model instances: a full export is millions of rows)."""
    actions = dict(AccessLog.Action.choices)
    bases = dict(AccessLog.Basis.choices)
    outcomes = dict(AccessLog.Outcome.choices)
    columns = ("at", "user__username", "person__name", "body__name", "action", "object_type", "object_id")
    columns += ("object_label", "basis", "outcome", "reason", "ip")
    for at, username, person, body, action, otype, oid, label, basis, outcome, reason, ip in logs.values_list(
        *columns
    ).iterator(chunk_size=2000):
        yield [
            timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S"),
            username or "",
            person or "",
            body or "",
            actions.get(action, action),
            otype,
            oid,
            label,
            bases.get(basis, basis),
            outcomes.get(outcome, outcome),
            reason,
            ip or "",
        ]


ACCESS_LOG_CSV = "audit.accesslog.csv"


def access_log_csv_export(download, out) -> tuple[str, str]:
    """The prepared-download builder of the audit CSV: the filters the auditor had on screen, re-checked
    against what the requester may audit when the worker runs it."""
    from audit.selectors import filtered_access_logs

    _, logs = filtered_access_logs(download.user, QueryDict(download.params.get("query", "")))
    write_access_log_csv(logs, out)
    return access_log_filename(timezone.localdate()), CSV


register_export(ACCESS_LOG_CSV, access_log_csv_export)
