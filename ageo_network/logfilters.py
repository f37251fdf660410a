"""Logging filters named in settings.LOGGING."""

import logging


class OneLineClientErrors(logging.Filter):
    """A refusal (403, 404, any 4xx) is one line in the log, not a traceback: a security sweep makes hundreds,
    and real errors (5xx, with their traceback) must stay findable among them."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if status is not None and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True
