"""Keeps email bodies out of Dramatiq's own log lines.

Dramatiq logs whole messages (`send_email({...the payload...})`) when one fails, and the actor's
arguments at DEBUG (`dramatiq -v`); the payload's text and html carry one-time links and codes.
This filter swaps messages for the actor name and message id, and argument lists for a marker.
"""

import logging

from dramatiq import Message
from dramatiq.broker import MessageProxy

# The Dramatiq 2.x loggers that format messages or actor arguments: dramatiq/worker.py, and the
# logger dramatiq/actor.py names after the actor's module and name.
LOGGERS = ("dramatiq.worker.WorkerThread", "dramatiq.worker.Worker", "mailer.actors.send_email")


def _redact(arg: object) -> object:
    if isinstance(arg, Message | MessageProxy):
        return f"{arg.actor_name}[{arg.message_id}]"
    if isinstance(arg, tuple | list | dict):
        return "[redacted]"
    return arg


class RedactMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(_redact(arg) for arg in record.args)
        return True


def install() -> None:
    for name in LOGGERS:
        logger = logging.getLogger(name)
        if not any(isinstance(existing, RedactMessages) for existing in logger.filters):
            logger.addFilter(RedactMessages())
