"""The Dramatiq broker, imported before the actors (`dramatiq mailer.broker mailer.actors`).

Redis in production; MAILER_BROKER=stub selects Dramatiq's in-memory StubBroker for the tests.
"""

import dramatiq
from dramatiq import Broker, Middleware
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from mailer import logs, metrics, redis_keys, smtp
from mailer.settings import settings
from mailer.status import StatusServer

# An SMTP exchange is bounded by SMTP_TIMEOUT per socket operation; this only catches a send
# that is stuck anyway (it is then retried like any transient failure). It is also how long the
# sending lock lives, so how long a killed worker's in-flight emails wait before they are retried.
TIME_LIMIT_MS = settings.send_time_limit_ms


def build_middleware() -> list[Middleware]:
    # Spelled out rather than Dramatiq's default list, so an upgrade or an installed extra
    # (Prometheus, ...) cannot change what runs around each message.
    return [
        AgeLimit(),  # no limit unless an actor sets max_age; expiry is the payload's expires_at
        TimeLimit(time_limit=TIME_LIMIT_MS),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        CurrentMessage(),  # lets the actor log which attempt it is
        # Before Retries: after_* hooks run in reverse order, so it sees what Retries decided.
        metrics.CountOutcomes(),
        Retries(
            max_retries=settings.max_retries,
            min_backoff=settings.min_backoff_ms,
            max_backoff=settings.max_backoff_ms,
        ),
        StatusServer(settings.metrics_host, settings.metrics_port),  # /metrics and /healthz
        smtp.CloseConnections(),  # QUITs each worker thread's kept SMTP connection when it stops
    ]


def build_broker() -> Broker:
    if settings.broker == "stub":
        from dramatiq.brokers.stub import StubBroker

        return StubBroker(middleware=build_middleware())

    from dramatiq.brokers.redis import RedisBroker

    # Socket timeouts come from REDIS_URL's query string (?socket_timeout=5&socket_connect_timeout=5).
    return RedisBroker(
        url=settings.redis_url,
        middleware=build_middleware(),
        namespace=redis_keys.NAMESPACE,
        heartbeat_timeout=settings.heartbeat_timeout_ms,
        maintenance_chance=settings.maintenance_chance,
        # Dead letters older than this are deleted by Dramatiq's maintenance (7 days by default).
        dead_message_ttl=settings.dead_letter_ttl_s * 1000,
    )


logs.install()
broker = build_broker()
dramatiq.set_broker(broker)
