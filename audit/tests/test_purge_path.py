"""The one controlled path through the append-only triggers (audit/triggers.py), proved with a production-style
role that neither owns the tables nor is a superuser: it can purge only through the SECURITY DEFINER
functions and only what they allow; every other way to delete or rewrite an audit row is refused."""

import uuid

import psycopg
import pytest
from cryptography.fernet import Fernet
from django.db import connection

from audit.models import AccessLog, Tombstone
from audit.purge import tombstone
from audit.tests.test_append_only import a_log_row
from registry import services
from registry.models import Body, Person
from tests.factories.registry import make_body, make_person


@pytest.fixture
def app_role(bodies):
    """A role made as the README makes `ageo_app`, and a connection as it."""
    role = f"ageo_app_test_{uuid.uuid4().hex[:8]}"
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    app = psycopg.connect(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, dbname=db["NAME"], user=role, autocommit=True
    )
    try:
        yield app
    finally:
        app.close()
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')


# Refused for the right reason (a typo in a statement would also raise).
REFUSALS = r"append-only|permission denied|must be owner|audit_purge_history:|audit_purge_log:|audit_rewrite_history:"


def _refused(app, sql, params=None):
    with pytest.raises(psycopg.Error, match=REFUSALS):
        app.execute(sql, params)
        pytest.fail(f"the application role could run: {sql}")


def _history_of_a_body():
    editor = make_person(role=Person.Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    body = make_body()
    services.body_update(body=body, by=editor.user, data={"phone": "048-775-0009"})
    return body, list(body.history.values_list("history_id", flat=True))


@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_remove_or_rewrite_audit_rows_outside_the_path(app_role):
    app = app_role
    row = a_log_row()
    body, history_ids = _history_of_a_body()
    mark = tombstone(kind=Tombstone.Kind.CASE, identifier="R2-0001", rule="終結年度末から5年")
    token = Fernet(Fernet.generate_key()).encrypt(b"x").decode()
    refused = [
        # Plain statements, with and without the path's setting set by hand.
        f"DELETE FROM registry_historicalbody WHERE history_id = {history_ids[0]}",
        f"UPDATE registry_historicalbody SET name = 'x' WHERE history_id = {history_ids[0]}",
        f"DELETE FROM audit_accesslog WHERE id = {row.pk}",
        f"DELETE FROM audit_tombstone WHERE id = {mark.pk}",
        f"UPDATE audit_tombstone SET identifier = 'x' WHERE id = {mark.pk}",
        "SET audit_guard.path = 'audit_accesslog:DELETE'; " + f"DELETE FROM audit_accesslog WHERE id = {row.pk}",
        "SELECT set_config('audit_guard.path', 'registry_historicalbody:DELETE', false); "
        + f"DELETE FROM registry_historicalbody WHERE history_id = {history_ids[0]}",
        # The functions, outside what they allow: the history of a living record, logs inside the horizon,
        # a table that is not a history table, a column that is not encrypted, a value that is not a token.
        f"SELECT audit_purge_history('registry_historicalbody', ARRAY['{body.pk}'])",
        "SELECT audit_purge_history('audit_accesslog', ARRAY['1'])",
        "SELECT audit_purge_log('audit_accesslog', now())",
        "SELECT audit_purge_log('audit_accesslog', now() - interval '4 years')",
        "SELECT audit_purge_log('registry_historicalbody', now() - interval '50 years')",
        f"SELECT audit_rewrite_history('registry_historicalbody', {history_ids[0]}, ARRAY['name'], ARRAY['{token}'])",
        "SELECT audit_rewrite_history('cases_historicalcase', 1, ARRAY['name'], ARRAY['plain text'])",
        # The guard's own tables are not the application's.
        "SELECT * FROM audit_guard.log_table",
        "UPDATE audit_guard.log_table SET keep = interval '1 day'",
        "DELETE FROM audit_guard.path_log",
        "TRUNCATE audit_tombstone",
        # Replacing the trigger function or the path is the owner's alone.
        "CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger AS $$ BEGIN RETURN OLD; END; $$ "
        "LANGUAGE plpgsql",
        "CREATE OR REPLACE FUNCTION audit_purge_log(p_table text, p_before timestamptz) RETURNS integer "
        "AS $$ BEGIN RETURN 0; END; $$ LANGUAGE plpgsql",
    ]
    for sql in refused:
        _refused(app, sql)
    assert AccessLog.objects.filter(pk=row.pk).exists()
    assert body.history.count() == len(history_ids)
    assert Tombstone.objects.filter(pk=mark.pk, identifier="R2-0001").exists()


@pytest.mark.django_db(transaction=True)
def test_through_the_path_the_application_role_purges_what_is_due_and_it_is_recorded(app_role):
    app = app_role
    body, history_ids = _history_of_a_body()
    # The live row goes first (an ordinary table), then its history through the path.
    app.execute("DELETE FROM registry_body WHERE id = %s", [body.pk])
    purged = app.execute("SELECT audit_purge_history('registry_historicalbody', %s)", [[str(body.pk)]]).fetchone()[0]
    assert purged == len(history_ids)
    assert not Body.history.filter(id=body.pk).exists()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_accesslog"
            " (at, action, object_type, object_id, object_label, case_ref, scope, basis, outcome, reason)"
            " VALUES (now() - interval '6 years', 'view', 'x', '1', '', '', 'network', 'none', 'allowed', '')"
        )
    kept = a_log_row()
    assert app.execute("SELECT audit_purge_log('audit_accesslog', now() - interval '5 years')").fetchone()[0] == 1
    assert list(AccessLog.objects.values_list("pk", flat=True)) == [kept.pk]
    # The path left its own record, which the application role cannot read or remove.
    with connection.cursor() as cursor:
        cursor.execute("SELECT operation, table_name, row_count, session_role FROM audit_guard.path_log ORDER BY id")
        log = cursor.fetchall()
    role = app.info.user
    assert ("purge_history", "registry_historicalbody", len(history_ids), role) in log
    assert ("purge_log", "audit_accesslog", 1, role) in log
    # And the setting the path used is cleared again: a DELETE right after it is refused.
    _refused(app, f"DELETE FROM audit_accesslog WHERE id = {kept.pk}")
