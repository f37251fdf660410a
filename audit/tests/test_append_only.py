"""The audit trail cannot be rewritten: database triggers refuse UPDATE and DELETE, and
the production role (which does not own the tables) cannot TRUNCATE or disable triggers."""

import uuid

import psycopg
import pytest
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory

from audit import triggers
from audit.models import AccessLog
from audit.services import access_log
from registry import services
from registry.models import Body, Person
from tests.factories.registry import make_person


def a_log_row(user=None):
    request = RequestFactory().get("/")
    request.user = user or type("Anon", (), {"is_authenticated": False})()
    return access_log(
        request=request,
        action=AccessLog.Action.VIEW,
        scope=AccessLog.Scope.NETWORK,
        object_type="registry.body",
        object_id="1",
    )


@pytest.mark.django_db
def test_every_history_table_and_the_logs_are_covered():
    tables = triggers.append_only_tables()
    assert "audit_accesslog" in tables and "audit_signinevent" in tables
    assert "registry_historicalbody" in tables and "registry_historicalperson" in tables
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
            ["%append_only"],
        )
        protected = {row[0] for row in cursor.fetchall()}
    assert set(tables) <= protected


@pytest.mark.django_db
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_accesslog SET outcome = 'allowed' WHERE id = %s",
        "DELETE FROM audit_accesslog WHERE id = %s",
    ],
)
def test_raw_sql_cannot_change_the_access_log(statement):
    row = a_log_row()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement, [row.pk])
    assert AccessLog.objects.filter(pk=row.pk, outcome="denied").count() == 0
    assert AccessLog.objects.filter(pk=row.pk).exists()


@pytest.mark.django_db
def test_raw_sql_cannot_rewrite_history(bodies):
    editor = make_person(role=Person.Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    hub = Body.objects.get(code="hub")
    services.body_update(body=hub, by=editor.user, data={"phone": "048-775-0001"})
    history_id = hub.history.latest().history_id
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE registry_historicalbody SET history_user_id = NULL WHERE history_id = %s", [history_id])
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM registry_historicalbody WHERE history_id = %s", [history_id])
    assert hub.history.latest().history_user_id == editor.user.pk


@pytest.mark.django_db
def test_people_cannot_be_deleted_because_history_names_them(bodies):
    editor = make_person(role=Person.Role.SECRETARIAT, body=Body.objects.get(code="dept-jinken-danjo"))
    services.body_update(body=Body.objects.get(code="hub"), by=editor.user, data={"phone": "048-775-0002"})
    with pytest.raises(Exception), transaction.atomic():  # noqa: B017, PT011 - PROTECT or the trigger, either refuses
        editor.user.delete()
    assert Person.objects.filter(pk=editor.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_the_application_role_cannot_truncate_disable_triggers_or_rewrite(bodies):
    """Create the production-style role of the README and prove what it cannot do."""
    role = f"ageo_app_test_{uuid.uuid4().hex[:8]}"
    row = a_log_row()
    db = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS')
        cursor.execute(f'GRANT USAGE ON SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{role}"')
        cursor.execute(f'GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO "{role}"')
    try:
        app = psycopg.connect(
            host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, dbname=db["NAME"], user=role, autocommit=True
        )
        with app:
            # It can do its job: read and append.
            app.execute("SELECT count(*) FROM audit_accesslog")
            app.execute(
                "INSERT INTO audit_accesslog"
                " (at, action, object_type, object_id, object_label, case_ref, scope, basis, outcome, reason)"
                " VALUES (now(), 'view', 'registry.body', '1', '', '', 'network', 'none', 'allowed', '')"
            )
            refused = {
                "update": f"UPDATE audit_accesslog SET reason = 'x' WHERE id = {row.pk}",
                "delete": f"DELETE FROM audit_accesslog WHERE id = {row.pk}",
                "truncate": "TRUNCATE audit_accesslog",
                "disable trigger": "ALTER TABLE audit_accesslog DISABLE TRIGGER ALL",
                "drop trigger": 'DROP TRIGGER "audit_accesslog_append_only" ON audit_accesslog',
                "replication role": "SET session_replication_role = replica",
            }
            for what, sql in refused.items():
                with pytest.raises(psycopg.Error):
                    app.execute(sql)
                    pytest.fail(f"the application role could {what}")
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')
    assert AccessLog.objects.filter(pk=row.pk).exists()
