"""The mail policy: rendered in the request, one queued message per address after commit, retried by the task."""

import datetime
import io
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from ageo_network.mail import distinct_addresses, send_templated
from ageo_network.tasks import MailDeferred, MailUndeliverable, retry_delay, send_email
from ageo_network.tests.smtp import free_port

BASE = Path(django_settings.BASE_DIR)
ADDRESSES = ["b@example.org", "a@example.org", "", "A@example.org", "c@example.org "]
CONTEXT = {"reference": "2025-0001", "url": "http://testserver/x/"}


def test_each_address_once_blank_ones_dropped():
    assert distinct_addresses(ADDRESSES) == ["a@example.org", "b@example.org", "c@example.org"]


@pytest.mark.django_db
def test_one_message_per_address_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send_templated("registry_application_submitted", to=ADDRESSES, context=CONTEXT) == 3
        assert mail.outbox == []  # nothing before commit
    assert len(callbacks) == 1
    assert sorted(m.to for m in mail.outbox) == [["a@example.org"], ["b@example.org"], ["c@example.org"]]
    for message in mail.outbox:
        assert message.cc == [] and message.bcc == []
        assert "2025-0001" in message.subject and "http://testserver/x/" in message.body


@pytest.mark.django_db
def test_nothing_is_queued_for_nobody(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert send_templated("registry_application_submitted", to=["", None], context=CONTEXT) == 0
    assert callbacks == [] and mail.outbox == []


@pytest.mark.django_db
def test_with_the_queue_the_request_only_stores_rows(task_queue, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated("registry_application_submitted", to=ADDRESSES, context=CONTEXT)
    assert mail.outbox == []
    rows = list(DBTaskResult.objects.order_by("args_kwargs__kwargs__to"))
    assert [row.status for row in rows] == ["READY"] * 3
    assert {row.task_path for row in rows} == {"ageo_network.tasks.send_email"}
    assert {row.queue_name for row in rows} == {"mail"}
    assert [row.args_kwargs["kwargs"]["to"] for row in rows] == ["a@example.org", "b@example.org", "c@example.org"]


def test_retry_backoff_doubles_from_a_minute_to_an_hour():
    assert [retry_delay(n).total_seconds() for n in range(1, 9)] == [60, 120, 240, 480, 960, 1920, 3600, 3600]


def _kwargs(**extra):
    return {"template": "case_assigned", "subject": "件名", "body": "本文", "to": "secret@example.org", **extra}


@pytest.mark.django_db
def test_a_dead_server_queues_the_next_attempt_and_names_no_address(task_queue, settings, caplog):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 2},
        }
    }
    before = timezone.now()
    with caplog.at_level(logging.INFO), pytest.raises(MailDeferred) as raised:
        send_email.call(**_kwargs())
    retry = DBTaskResult.objects.get()
    assert retry.status == "READY"
    assert retry.args_kwargs["kwargs"] == {**_kwargs(), "attempt": 2, "since": retry.args_kwargs["kwargs"]["since"]}
    assert before + datetime.timedelta(seconds=59) < retry.run_after < timezone.now() + datetime.timedelta(seconds=61)
    assert "case_assigned" in str(raised.value) and "ConnectionRefusedError" in str(raised.value)
    assert raised.value.__suppress_context__  # the SMTP error's text is not in the stored traceback
    assert "secret@example.org" not in str(raised.value) and "secret@example.org" not in caplog.text
    assert "本文" not in caplog.text


@pytest.mark.django_db
def test_retries_end_after_mail_retry_hours(task_queue, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port()},
        }
    }
    since = (timezone.now() - datetime.timedelta(hours=settings.MAIL_RETRY_HOURS)).isoformat()
    with pytest.raises(MailUndeliverable, match="given up after 40 attempt"):
        send_email.call(**_kwargs(attempt=40, since=since))
    assert not DBTaskResult.objects.exists()


@pytest.mark.django_db
def test_an_address_the_server_refuses_for_good_is_not_retried(task_queue, settings, smtp_server, caplog):
    settings.MAILERS = smtp_server.mailers()
    smtp_server.handler.refuse.add("secret@example.org")
    with caplog.at_level(logging.INFO), pytest.raises(MailUndeliverable, match="SMTPRecipientsRefused"):
        send_email.call(**_kwargs())
    assert not DBTaskResult.objects.exists() and smtp_server.received == []
    assert "secret@example.org" not in caplog.text


