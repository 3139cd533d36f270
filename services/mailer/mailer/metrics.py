"""Prometheus metrics: what happened to each email, how long SMTP took, how deep the queue is.

Emails are counted by kind, and sent and failed ones by language too (contract v2's `language`).

The actor counts its own outcomes (sent, failed, expired, duplicate); CountOutcomes counts what
Dramatiq then decided (retried, or dead: in the dead-letter queue). They live in prometheus_client's
default registry, served by mailer/status.py from the single worker process of a container.
"""

import logging
from typing import Any

import redis
from dramatiq import Broker, Message, Middleware
from dramatiq.broker import MessageProxy
from prometheus_client import Counter, Histogram
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from mailer import redis_keys

logger = logging.getLogger("mailer")

# The kinds the API sends (services/api/accounts/templates/accounts/email/). `kind` comes from the
# payload: anything else is counted as "other", so a hostile or buggy sender cannot create an
# unbounded number of time series.
KINDS = frozenset(
    {
        "account_deleted",
        "account_exists",
        "confirm_email",
        "confirm_email_change",
        "email_change_requested",
        "email_changed",
        "login_code",
        "mfa_factor_added",
        "mfa_factor_removed",
        "mfa_reset",
        "new_device_sign_in",
        "password_changed",
        "password_reset",
        "recovery_code_used",
        "recovery_codes_regenerated",
        "sign_in_disowned",
    }
)
OTHER = "other"
# The languages the API has catalogues for: add one here when it adds a catalogue. `language` comes
# from the payload too, so the label is its primary subtag if that is listed here and "other" if not
# (pt-BR counts as "other", de-CH as "de"): the number of series stays bounded.
LANGUAGES = frozenset({"de", "en"})
# The language label of a payload that names no language: every contract-v1 message.
UNKNOWN_LANGUAGE = "unknown"
REASONS = ("transient", "permanent", "invalid")

SENT = Counter("mailer_emails_sent", "Emails the SMTP server accepted.", ["kind", "language"])
FAILED = Counter(
    "mailer_emails_failed",
    "Delivery attempts that failed, by reason (transient: will be retried "
    "unless retries are exhausted; permanent: refused with 5xx; invalid: breaks the contract).",
    ["kind", "reason", "language"],
)
RETRIED = Counter("mailer_emails_retried", "Messages put back on the queue for another attempt.", ["kind"])
DEAD = Counter("mailer_emails_dead", "Messages moved to the dead-letter queue (refused, invalid or gave up).", ["kind"])
EXPIRED = Counter("mailer_emails_expired", "Emails dropped unsent because their expires_at had passed.", ["kind"])
DUPLICATE = Counter("mailer_emails_duplicate", "Messages acknowledged unsent: that email was already sent.", ["kind"])
SEND_SECONDS = Histogram(
    "mailer_send_seconds",
    "Time of one email's SMTP exchange (connecting too when it needs a new connection), whatever its outcome.",
    # Bounded by SMTP_TIMEOUT per operation (10 s by default); a stuck send ends at the 120 s time limit.
    buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120),
)

# Every series exists from the start (at 0), so rate() and alerts see the first increment.
for _kind in (*KINDS, OTHER):
    for _counter in (RETRIED, DEAD, EXPIRED, DUPLICATE):
        _counter.labels(_kind)
    for _language in (*LANGUAGES, OTHER, UNKNOWN_LANGUAGE):
        SENT.labels(_kind, _language)
        for _reason in REASONS:
            FAILED.labels(_kind, _reason, _language)


def kind_of(payload: object) -> str:
    kind = payload.get("kind") if isinstance(payload, dict) else None
    # A string first: `[] in KINDS` would raise TypeError (unhashable), before the contract check.
    return kind if isinstance(kind, str) and kind in KINDS else OTHER


def language_of(payload: object) -> str:
    """The language label: a primary subtag from LANGUAGES, "other", or "unknown" for no language."""
    if not isinstance(payload, dict) or "language" not in payload:
        return UNKNOWN_LANGUAGE
    language = payload["language"]
    # A string first, as for kinds; a valid tag's primary subtag is lower-case, so "EN" is "other".
    primary = language.partition("-")[0] if isinstance(language, str) else None
    return primary if primary in LANGUAGES else OTHER


def _message_kind(message: Message[Any] | MessageProxy) -> str:
    return kind_of(message.args[0] if message.args else None)


class CountOutcomes(Middleware):
    """Counts what Dramatiq did with a message after the actor ran.

    Must come before Retries in the middleware list: Dramatiq calls after_* hooks in reverse order,
    so this one runs after Retries has decided between retrying and failing the message.
    """

    def after_process_message(
        self,
        broker: Broker,
        message: MessageProxy,
        *,
        result: Any | None = None,
        exception: BaseException | None = None,
    ) -> None:
        if exception is not None and not message.failed:
            RETRIED.labels(_message_kind(message)).inc()

    def after_nack(self, broker: Broker, message: MessageProxy) -> None:
        DEAD.labels(_message_kind(message)).inc()


class QueueDepthCollector(Collector):
    """Reads the emails queue's sizes from Redis at scrape time (see mailer/redis_keys.py)."""

    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    def depths(self) -> dict[str, int]:
        # One MULTI: the numbers come from the same instant.
        with self.client.pipeline(transaction=True) as pipe:
            pipe.llen(redis_keys.READY)
            pipe.hlen(redis_keys.MESSAGES)
            pipe.hlen(redis_keys.DELAYED_MESSAGES)
            pipe.zcard(redis_keys.DEAD)
            ready, fetched_or_ready, delayed, dead = pipe.execute()
        return {
            "ready": ready,  # waiting for a worker
            "in_flight": max(fetched_or_ready - ready, 0),  # fetched by a worker, not acknowledged yet
            "delayed": delayed,  # retries waiting for their backoff
            "dead": dead,  # in the dead-letter queue
        }

    def _families(self) -> tuple[GaugeMetricFamily, GaugeMetricFamily]:
        up = GaugeMetricFamily("mailer_redis_up", "1 if Redis answered this scrape's queue-depth query.")
        depth = GaugeMetricFamily(
            "mailer_queue_depth", "Messages of the emails queue in Redis, by state.", labels=["queue"]
        )
        return up, depth

    def describe(self) -> list[Metric]:
        # Without this, registering the collector would call collect(), so query Redis.
        return list(self._families())

    def collect(self) -> list[Metric]:
        up, depth = self._families()
        try:
            depths = self.depths()
        except redis.RedisError as exc:
            logger.warning("queue depth unavailable: %s", type(exc).__name__)
            up.add_metric([], 0)
            return [up]
        up.add_metric([], 1)
        for queue, count in depths.items():
            depth.add_metric([queue], count)
        return [up, depth]
