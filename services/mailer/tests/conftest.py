"""Test set-up: runs before any mailer module is imported, so the broker is Dramatiq's StubBroker."""

import os
from dataclasses import replace

# Forced, not defaulted: a developer's shell (or .env) must not point the tests at a real Redis
# or SMTP relay, nor slow them down with production backoff.
os.environ.update(
    {
        "MAILER_BROKER": "stub",
        "MAILER_MAX_RETRIES": "3",
        "MAILER_MIN_BACKOFF_MS": "10",
        "MAILER_MAX_BACKOFF_MS": "50",
        "SMTP_TIMEOUT": "2",
        "SMTP_USE_TLS": "false",
        "SMTP_USE_SSL": "false",
        "SMTP_USER": "",
        "SMTP_PASSWORD": "",
        "MAIL_FROM": "Auth Platform <no-reply@auth-platform.local>",
        "MAIL_MESSAGE_ID_DOMAIN": "auth-platform.local",
        # No HTTP server from the test workers; tests that want one choose a free port.
        "MAILER_METRICS_PORT": "0",
    }
)

import pytest  # noqa: E402
from dramatiq import Worker  # noqa: E402

from tests.helpers import RedisServer, SmtpServer  # noqa: E402


@pytest.fixture(autouse=True)
def no_kept_smtp_connection():
    """Each test starts without, and leaves no, SMTP connection kept by the test thread (mailer.smtp)."""
    from mailer import smtp

    smtp.close_thread_connection()
    yield
    smtp.close_thread_connection()


@pytest.fixture
def smtp_server(monkeypatch):
    """A running SMTP server; the actor's settings point at it."""
    from mailer import actors
    from mailer.settings import settings

    with SmtpServer(settings) as server:
        monkeypatch.setattr(actors, "settings", server.settings)
        yield server


@pytest.fixture
def sent_log(monkeypatch):
    """A fresh in-memory sent log for the actor (what MAILER_BROKER=stub gives it)."""
    from mailer import actors
    from mailer.broker import TIME_LIMIT_MS
    from mailer.sent_log import MemorySentLog

    log = MemorySentLog(sent_ttl_s=600, lock_ms=TIME_LIMIT_MS)
    monkeypatch.setattr(actors, "sent_log", log)
    return log


@pytest.fixture
def metric():
    """metric(name, **labels): the current value of a sample in the default Prometheus registry."""
    from prometheus_client import REGISTRY

    def metric(name, **labels):
        return REGISTRY.get_sample_value(name, labels) or 0

    return metric


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One real redis-server for the whole run (about 10 ms to start, but no need to repeat it)."""
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


@pytest.fixture
def redis_client(redis_server):
    """A client of the real redis-server, emptied before each test."""
    redis_server.client.flushall()
    return redis_server.client


@pytest.fixture
def redis_broker(redis_server, redis_client, monkeypatch):
    """The mailer's own broker, built from settings, on the real redis-server."""
    from mailer import broker as broker_module

    settings = replace(
        broker_module.settings, broker="redis", redis_url=redis_server.url, maintenance_chance=0
    )  # maintenance only where a test asks for it
    monkeypatch.setattr(broker_module, "settings", settings)
    broker = broker_module.build_broker()
    yield broker
    broker.close()


@pytest.fixture
def redis_worker(redis_broker, redis_client, smtp_server, monkeypatch):
    """A worker running send_email from the real Redis queue, with the Redis sent log.

    Returns process(): wait until every message on the queue is done or dead.
    """
    from mailer import actors
    from mailer.broker import TIME_LIMIT_MS
    from mailer.sent_log import RedisSentLog

    redis_broker.declare_actor(actors.send_email)
    monkeypatch.setattr(actors, "sent_log", RedisSentLog(redis_client, 600, TIME_LIMIT_MS))
    worker = Worker(redis_broker, worker_timeout=50, worker_threads=1)
    worker.start()

    def process():
        redis_broker.join("emails", timeout=10_000)
        worker.join()

    yield process
    worker.stop()


@pytest.fixture
def stub_broker():
    from mailer import actors  # noqa: F401 - declares the emails queue, as the worker's CLI does
    from mailer.broker import broker

    broker.flush_all()  # also empties the dead-letter lists
    yield broker
    broker.flush_all()


@pytest.fixture
def worker(stub_broker):
    # A short worker_timeout so delayed (retried) messages are picked up promptly.
    worker = Worker(stub_broker, worker_timeout=20, worker_threads=2)
    worker.start()
    yield worker
    worker.stop()


@pytest.fixture
def run(stub_broker, worker):
    """Enqueue one payload for send_email and wait (at most 10 s) until it is done or dead."""
    from mailer.actors import send_email

    def run(payload):
        message = send_email.send(payload)
        stub_broker.join("emails", timeout=10_000, fail_fast=False)
        worker.join()
        return message

    return run
