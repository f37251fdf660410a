"""Templated emails, sent only once the surrounding transaction has committed.

Each message is two templates, `emails/<name>-subject.txt` and `emails/<name>-body.txt`.
Bodies hold a link and a number, never case content or personal data the recipient
did not enter themself.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string

logger = logging.getLogger("ageo_network.mail")


def absolute_url(path: str) -> str:
    """A link for an email: SITE_URL + an absolute path."""
    return settings.SITE_URL + path


def send_templated(name: str, *, to: list[str], context: dict) -> None:
    """Render `emails/<name>-*.txt` now and send it after commit (at once when no transaction is open)."""
    recipients = [address for address in to if address]
    if not recipients:
        return
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    body = render_to_string(f"emails/{name}-body.txt", context)

    def send():
        EmailMessage(subject=subject, body=body, to=recipients).send()
        logger.info("mail %s sent to %d recipient(s)", name, len(recipients))

    # robust: a mail server failure must not turn a committed submission into an error page.
    transaction.on_commit(send, robust=True)