@pytest.mark.django_db
def test_a_live_server_gets_one_message_with_one_recipient(settings, smtp_server):
    settings.MAILERS = smtp_server.mailers()
    assert send_email.call(**_kwargs()) == "sent"
    [received] = smtp_server.received
    assert received.rcpt_tos == ["secret@example.org"]
    assert received.message["To"] == "secret@example.org" and received.message["Cc"] is None
    assert received.message["Subject"] == "件名"


def test_the_queue_table_is_not_append_only():
    """The audit triggers refuse UPDATE on history tables; the worker must update its task rows."""
    from audit.triggers import append_only_tables

    assert DBTaskResult._meta.db_table not in append_only_tables()


@pytest.mark.django_db
def test_the_admin_shows_a_task_but_not_its_address_or_body(
    admin_client, task_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        send_templated("registry_application_submitted", to=["secret@example.org"], context=CONTEXT)
    row = DBTaskResult.objects.get()
    assert admin_client.get("/admin/django_tasks_database/dbtaskresult/").status_code == 200
    page = admin_client.get(f"/admin/django_tasks_database/dbtaskresult/{row.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "send_email" in html
    assert "secret@example.org" not in html and "http://testserver/x/" not in html


# --- one place per app lists its messages ---------------------------------------------------------


def _project_sources():
    """The apps' own modules (not the venv, not tests)."""
    for package in BASE.iterdir():
        if (package / "__init__.py").exists() and package.name != "tests":
            yield from (path for path in package.rglob("*.py") if "tests" not in path.parts)


def test_only_the_emails_modules_send_mail():
    senders = sorted(
        str(path.relative_to(BASE))
        for path in _project_sources()
        if re.search(r"\bsend_templated\(|\bsend_mail\(|EmailMessage\(", path.read_text())
    )
    assert senders == [
        "ageo_network/mail.py",
        "ageo_network/tasks.py",
        "cases/emails.py",
        "meetings/emails.py",
        "outreach/emails.py",
        "registry/emails.py",
    ]


def test_every_email_template_is_listed_in_exactly_one_emails_module():
    names = {p.name.removesuffix("-subject.txt") for p in (BASE / "templates" / "emails").glob("*-subject.txt")}
    bodies = {p.name.removesuffix("-body.txt") for p in (BASE / "templates" / "emails").glob("*-body.txt")}
    assert names == bodies
    listed = {}
    for module in BASE.glob("*/emails.py"):
        for name in re.findall(r'"([a-z_]+)"', module.read_text()):
            if name in names:
                listed.setdefault(name, []).append(module.parent.name)
    assert {name: apps for name, apps in listed.items() if len(apps) == 1} == {name: listed[name] for name in names}


@pytest.mark.django_db
def test_a_message_whose_worker_died_is_queued_again_once(task_queue):
    from django.core.management import call_command

    dead = send_email.enqueue(**_kwargs())
    alive = send_email.enqueue(**_kwargs(to="other@example.org"))
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    DBTaskResult.objects.filter(id=dead.id).update(status="RUNNING", started_at=long_ago)
    DBTaskResult.objects.filter(id=alive.id).update(status="RUNNING", started_at=timezone.now())

    call_command("requeue_stalled_mail", stdout=io.StringIO())
    second = io.StringIO()
    call_command("requeue_stalled_mail", stdout=second)
    assert "0件" in second.getvalue()

    again = DBTaskResult.objects.get(status="READY")
    assert again.args_kwargs["kwargs"] == _kwargs()
    stalled = DBTaskResult.objects.get(id=dead.id)
    assert stalled.status == "FAILED" and stalled.exception_class_path == "ageo_network.tasks.MailStalled"
    assert DBTaskResult.objects.get(id=alive.id).status == "RUNNING"


def test_bad_task_settings_name_the_variable():
    from ageo_network.tests.test_settings import PRODUCTION_ENV, run_manage

    result = run_manage("check", **{**PRODUCTION_ENV, "TASKS_BACKEND": "celery"})
    assert result.returncode != 0 and "TASKS_BACKEND must be database or immediate" in result.stderr
    result = run_manage("check", **{**PRODUCTION_ENV, "MAIL_RETRY_HOURS": "three days"})
    assert result.returncode != 0 and "MAIL_RETRY_HOURS must be an integer" in result.stderr
