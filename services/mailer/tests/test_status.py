"""GET /metrics and /healthz, served in-process on a free port by the StatusServer middleware."""

import socket
import threading
import urllib.error
import urllib.request
from types import SimpleNamespace
from typing import cast

import pytest
import redis
from dramatiq import Worker
from dramatiq.brokers.redis import RedisBroker

from mailer.status import Health, StatusServer
from tests.helpers import free_port, make_payload


def get(port, path):
    """(status, content type, body) of GET http://127.0.0.1:port/path."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers["Content-Type"], exc.read().decode()


@pytest.fixture
def status(stub_broker, worker):
    """A StatusServer booted with the test worker, as Dramatiq's after_worker_boot would."""
    server = StatusServer("127.0.0.1", free_port())
    server.after_worker_boot(stub_broker, worker)
    yield server
    server.after_worker_shutdown(stub_broker, worker)


def test_healthz_while_consuming(status):
    assert get(status.port, "/healthz") == (200, "text/plain; charset=utf-8", "ok\n")


def test_metrics_after_an_email(status, smtp_server, sent_log, run):
    run(make_payload(kind="password_reset"))

    code, content_type, body = get(status.port, "/metrics")

    assert code == 200 and content_type.startswith("text/plain; version=")
    sent = [
        line
        for line in body.splitlines()
        if line.startswith('mailer_emails_sent_total{kind="password_reset",language="unknown"}')
    ]
    assert len(sent) == 1 and float(sent[0].split()[-1]) >= 1
    for name in (
        "mailer_emails_failed_total",
        "mailer_emails_retried_total",
        "mailer_emails_dead_total",
        "mailer_emails_expired_total",
        "mailer_emails_duplicate_total",
        "mailer_send_seconds_bucket",
    ):
        assert f"\n{name}{{" in body
    assert "mailer_queue_depth" not in body  # the StubBroker has no Redis to read


def test_unknown_paths(status):
    assert get(status.port, "/")[0] == 404
    assert get(status.port, "/metrics/../etc/passwd")[0] == 404


def test_shutdown_turns_unhealthy_then_stops_serving(status, stub_broker, worker):
    status.before_worker_shutdown(stub_broker, worker)
    assert get(status.port, "/healthz") == (503, "text/plain; charset=utf-8", "worker shutting down\n")
    status.after_worker_shutdown(stub_broker, worker)
    with pytest.raises(urllib.error.URLError):
        get(status.port, "/healthz")


def test_port_zero_serves_nothing(stub_broker, worker):
    server = StatusServer("127.0.0.1", 0)
    server.after_worker_boot(stub_broker, worker)
    assert server.server is None and server.health is None


def test_a_busy_port_does_not_stop_the_worker(stub_broker, worker, caplog):
    with socket.create_server(("127.0.0.1", 0)) as taken:
        server = StatusServer("127.0.0.1", taken.getsockname()[1])
        server.after_worker_boot(stub_broker, worker)
    assert server.server is None
    assert "cannot serve metrics" in caplog.text


def test_with_a_redis_broker(redis_server, redis_client):
    # A real Worker consuming from the real redis-server: healthy, and the queue depths are served.
    broker = RedisBroker(url=redis_server.url, middleware=[])
    broker.declare_queue("emails")
    worker = Worker(broker, worker_timeout=50, worker_threads=1)
    worker.start()
    server = StatusServer("127.0.0.1", free_port())
    try:
        server.after_worker_boot(broker, worker)
        assert get(server.port, "/healthz")[:2] == (200, "text/plain; charset=utf-8")
        body = get(server.port, "/metrics")[2]
        assert 'mailer_queue_depth{queue="dead"} 0.0' in body and "mailer_redis_up 1.0" in body
    finally:
        server.after_worker_shutdown(broker, worker)
        worker.stop()
        broker.close()


def alive():
    thread = threading.Thread(target=threading.Event().wait, args=(5,), daemon=True)
    thread.start()
    return thread


def dead():
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    return thread


@pytest.mark.parametrize(
    "consumers, workers, problem",
    [
        ({"emails": "alive", "emails.DQ": "alive"}, ["alive", "alive"], None),
        ({}, ["alive"], "no queue consumer"),
        ({"emails": "alive", "emails.DQ": "dead"}, ["alive"], "consumer of queue emails.DQ stopped"),
        ({"emails": "alive"}, ["dead", "dead"], "no worker thread alive"),
    ],
)
def test_health_follows_the_workers_threads(consumers, workers, problem):
    make = {"alive": alive, "dead": dead}
    worker = SimpleNamespace(
        consumers={name: make[state]() for name, state in consumers.items()},
        workers=[make[state]() for state in workers],
    )
    assert Health(cast(Worker, worker)).problem() == problem  # Health reads only these two attributes


def test_health_before_boot():
    assert Health().problem() == "worker not started"


def test_health_needs_redis(worker):
    down = redis.Redis(port=free_port(), socket_connect_timeout=1)
    assert Health(worker, down).problem() == "Redis does not answer a PING (ConnectionError)"
