"""The `send_email` actor: validates a contract-v1 message, drops it if expired, delivers it.

Bodies carry one-time links and codes: nothing here logs them.
"""
import logging
from datetime import UTC, datetime

import dramatiq
from dramatiq.middleware import CurrentMessage

from mailer import smtp
from mailer.broker import broker  # noqa: F401 - the broker must exist before the actor
from mailer.contract import InvalidMessage, validate
from mailer.settings import settings

logger = logging.getLogger("mailer")


def _log(outcome, payload, **extra):
    message = CurrentMessage.get_current_message()
    attempt = (message.options.get("retries", 0) + 1) if message else 1
    fields = {
        "outcome": outcome,
        "id": payload.get("id") if isinstance(payload, dict) else None,
        "kind": payload.get("kind") if isinstance(payload, dict) else None,
        "attempt": attempt,
        **extra,
    }
    level = logging.WARNING if outcome in {"retry", "dead", "invalid"} else logging.INFO
    logger.log(level, "email " + " ".join(f"{key}={value}" for key, value in fields.items()))


@dramatiq.actor(
    actor_name="send_email",
    queue_name="emails",
    max_retries=settings.max_retries,
    min_backoff=settings.min_backoff_ms,
    max_backoff=settings.max_backoff_ms,
    # Not retried: they end in Dramatiq's dead-letter queue at once.
    throws=(InvalidMessage, smtp.PermanentDeliveryError),
)
def send_email(payload):
    try:
        expires_at = validate(payload)
    except InvalidMessage as exc:
        _log("invalid", payload, reason=str(exc))
        raise
    if expires_at is not None and expires_at <= datetime.now(UTC):
        _log("expired", payload)
        return "expired"
    try:
        smtp.send(payload, settings)
    except smtp.TransientDeliveryError as exc:
        _log("retry", payload, reason=str(exc))
        raise
    except smtp.PermanentDeliveryError as exc:
        _log("dead", payload, reason=str(exc))
        raise
    _log("sent", payload)
    return "sent"
