"""A request never waits long on Redis, and the hand-over after a commit cannot fail the request.

A frozen Redis (stopped with SIGSTOP, or overloaded) is the hard case: the kernel still accepts
connections, so nothing is refused, but nothing answers either. `frozen_redis` plays one on
loopback. The relay and the mailer keep REDIS_URL's own (longer) timeouts.
"""

import socket
import threading
import time

import pytest
import redis
from django.db import OperationalError
from outbox import mail_queue
from outbox.models import OutboxEmail

from accounts.models import User
from core.cache import FallbackRedisCache
from core.redis_request import RETRY_AFTER_SECONDS, request_path_url
from tests.conftest import PASSWORD, queued_payloads

pytestmark = pytest.mark.django_db(transaction=True)

# As in .env.example: the relay's and the mailer's timeouts, which a request must not pay.
RELAY_TIMEOUTS = "?socket_timeout=5&socket_connect_timeout=5"


class FrozenRedis:
    """Accepts every connection and never reads or answers, like a Redis stopped with SIGSTOP."""

    def __init__(self):
        self.server = socket.create_server(("127.0.0.1", 0), backlog=64)
        self.port = self.server.getsockname()[1]
        self.accepted = []
        self.url = f"redis://:secret@127.0.0.1:{self.port}/0{RELAY_TIMEOUTS}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                connection, _ = self.server.accept()
            except OSError:
                return
            self.accepted.append(connection)  # held open, never answered

    def connections(self, at_least=1):
        """How many connections were opened, once the accepting thread has seen `at_least`."""
        deadline = time.monotonic() + 5
        while len(self.accepted) < at_least and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(0.1)  # one more would have shown up by now
        return len(self.accepted)

    def close(self):
        self.server.close()
        for connection in self.accepted:
            connection.close()


@pytest.fixture
def frozen_redis():
    frozen = FrozenRedis()
    yield frozen
    frozen.close()


@pytest.fixture
def redis_broker(settings):
    """The API's real RedisBroker (not the stub) for the test; the stub again afterwards."""
    settings.MAIL_QUEUE_BROKER = "redis"
    mail_queue.get_broker.cache_clear()
    mail_queue.get_request_broker.cache_clear()
    yield
    mail_queue.get_broker.cache_clear()
    mail_queue.get_request_broker.cache_clear()
    mail_queue.hand_over_pause.end()


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def register(client, address):
    return client.post("/api/auth/register/", {"email": address, "password": PASSWORD}, format="json")


def test_request_path_url_has_the_short_timeouts_and_no_retry(settings):
    settings.REDIS_REQUEST_TIMEOUT_S = 0.25
    url = request_path_url(
        "redis://:p%40ss@redis:6379/2?socket_timeout=5&socket_connect_timeout=5"
        "&retry_on_timeout=true&health_check_interval=30"
    )
    options = redis.connection.parse_url(url)
    assert options["socket_timeout"] == 0.25 and options["socket_connect_timeout"] == 0.25
    assert "retry_on_timeout" not in options and options["health_check_interval"] == 30
    assert options["password"] == "p@ss" and options["host"] == "redis" and options["db"] == 2


def test_every_request_path_client_has_the_short_timeouts_and_the_relay_keeps_its_own(settings, redis_broker):
    settings.REDIS_URL = f"redis://:secret@127.0.0.1:1/0{RELAY_TIMEOUTS}"
    settings.REDIS_REQUEST_TIMEOUT_S = 0.25
    cache_pool = FallbackRedisCache(settings.REDIS_URL, {})._cache._get_connection_pool(write=True)  # type: ignore[attr-defined]
    request_pool = mail_queue.get_request_broker().client.connection_pool
    relay_pool = mail_queue.get_broker().client.connection_pool
    for pool in (cache_pool, request_pool):
        # A plain ConnectionPool never waits for a free connection (BlockingConnectionPool would).
        assert type(pool) is redis.ConnectionPool
        assert pool.connection_kwargs["socket_timeout"] == 0.25
        assert pool.connection_kwargs["socket_connect_timeout"] == 0.25
    assert relay_pool.connection_kwargs["socket_timeout"] == 5


