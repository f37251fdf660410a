"""The real worker (`manage.py db_worker`, a separate process) against a real SMTP server on localhost.

The page only stores queue rows; a dead or hanging mail server never slows it, loses a message or
makes it fail, and once the server is back every address gets its message exactly once.
"""

import os
import socket
import subprocess
import sys
import time
from urllib.parse import quote

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from registry.models import Body, Person
from registry.tests.conftest import valid_signup_data
from tests.factories.registry import make_person, make_user

SIGNUP = "/registry/signup/"
APPLICANT = "hanako@example.jp"
SECRETARIAT = ["jimukyoku1@city.example.jp", "jimukyoku2@city.example.jp", "jimukyoku3@city.example.jp"]


def worker_database_url() -> str:
    """DATABASE_URL of the test database, for a process that does not go through pytest-django."""
    db = connection.settings_dict
    auth = quote(db["USER"] or "", safe="") + (":" + quote(db["PASSWORD"], safe="") if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{quote(db['NAME'])}"


def run_worker(smtp_server) -> str:
    """Run every task that is due, in a worker process of its own, then exit; its output."""
    env = {
        **os.environ,
        "DATABASE_URL": worker_database_url(),
        "TASKS_BACKEND": "database",
        **smtp_server.environment(),
    }
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--queue-name=*",
            "--no-startup-delay",
            "--no-reload",
            "--worker-id=test-worker",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def secretariat_staff():
    office = Body.objects.get(code="dept-jinken-danjo")
    for address in SECRETARIAT:
        make_person(role=Person.Role.SECRETARIAT, body=office, user=make_user(email=address))


@pytest.mark.django_db(transaction=True)
def test_a_dead_mail_server_never_slows_a_page_or_loses_a_message(client, bodies, task_queue, smtp_server):
    secretariat_staff()
    smtp_server.stop()

    started = time.monotonic()
    response = client.post(SIGNUP, valid_signup_data())
    assert response.status_code == 302 and response["Location"] == reverse("registry:signup_done")
    assert time.monotonic() - started < 5
    queued = DBTaskResult.objects.filter(status="READY", queue_name="mail")
    assert sorted(row.args_kwargs["kwargs"]["to"] for row in queued) == sorted([APPLICANT, *SECRETARIAT])

    # The worker tries while the server is down: every attempt fails and queues the next one, later.
    output = run_worker(smtp_server)
    assert smtp_server.received == []
    failed = DBTaskResult.objects.filter(status="FAILED")
    assert failed.count() == 4
    assert set(failed.values_list("exception_class_path", flat=True)) == {"ageo_network.tasks.MailDeferred"}
    retries = DBTaskResult.objects.filter(status="READY")
    assert retries.count() == 4 and all(row.run_after > timezone.now() for row in retries)
    assert all(row.args_kwargs["kwargs"]["attempt"] == 2 for row in retries)
    for address in [APPLICANT, *SECRETARIAT]:
        assert address not in output
        assert not DBTaskResult.objects.filter(traceback__contains=address).exists()

    # The server is back and the retry is due: every address gets its message, once.
    smtp_server.start()
    retries.update(run_after=timezone.now())
    output = run_worker(smtp_server)
    received = sorted(smtp_server.received, key=lambda r: r.rcpt_tos)
    assert [r.rcpt_tos for r in received] == [[address] for address in sorted([APPLICANT, *SECRETARIAT])]
    for message in (r.message for r in received):
        assert message["Cc"] is None and len(message.get_all("To")) == 1
    assert [r.message["To"] for r in received] == [r.rcpt_tos[0] for r in received]
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 4
    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    assert not any(address in output for address in [APPLICANT, *SECRETARIAT])

    # A second run finds nothing to do and sends nothing more.
    run_worker(smtp_server)
    assert len(smtp_server.received) == 4


@pytest.mark.django_db
def test_a_hanging_mail_server_does_not_hold_the_page(
    client, bodies, task_queue, settings, django_capture_on_commit_callbacks
):
    secretariat_staff()
    with socket.socket() as hanging:
        # Accepts connections (the kernel's backlog) and never says a word: a client would wait its timeout.
        hanging.bind(("127.0.0.1", 0))
        hanging.listen()
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": hanging.getsockname()[1], "timeout": 10},
            }
        }
        started = time.monotonic()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(SIGNUP, valid_signup_data())
        assert time.monotonic() - started < 5
        assert response.status_code == 302
        hanging.setblocking(False)
        with pytest.raises(BlockingIOError):
            hanging.accept()  # the page never even connected
    assert DBTaskResult.objects.filter(status="READY").count() == 4
