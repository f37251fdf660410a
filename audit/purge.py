"""The Python side of the one controlled path through the append-only triggers (see audit/triggers.py).

Nothing else in the project deletes or rewrites a history, access-log or sign-in row. On PostgreSQL
these call the SECURITY DEFINER functions; on the embedded SQLite demo (no triggers) they run the
same statement directly.
"""

import datetime

from django.db import connection

from audit.models import Tombstone


def purge_history(history_model, object_ids) -> int:
    """Delete every history row of the given objects, whose live rows must already be deleted."""
    ids = [str(i) for i in object_ids]
    if not ids:
        return 0
    table = history_model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT audit_purge_history(%s, %s)", [table, ids])
            return cursor.fetchone()[0]
        pk = history_model.instance_type._meta.pk.name
        column = connection.ops.quote_name(history_model._meta.get_field(pk).column)
        placeholders = ", ".join(["%s"] * len(ids))
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)} WHERE {column} IN ({placeholders})", ids)  # noqa: S608
        return cursor.rowcount


def purge_log(model, before: datetime.datetime) -> int:
    """Delete the access-log or sign-in rows older than `before` (refused inside the retention horizon)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT audit_purge_log(%s, %s)", [table, before])
            return cursor.fetchone()[0]
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)} WHERE at < %s", [before])  # noqa: S608
        return cursor.rowcount


def rewrite_history(history_model, history_id: int, tokens: dict[str, str]) -> int:
    """Replace encrypted columns of one history row with new ciphertext of the same content (key rotation)."""
    table = history_model._meta.db_table
    columns, values = list(tokens), list(tokens.values())
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT audit_rewrite_history(%s, %s, %s, %s)", [table, history_id, columns, values])
            return cursor.fetchone()[0]
        quote = connection.ops.quote_name
        assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
        cursor.execute(f"UPDATE {quote(table)} SET {assignments} WHERE history_id = %s", [*values, history_id])  # noqa: S608
        return cursor.rowcount


def tombstone(*, kind: str, identifier: str, rule: str, count: int = 1, at=None) -> Tombstone:
    """The record of one purge: kind, number, rule, count. Never content (the caller passes numbers only)."""
    row = Tombstone(kind=kind, identifier=identifier, rule=rule, count=count)
    if at is not None:
        row.purged_at = at
    row.full_clean()
    row.save()
    return row
