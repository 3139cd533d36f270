"""Log filters named in settings.LOGGING."""

import logging


class DisallowedHostAsWarning(logging.Filter):
    """A foreign Host header is a client's mistake or a scan, not a fault of ours: Django logs it
    at ERROR with a traceback; we keep one WARNING line (the gateway already refuses unknown
    names, so this fires only for requests that reach the API directly)."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True