def test_throttle_cache_gives_up_on_a_frozen_redis_at_once_and_then_skips_it(frozen_redis):
    cache = FallbackRedisCache(frozen_redis.url, {"TIMEOUT": 60})
    _, first = timed(lambda: cache.set("throttle", [1, 2]))
    assert first < 1.5  # the request-path timeouts, not REDIS_URL's 5 s
    (value, second) = timed(lambda: cache.get("throttle"))
    assert value == [1, 2] and second < 0.5  # from process memory, Redis not tried again yet
    assert frozen_redis.connections() == 1


def test_readiness_answers_at_once_with_a_frozen_redis(client, settings, frozen_redis):
    settings.REDIS_URL = frozen_redis.url
    response, seconds = timed(lambda: client.get("/api/health/ready/"))
    assert seconds < 1.0
    assert response.status_code == 200
    assert response.json()["status"] == "degraded" and response.json()["checks"]["redis"] == "error"


def test_sign_ups_with_a_frozen_redis_answer_at_once_and_the_relay_sends_their_email(
    client, settings, frozen_redis, redis_broker, caplog
):
    settings.REDIS_URL = frozen_redis.url
    addresses = [f"u{i}@example.com" for i in range(3)]
    results = [timed(lambda address=address: register(client, address)) for address in addresses]
    assert [response.status_code for response, _ in results] == [201, 201, 201]
    assert results[0][1] < 1.5  # one short timeout for the hand-over (the test cache is memory)
    # After that failure the hand-over is paused: the next sign-ups do not try Redis at all.
    assert frozen_redis.connections() == 1
    assert all(seconds < 0.5 for _, seconds in results[1:])
    assert User.objects.count() == 3
    pending = OutboxEmail.objects.filter(enqueued_at=None)
    assert sorted(pending.values_list("to", flat=True)) == addresses
    assert "left pending" in caplog.text
    # Once the pause is over, the next hand-over tries Redis again.
    mail_queue.hand_over_pause.until -= RETRY_AFTER_SECONDS
    assert register(client, "u3@example.com").status_code == 201
    assert frozen_redis.connections(at_least=2) == 2
    # Redis is back (here: the stub broker): the relay hands every pending email over.
    settings.MAIL_QUEUE_BROKER = "stub"
    mail_queue.get_broker.cache_clear()
    mail_queue.get_request_broker.cache_clear()
    assert mail_queue.publish_pending() == 4
    assert sorted(p["to"] for p in queued_payloads()) == [*addresses, "u3@example.com"]


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("database is locked"),
        redis.exceptions.ConnectionError("Connection refused"),
        redis.exceptions.TimeoutError("Timeout reading from socket"),
    ],
    ids=["database-locked", "broker-connection-error", "broker-timeout"],
)
def test_a_failing_hand_over_after_commit_cannot_fail_the_request(client, monkeypatch, caplog, error):
    def failing_publish(outbox_id, **kwargs):
        raise error

    monkeypatch.setattr(mail_queue, "publish", failing_publish)
    response = register(client, "ada@example.com")
    assert response.status_code == 201
    assert User.objects.filter(email="ada@example.com").exists()
    email = OutboxEmail.objects.get()
    assert email.enqueued_at is None and email.payload is not None and email.payload["to"] == "ada@example.com"
    warnings = [r for r in caplog.records if r.levelname == "WARNING" and str(email.id) in r.getMessage()]
    assert warnings and type(error).__name__ in warnings[0].getMessage()
    assert "confirm-email/" not in caplog.text  # the one-time link stays out of the log
    monkeypatch.undo()
    assert mail_queue.publish_pending() == 1  # the relay's hand-over
    assert [p["to"] for p in queued_payloads()] == ["ada@example.com"]
