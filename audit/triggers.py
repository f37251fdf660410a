"""Append-only tables on PostgreSQL, and the one controlled path that may remove or re-encrypt their rows.

A trigger refuses UPDATE and DELETE on the access log, sign-in events, the tombstones, the facts
kept of purged cases and every history table, for every role, the table owner included.
TRUNCATE and ALTER TABLE ... DISABLE TRIGGER are kept from the application by running it as a
role that does not own the tables (README).

The controlled path (issue 13: retention and key retirement). Three SECURITY DEFINER functions,
created by the role that runs `migrate` (the schema owner) and so running as that owner:

- `audit_purge_history(history_table, object_ids)` deletes the history rows of objects whose live
  row is already gone (it refuses while any of them still exists), so the history of a living
  record can never be erased through it;
- `audit_purge_log(log_table, before)` deletes access-log or sign-in rows older than `before`, and
  refuses a `before` later than now minus the retention horizon written into the database at
  `migrate` (`AUDIT_LOG_RETENTION_YEARS`): the application cannot shorten it by itself;
- `audit_rewrite_history(history_table, history_id, columns, tokens)` replaces encrypted columns of
  one history row (key rotation), only columns listed as encrypted, only with Fernet tokens.

Each function sets the transaction-local setting `audit_guard.path` to `<table>:<operation>`, runs
its one statement, and clears it. The trigger lets a row through only when that setting names the
table and the operation AND the current user is the table's owner. Inside a SECURITY DEFINER
function the current user is the owner; anywhere else the application role is itself, so setting
`audit_guard.path` by hand (which any role may do with SET) achieves nothing, and a plain DELETE
or UPDATE is refused as before. Every use of the path leaves a row in `audit_guard.path_log`; the
schema `audit_guard` (the table map, the encrypted-column list, the path log) is not granted to the
application role at all. `audit/tests/test_purge_path.py` proves all of this with a non-owner role.
"""

from django.apps import apps
from django.conf import settings
from django.db import connections

GUARD_SCHEMA_SQL = """
CREATE SCHEMA IF NOT EXISTS audit_guard;
REVOKE ALL ON SCHEMA audit_guard FROM PUBLIC;
CREATE TABLE IF NOT EXISTS audit_guard.history_table (
    history_table text PRIMARY KEY,
    live_table text NOT NULL,
    object_column text NOT NULL,
    live_pk text NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_guard.encrypted_column (
    history_table text NOT NULL,
    column_name text NOT NULL,
    PRIMARY KEY (history_table, column_name)
);
CREATE TABLE IF NOT EXISTS audit_guard.log_table (
    table_name text PRIMARY KEY,
    time_column text NOT NULL,
    keep interval NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_guard.path_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    operation text NOT NULL,
    table_name text NOT NULL,
    row_count integer NOT NULL,
    session_role text NOT NULL DEFAULT session_user
);
"""

FUNCTION_SQL = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$
DECLARE
    owner name;
BEGIN
    IF current_setting('audit_guard.path', true) = TG_TABLE_NAME || ':' || TG_OP THEN
        SELECT pg_get_userbyid(relowner) INTO owner FROM pg_class WHERE oid = TG_RELID;
        IF current_user = owner THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION 'append-only table %: % is not allowed', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
