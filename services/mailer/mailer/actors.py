"""The `send_email` actor: validates a contract v1 or v2 payload, drops it if expired, delivers it once.

One log line and one metric per outcome, with the email's id, kind and attempt. Bodies carry one-time
links and codes, so neither they nor the SMTP password are ever logged.
"""

import logging
import re
from datetime import UTC, datetime
from typing import Any, cast

import dramatiq
import redis
from dramatiq.middleware import CurrentMessage

from mailer import metrics, redis_keys, smtp
from mailer import sent_log as sent_log_module
from mailer.broker import TIME_LIMIT_MS  # importing it sets the broker, before any actor is declared
from mailer.contract import InvalidMessage, validate
from mailer.settings import settings

logger = logging.getLogger("mailer")
sent_log = sent_log_module.build(settings, lock_ms=TIME_LIMIT_MS)

_PLAIN = re.compile(r"[\w.@:+-]{1,100}", re.ASCII)


def _safe(value: object) -> str:
    # id and kind of an invalid payload are unchecked: keep them on one short line.
    if isinstance(value, str) and _PLAIN.fullmatch(value):
        return value
    return repr(value)[:80] if value is not None else "-"


def _attempt() -> tuple[int, bool]:
    message = CurrentMessage.get_current_message()
    retries = message.options.get("retries", 0) if message else 0
    max_retries = message.options.get("max_retries", settings.max_retries) if message else 0
    return retries + 1, retries >= max_retries


def _log(level: int, phrase: str, outcome: str, payload: object, **extra: object) -> None:
    attempt, _ = _attempt()
    fields = payload if isinstance(payload, dict) else {}
    line = {
        "outcome": outcome,
        "id": _safe(fields.get("id")),
        "kind": _safe(fields.get("kind")),
        "attempt": attempt,
        **extra,
    }
    text = " ".join(f'{key}="{value}"' if " " in str(value) else f"{key}={value}" for key, value in line.items())
    logger.log(level, "email %s %s", phrase, text)


# Retries and backoffs: the Retries middleware's (mailer/broker.py), their one home.
@dramatiq.actor(
    actor_name="send_email",
    queue_name=redis_keys.QUEUE,
    # Raising one of these fails the message at once (Retries middleware: "Aborting message"),
    # so it lands in the dead-letter queue instead of being retried.
    throws=(InvalidMessage, smtp.PermanentDeliveryError),
)
def send_email(payload: object) -> None:
    # Any JSON value that came off the queue, until validate() has checked it.
    kind, language = metrics.kind_of(payload), metrics.language_of(payload)
    try:
        expires_at = validate(payload)
    except InvalidMessage as exc:
        _log(logging.ERROR, "invalid", "invalid", payload, code=exc.code)
        metrics.FAILED.labels(kind=kind, reason="invalid", language=language).inc()
        raise
    email = cast(dict[str, Any], payload)  # a contract v1 or v2 object from here on

    if expires_at is not None and expires_at <= datetime.now(UTC):
        # A late reset code or confirmation link is worse than none: the user asks for a new one.
        _log(logging.WARNING, "dropped expired", "expired", payload)
        metrics.EXPIRED.labels(kind).inc()
        return

    try:
        with sent_log.sending(email["id"]):
            if sent_log.was_sent(email["id"]):
                _log(logging.INFO, "already sent, not sending again", "duplicate", payload)
                metrics.DUPLICATE.labels(kind).inc()
                return
            _deliver(email, kind, language)
    except sent_log_module.EmailInFlight:
        _log(logging.INFO, "being sent by another worker, will retry", "in_flight", payload)
        raise


def _deliver(payload: dict[str, Any], kind: str, language: str) -> None:
    def mark_sent() -> None:
        try:
            sent_log.mark_sent(payload["id"])
        except redis.RedisError as exc:
            # The email is out: retrying now would send it twice. Only a redelivery of this message
            # (a worker killed before acknowledging it) could still duplicate it.
            _log(logging.ERROR, "sent but not recorded", "unrecorded", payload, reason=type(exc).__name__)

    try:
        with metrics.SEND_SECONDS.time():
            smtp.send(payload, settings, on_accepted=mark_sent)
    except smtp.TransientDeliveryError as exc:
        metrics.FAILED.labels(kind=kind, reason="transient", language=language).inc()
        _, last = _attempt()
        if last:
            _log(logging.ERROR, "failed, giving up", "gave_up", payload, reason=exc)
        else:
            _log(logging.WARNING, "failed, will retry", "retry", payload, reason=exc)
        raise
    except smtp.PermanentDeliveryError as exc:
        metrics.FAILED.labels(kind=kind, reason="permanent", language=language).inc()
        _log(logging.ERROR, "refused", "refused", payload, reason=exc)
        raise
    metrics.SENT.labels(kind=kind, language=language).inc()
    _log(logging.INFO, "sent", "sent", payload)
