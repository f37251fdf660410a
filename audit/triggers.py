"""Append-only tables on PostgreSQL: the access log, sign-in events and every history table.

A trigger refuses UPDATE and DELETE on these tables for every role, the table
owner included. TRUNCATE and ALTER TABLE ... DISABLE TRIGGER are kept from the
application by running it as a role that does not own the tables (README).
"""

from django.apps import apps
from django.db import connections

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'append-only table %: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

TRIGGER_SQL = """
CREATE OR REPLACE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""


def append_only_tables() -> list[str]:
    from audit.models import AccessLog, SignInEvent

    tables = [AccessLog._meta.db_table, SignInEvent._meta.db_table]
    for model in apps.get_models():
        history = getattr(model, "history", None)
        history_model = getattr(history, "model", None)
        if history_model is not None and history_model is not model:
            tables.append(history_model._meta.db_table)
    return sorted(set(tables))


def install(using: str = "default") -> list[str]:
    """Create the function and one trigger per append-only table; idempotent."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = append_only_tables()
    existing = set(connection.introspection.table_names())
    installed = []
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION_SQL)
        for table in tables:
            if table not in existing:
                continue
            name = connection.ops.quote_name(f"{table}_append_only")
            cursor.execute(TRIGGER_SQL.format(name=name, table=connection.ops.quote_name(table)))
            installed.append(table)
    return installed