"""

PATH_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION audit_purge_history(p_table text, p_ids text[]) RETURNS integer
SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    m audit_guard.history_table%ROWTYPE;
    id_type text;
    alive integer;
    n integer;
BEGIN
    SELECT * INTO m FROM audit_guard.history_table WHERE history_table = p_table;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit_purge_history: % is not a history table', p_table USING ERRCODE = 'insufficient_privilege';
    END IF;
    SELECT format_type(atttypid, atttypmod) INTO id_type FROM pg_attribute
        WHERE attrelid = m.live_table::regclass AND attname = m.live_pk;
    EXECUTE format('SELECT count(*) FROM %I WHERE %I = ANY($1::%s[])', m.live_table, m.live_pk, id_type)
        INTO alive USING p_ids;
    IF alive > 0 THEN
        RAISE EXCEPTION 'audit_purge_history: % live row(s) of % still exist', alive, m.live_table
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('audit_guard.path', p_table || ':DELETE', true);
    EXECUTE format('DELETE FROM %I WHERE %I = ANY($1::%s[])', p_table, m.object_column, id_type) USING p_ids;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('audit_guard.path', '', true);
    INSERT INTO audit_guard.path_log (operation, table_name, row_count) VALUES ('purge_history', p_table, n);
    RETURN n;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_purge_log(p_table text, p_before timestamptz) RETURNS integer
SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    m audit_guard.log_table%ROWTYPE;
    n integer;
BEGIN
    SELECT * INTO m FROM audit_guard.log_table WHERE table_name = p_table;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'audit_purge_log: % is not a log table', p_table USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF p_before > now() - m.keep THEN
        RAISE EXCEPTION 'audit_purge_log: % rows are kept for %', p_table, m.keep USING ERRCODE = 'insufficient_privilege';
    END IF;
    PERFORM set_config('audit_guard.path', p_table || ':DELETE', true);
    EXECUTE format('DELETE FROM %I WHERE %I < $1', p_table, m.time_column) USING p_before;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('audit_guard.path', '', true);
    INSERT INTO audit_guard.path_log (operation, table_name, row_count) VALUES ('purge_log', p_table, n);
    RETURN n;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION audit_rewrite_history(p_table text, p_history_id bigint, p_columns text[], p_tokens text[])
RETURNS integer
SECURITY DEFINER SET search_path = pg_catalog, public, pg_temp AS $$
DECLARE
    assignments text := '';
    i integer;
    n integer;
BEGIN
    IF p_columns IS NULL OR cardinality(p_columns) = 0 OR cardinality(p_columns) <> cardinality(p_tokens) THEN
        RAISE EXCEPTION 'audit_rewrite_history: columns and tokens do not match' USING ERRCODE = 'insufficient_privilege';
    END IF;
    FOR i IN 1 .. cardinality(p_columns) LOOP
        IF NOT EXISTS (SELECT 1 FROM audit_guard.encrypted_column
                       WHERE history_table = p_table AND column_name = p_columns[i]) THEN
            RAISE EXCEPTION 'audit_rewrite_history: %.% is not an encrypted column', p_table, p_columns[i]
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        IF p_tokens[i] !~ '^gAAAAA[A-Za-z0-9_=-]+$' THEN
            RAISE EXCEPTION 'audit_rewrite_history: only a Fernet token may replace a Fernet token'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        assignments := assignments || CASE WHEN i > 1 THEN ', ' ELSE '' END
            || format('%I = CASE WHEN %I IS NULL OR %I = %L THEN %I ELSE $1[%s] END',
                      p_columns[i], p_columns[i], p_columns[i], '', p_columns[i], i);
    END LOOP;
    PERFORM set_config('audit_guard.path', p_table || ':UPDATE', true);
    EXECUTE format('UPDATE %I SET %s WHERE history_id = $2', p_table, assignments) USING p_tokens, p_history_id;
    GET DIAGNOSTICS n = ROW_COUNT;
    PERFORM set_config('audit_guard.path', '', true);
    INSERT INTO audit_guard.path_log (operation, table_name, row_count) VALUES ('rewrite_history', p_table, n);
    RETURN n;
END;
$$ LANGUAGE plpgsql;

"""

TRIGGER_SQL = """
CREATE OR REPLACE TRIGGER {name} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();
"""


def history_models() -> list[tuple[type, type]]:
    """(live model, history model) for every model with django-simple-history."""
    pairs = []
    for model in apps.get_models():
        history = getattr(model, "history", None)
        history_model = getattr(history, "model", None)
        if history_model is not None and history_model is not model:
            pairs.append((model, history_model))
    return pairs


def append_only_tables() -> list[str]:
    from audit.models import AccessLog, SignInEvent

    tables = [AccessLog._meta.db_table, SignInEvent._meta.db_table]
    # Models that declare themselves write-once (the tombstones, the facts kept of purged cases).
    tables += [m._meta.db_table for m in apps.get_models() if getattr(m, "append_only", False)]
    tables += [history_model._meta.db_table for _model, history_model in history_models()]
    return sorted(set(tables))


def _encrypted_columns(history_model) -> list[str]:
    # By class name so that this module needs no import of the cases app.
    return [
        f.column
        for f in history_model._meta.concrete_fields
        if any(cls.__name__ == "EncryptedTextField" for cls in type(f).__mro__)
    ]


def _fill_guard_tables(cursor, existing: set[str]) -> None:
    from audit.models import AccessLog, SignInEvent

    cursor.execute("TRUNCATE audit_guard.history_table, audit_guard.encrypted_column, audit_guard.log_table")
    for model, history_model in history_models():
        table = history_model._meta.db_table
        if table not in existing:
            continue
        pk = model._meta.pk
        cursor.execute(
            "INSERT INTO audit_guard.history_table VALUES (%s, %s, %s, %s)",
            [table, model._meta.db_table, history_model._meta.get_field(pk.name).column, pk.column],
        )
        for column in _encrypted_columns(history_model):
            cursor.execute("INSERT INTO audit_guard.encrypted_column VALUES (%s, %s)", [table, column])
    keep = f"{settings.AUDIT_LOG_RETENTION_YEARS} years"
    for model in (AccessLog, SignInEvent):
        cursor.execute(
            "INSERT INTO audit_guard.log_table VALUES (%s, 'at', %s::interval)", [model._meta.db_table, keep]
        )


def install(using: str = "default") -> list[str]:
    """Create the guard schema, the functions and one trigger per append-only table; idempotent."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        return []
    tables = append_only_tables()
    existing = set(connection.introspection.table_names())
    installed = []
    with connection.cursor() as cursor:
        cursor.execute(GUARD_SCHEMA_SQL)
        cursor.execute(FUNCTION_SQL)
        cursor.execute(PATH_FUNCTIONS_SQL)
        _fill_guard_tables(cursor, existing)
        for table in tables:
            if table not in existing:
                continue
            name = connection.ops.quote_name(f"{table}_append_only")
            cursor.execute(TRIGGER_SQL.format(name=name, table=connection.ops.quote_name(table)))
            installed.append(table)
    return installed
