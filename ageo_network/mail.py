"""Templated emails: rendered in the request, queued after commit, sent by the worker.

Each message is two templates, `emails/<name>-subject.txt` and `emails/<name>-body.txt`;
each app lists its messages in `<app>/emails.py`, one function per message. Bodies hold
a link and a number, never case content or personal data the recipient did not enter
themself. Every address gets a message of its own: nobody learns who else was told.
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string

from ageo_network.tasks import send_email

logger = logging.getLogger("ageo_network.mail")


def absolute_url(path: str) -> str:
    """A link for an email: SITE_URL + an absolute path."""
    return settings.SITE_URL + path


def distinct_addresses(addresses: Iterable[str]) -> list[str]:
    """Non-empty addresses, each once (ignoring case), sorted."""
    unique = {}
    for address in addresses:
        address = (address or "").strip()
        if address:
            unique.setdefault(address.lower(), address)
    return sorted(unique.values())


def send_templated(name: str, *, to: Iterable[str], context: dict, attachments: list | None = None) -> int:
    """Render `emails/<name>-*.txt` now; after commit, queue one message per address. Returns how many.

    `attachments`: (filename, text content, mimetype) triples, the same for every recipient (e.g. an
    iCalendar invitation); they travel in the task's arguments, so keep them small and textual."""
    recipients = distinct_addresses(to)
    if not recipients:
        return 0
    subject = " ".join(render_to_string(f"emails/{name}-subject.txt", context).split())
    body = render_to_string(f"emails/{name}-body.txt", context)

    extra = {"attachments": [list(a) for a in attachments]} if attachments else {}

    def enqueue():
        with transaction.atomic():
            for address in recipients:
                send_email.enqueue(template=name, subject=subject, body=body, to=address, **extra)
        logger.info("mail %s queued for %d recipient(s)", name, len(recipients))

    # robust: once the data is committed, a failure here must not turn the page into an error.
    transaction.on_commit(enqueue, robust=True)
    return len(recipients)
