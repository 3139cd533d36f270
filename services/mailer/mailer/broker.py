"""The Dramatiq broker. Imported before the actors (`dramatiq mailer.broker mailer.actors`).

MAILER_BROKER=stub selects Dramatiq's in-memory StubBroker, for tests.
"""
import os

import dramatiq
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from mailer.settings import settings


def build_middleware():
    # Explicit list: never rely on Dramatiq's defaults (some stacks add a Prometheus middleware).
    return [
        AgeLimit(),
        TimeLimit(time_limit=120_000),
        ShutdownNotifications(),
        Callbacks(),
        Pipelines(),
        CurrentMessage(),
        Retries(max_retries=settings.max_retries, min_backoff=settings.min_backoff_ms,
                max_backoff=settings.max_backoff_ms),
    ]


def build_broker():
    if os.environ.get("MAILER_BROKER") == "stub":
        from dramatiq.brokers.stub import StubBroker

        return StubBroker(middleware=build_middleware())
    from dramatiq.brokers.redis import RedisBroker

    return RedisBroker(
        url=settings.redis_url,
        middleware=build_middleware(),
        heartbeat_timeout=settings.heartbeat_timeout_ms,
        maintenance_chance=settings.maintenance_chance,
    )


broker = build_broker()
dramatiq.set_broker(broker)
