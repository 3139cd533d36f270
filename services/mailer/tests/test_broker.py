"""The broker is built from settings with an explicit middleware list and bounded retries."""

from dataclasses import replace

from dramatiq.brokers.redis import RedisBroker
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import (
    AgeLimit,
    Callbacks,
    CurrentMessage,
    Pipelines,
    Retries,
    ShutdownNotifications,
    TimeLimit,
)

from mailer import broker as broker_module
from mailer.metrics import CountOutcomes
from mailer.smtp import CloseConnections
from mailer.status import StatusServer


def test_tests_run_on_the_stub_broker():
    import dramatiq

    assert isinstance(broker_module.broker, StubBroker)
    assert dramatiq.get_broker() is broker_module.broker


def test_redis_broker_from_settings(monkeypatch):
    settings = replace(
        broker_module.settings,
        broker="redis",
        redis_url="redis://:pw@127.0.0.1:6390/2?socket_timeout=5&socket_connect_timeout=4",
        heartbeat_timeout_ms=15_000,
        maintenance_chance=100_000,
        max_retries=12,
        min_backoff_ms=1000,
        max_backoff_ms=300_000,
        dead_letter_ttl_s=259_200,
        metrics_host="127.0.0.1",
        metrics_port=9200,
    )
    monkeypatch.setattr(broker_module, "settings", settings)

    broker = broker_module.build_broker()  # builds a client; does not connect

    assert isinstance(broker, RedisBroker)
    assert (broker.heartbeat_timeout, broker.maintenance_chance) == (15_000, 100_000)
    assert broker.dead_message_ttl == 259_200_000  # ms: three days, not Dramatiq's seven
    assert broker.namespace == "dramatiq"
    connection = broker.client.connection_pool.connection_kwargs
    assert (connection["host"], connection["port"], connection["db"]) == ("127.0.0.1", 6390, 2)
    assert (connection["socket_timeout"], connection["socket_connect_timeout"]) == (5, 4)
    # Exactly our list: nothing Dramatiq (or an installed extra) adds by default.
    assert [type(m) for m in broker.middleware] == [
        AgeLimit,
        TimeLimit,
        ShutdownNotifications,
        Callbacks,
        Pipelines,
        CurrentMessage,
        CountOutcomes,
        Retries,
        StatusServer,
        CloseConnections,
    ]
    (status,) = [m for m in broker.middleware if isinstance(m, StatusServer)]
    assert (status.host, status.port) == ("127.0.0.1", 9200)
    (retries,) = [m for m in broker.middleware if isinstance(m, Retries)]
    assert (retries.max_retries, retries.min_backoff, retries.max_backoff) == (12, 1000, 300_000)
