"""The access log as a CSV for Excel."""

from django.utils import timezone

from ageo_network.documents import CSV, Document
from ageo_network.spreadsheets import csv_bytes

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
    rows = (
        [
            timezone.localtime(log.at).strftime("%Y-%m-%d %H:%M:%S"),
            log.user.get_username() if log.user else "",
            log.person.name if log.person else "",
            log.body.name if log.body else "",
            log.get_action_display(),
            log.object_type,
            log.object_id,
            log.object_label,
            log.get_basis_display(),
            log.get_outcome_display(),
            log.reason,
            log.ip or "",
        ]
        for log in logs.iterator(chunk_size=2000)
    )
    return Document(f"access-log-{today:%Y%m%d}.csv", CSV, csv_bytes(ACCESS_LOG_HEADER, rows))
