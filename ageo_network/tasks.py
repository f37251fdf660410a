"""Background tasks of the shared package: delivering one email to one address.

The worker (`manage.py db_worker`) runs them. django-tasks-db does not retry a failed
task, so a message the mail server did not take queues its own next attempt, later,
before this attempt is marked failed: a dead server delays mail and never loses it.

Task rows, their errors and the logs name the template and the attempt, never an
address or a body; SMTP errors are reduced to their class name and code, because a
server's reply often quotes the address.
"""

import contextlib
import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger("ageo_network.mail")

MAIL_QUEUE = "mail"
FIRST_RETRY_SECONDS = 60
MAX_RETRY_SECONDS = 3600


class MailDeferred(Exception):
    """This attempt failed; the next one is queued."""


class MailUndeliverable(Exception):
    """The message is given up: refused for good, or retried for MAIL_RETRY_HOURS."""


def retry_delay(attempt: int) -> datetime.timedelta:
    """1 minute after the first failure, doubling, at most an hour."""
    return datetime.timedelta(seconds=min(FIRST_RETRY_SECONDS * 2 ** (attempt - 1), MAX_RETRY_SECONDS))


def _describe(error: BaseException) -> str:
    code = getattr(error, "smtp_code", None)
    return f"{type(error).__name__} {code}" if code else type(error).__name__


def _refused_for_good(error: BaseException) -> bool:
    """The server will never take this address (5xx for the recipient), or the address itself is malformed.

    Everything else (connection refused or timed out, 4xx, a refused sender or login, which an
    operator can fix) is retried.
    """
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return bool(error.recipients) and all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, ValueError)


def _deliver(*, subject: str, body: str, to: str, attachments: list | None = None) -> None:
    connection = mailers.default
    message = EmailMessage(subject=subject, body=body, to=[to])
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    try:
        connection.open()
        connection.send_messages([message])
    except BaseException:
        with contextlib.suppress(Exception):
            connection.close()
        raise
    try:
        connection.close()
    except (OSError, smtplib.SMTPException):
        # The server has taken the message: failing now would have it sent twice.
        logger.warning("mail: closing the connection failed after the message was handed over")


@task(queue_name=MAIL_QUEUE)
def send_email(
    *,
    template: str,
    subject: str,
    body: str,
    to: str,
    attempt: int = 1,
    since: str = "",
    attachments: list | None = None,
) -> str:
    """Hand one message for one address to the mail server; on failure queue the next attempt."""
    started = datetime.datetime.fromisoformat(since) if since else timezone.now()
    extra = {"attachments": attachments} if attachments else {}
    try:
        _deliver(subject=subject, body=body, to=to, **extra)
    except Exception as error:
        reason = _describe(error)
        if _refused_for_good(error):
            logger.error("mail %s: refused by the mail server (%s), not retried", template, reason)
            raise MailUndeliverable(f"{template}: refused by the mail server ({reason})") from None
        next_at = timezone.now() + retry_delay(attempt)
        deadline = started + datetime.timedelta(hours=settings.MAIL_RETRY_HOURS)
        if next_at > deadline or not send_email.get_backend().supports_defer:
            logger.error("mail %s: given up after %d attempt(s) (%s)", template, attempt, reason)
            raise MailUndeliverable(f"{template}: given up after {attempt} attempt(s) ({reason})") from None
        send_email.using(run_after=next_at).enqueue(
            template=template,
            subject=subject,
            body=body,
            to=to,
            attempt=attempt + 1,
            since=started.isoformat(),
            **extra,
        )
        logger.warning("mail %s: attempt %d failed (%s), next at %s", template, attempt, reason, next_at.isoformat())
        raise MailDeferred(f"{template}: attempt {attempt} failed ({reason}); next at {next_at.isoformat()}") from None
    logger.info("mail %s sent (attempt %d)", template, attempt)
    return "sent"


def requeue_stalled_mail(*, older_than: datetime.timedelta) -> int:
    """Queue again the mail tasks whose worker died while running them; how many.

    django-tasks-db leaves such a row RUNNING for ever. A mail task takes seconds (EMAIL_TIMEOUT
    per step), so one running for `older_than` has no worker any more. If that worker had handed
    the message over before it died, this sends it a second time: at least once, not lost.
    """
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    stalled = DBTaskResult.objects.running().filter(
        task_path=send_email.module_path, started_at__lt=timezone.now() - older_than
    )
    count = 0
    with transaction.atomic():
        # Locked and marked in one transaction: two runs at once never queue the same message twice.
        for row in stalled.select_for_update(skip_locked=True):
            kwargs = row.args_kwargs["kwargs"]
            again = send_email.enqueue(**kwargs)
            row.status = "FAILED"
            row.finished_at = timezone.now()
            row.exception_class_path = "ageo_network.tasks.MailStalled"
            row.traceback = f"The worker stopped while running this task; queued again as {again.id}."
            row.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
            logger.warning(
                "mail %s: worker stopped during attempt %d; queued again", kwargs["template"], kwargs.get("attempt", 1)
            )
            count += 1
    return count
