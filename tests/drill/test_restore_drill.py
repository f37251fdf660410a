"""The restore drill (`make restore-drill`, run by .ci/run after `make test`; README "Backups and the restore drill").

Seeds a small data set in the test database, takes a dump as production would (pg_dump -Fc), restores it
into a fresh database (pg_restore), checks the migrations of the restored database with this code
(`migrate --check`), reads back a case (decrypted with CASE_ENCRYPTION_KEYS), a history row and an
access-log row, compares the row count of every table and that the append-only triggers and the purge
path came back, and drops the scratch database. Not part of the normal suite (marker `restore_drill`).
"""

import os
import subprocess
import sys
import uuid

import psycopg
import pytest
from django.conf import settings
from django.db import connection
from django.test import RequestFactory

from audit.models import AccessLog
from audit.services import access_log
from audit.triggers import append_only_tables
from cases import services
from cases.fields import decrypt
from registry.models import Body
from tests.factories.cases import make_case, make_hub_worker

pytestmark = [pytest.mark.restore_drill, pytest.mark.django_db(transaction=True)]
NAME = "復元 訓練子"


def _server(db) -> dict:
    return {"host": db["HOST"] or "127.0.0.1", "port": str(db["PORT"] or 5432), "user": db["USER"] or "postgres"}


def _env(db) -> dict:
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _counts(conn) -> dict[str, int]:
    tables = [
        row[0]
        for row in conn.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables"
            " WHERE schemaname IN ('public', 'audit_guard') ORDER BY 1"
        ).fetchall()
    ]
    return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}  # noqa: S608


def _seed():
    worker = make_hub_worker()
    case = make_case(lead=worker, name=NAME, address="上尾市本町")
    services.consultation_record(
        case=case, data={"at": case.opened_at, "method": "phone", "content": "電話での相談"}, by=worker.user
    )
    request = RequestFactory().get("/")
    request.user = worker.user
    log = access_log(
        request=request,
        action=AccessLog.Action.VIEW,
        scope=AccessLog.Scope.CASE,
        object_type="cases.case",
        object_id=str(case.uuid),
        object_label=case.number,
    )
    return case, log


def test_a_dump_restores_into_a_fresh_database_that_reads_back(bodies, tmp_path):
    case, log = _seed()
    assert Body.objects.count() >= 26
    db = connection.settings_dict
    server, env = _server(db), _env(db)
    args = ["-h", server["host"], "-p", server["port"], "-U", server["user"]]
    dump = tmp_path / "drill.dump"
    scratch = f"{db['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(["pg_dump", *args, "-Fc", "-f", str(dump), db["NAME"]], check=True, env=env)  # noqa: S603, S607
    assert dump.stat().st_size > 0
    subprocess.run(["createdb", *args, scratch], check=True, env=env)  # noqa: S603, S607
    try:
        subprocess.run(  # noqa: S603, S607
            ["pg_restore", *args, "--exit-on-error", "--no-owner", "-d", scratch, str(dump)], check=True, env=env
        )
        url = f"postgres://{server['user']}@{server['host']}:{server['port']}/{scratch}"
        check = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", "migrate", "--check", "--noinput"],
            cwd=settings.BASE_DIR,
            env={**env, "DATABASE_URL": url},
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, check.stdout + check.stderr
        with (
            psycopg.connect(dbname=db["NAME"], autocommit=True, **server) as source,
            psycopg.connect(dbname=scratch, autocommit=True, **server) as restored,
        ):
            # A case, decrypted with the configured keys; its history row; the access-log row.
            token = restored.execute("SELECT name FROM cases_case WHERE id = %s", [case.pk]).fetchone()[0]
            assert decrypt(token) == NAME
            history = restored.execute(
                "SELECT name, history_change_reason FROM cases_historicalcase WHERE id = %s ORDER BY history_id",
                [case.pk],
            ).fetchone()
            assert decrypt(history[0]) == NAME and history[1] == "ケースを開始"
            row = restored.execute(
                "SELECT object_label, outcome FROM audit_accesslog WHERE id = %s", [log.pk]
            ).fetchone()
            assert row == (case.number, "allowed")
            # Every table, row for row; the append-only triggers and the purge path came back too.
            counts = _counts(restored)
            assert counts == _counts(source)
            assert counts["public.cases_consultation"] == 1
            triggers = {
                r[0]
                for r in restored.execute(
                    "SELECT event_object_table FROM information_schema.triggers WHERE trigger_name LIKE %s",
                    ["%append_only"],
                ).fetchall()
            }
            assert set(append_only_tables()) <= triggers
            assert restored.execute("SELECT to_regproc('audit_purge_history')").fetchone()[0] is not None
            assert "append-only" in _refusal(restored, f"DELETE FROM audit_accesslog WHERE id = {log.pk}")
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", "--force", scratch], check=True, env=env)  # noqa: S603, S607


def _refusal(conn, sql) -> str:
    try:
        conn.execute(sql)
    except psycopg.Error as error:
        return str(error)
    return ""
