"""mailer.sent_log: both implementations behave alike; the Redis one runs against a real redis-server."""

import uuid
from dataclasses import replace

import dramatiq
import pytest
import redis

from mailer import redis_keys, sent_log
from mailer.sent_log import EmailInFlight, MemorySentLog, RedisSentLog

SENT_TTL_S = 600
LOCK_MS = 120_000


@pytest.fixture(params=["memory", "redis"])
def log(request):
    if request.param == "memory":
        return MemorySentLog(SENT_TTL_S, LOCK_MS)
    return RedisSentLog(request.getfixturevalue("redis_client"), SENT_TTL_S, LOCK_MS)


@pytest.fixture
def email_id():
    return str(uuid.uuid4())


def test_marking_sent_is_remembered(log, email_id):
    assert not log.was_sent(email_id)
    log.mark_sent(email_id)
    assert log.was_sent(email_id)
    assert not log.was_sent(str(uuid.uuid4()))


def test_the_lock_is_exclusive_until_released(log, email_id):
    token = log.lock(email_id)
    assert token is not None
    assert log.lock(email_id) is None  # a second worker
    assert log.lock(str(uuid.uuid4())) is not None  # another email is not blocked
    log.unlock(email_id, token)
    assert log.lock(email_id) is not None


def test_only_the_holder_releases_the_lock(log, email_id):
    # Our lock expired during a very slow send and another worker took it: ours must not free theirs.
    ours = log.lock(email_id)
    log.unlock(email_id, ours)
    theirs = log.lock(email_id)
    log.unlock(email_id, ours)
    assert log.lock(email_id) is None
    log.unlock(email_id, theirs)
    assert log.lock(email_id) is not None


def test_sending_holds_the_lock_and_always_releases_it(log, email_id):
    with log.sending(email_id):
        with pytest.raises(EmailInFlight):
            with log.sending(email_id):
                pass
    with pytest.raises(RuntimeError):
        with log.sending(email_id):
            raise RuntimeError("SMTP blew up")
    assert log.lock(email_id) is not None  # released both times


def test_in_flight_is_a_quiet_dramatiq_retry():
    # The Retries middleware retries it; the worker does not log it as a crash.
    assert issubclass(EmailInFlight, dramatiq.Retry)


def test_in_flight_comes_back_when_the_lock_ends():
    # One retry, timed to the holder's lock, instead of backoffs that could run out meanwhile.
    now = [1000.0]
    log = MemorySentLog(SENT_TTL_S, lock_ms=120_000, clock=lambda: now[0])
    log.lock("a")
    now[0] += 20
    with pytest.raises(EmailInFlight) as caught:
        with log.sending("a"):
            pass
    assert caught.value.delay == 100_000 + 100


def test_in_flight_delay_from_redis(redis_client, email_id):
    log = RedisSentLog(redis_client, SENT_TTL_S, LOCK_MS)
    log.lock(email_id)
    with pytest.raises(EmailInFlight) as caught:
        with log.sending(email_id):
            pass
    assert caught.value.delay is not None
    assert LOCK_MS - 10_000 < caught.value.delay <= LOCK_MS + 100  # the lock's PTTL, plus a margin
    assert log.lock_remaining_ms(str(uuid.uuid4())) == 0


def test_a_failed_release_does_not_fail_the_send(log, email_id, monkeypatch):
    def unreachable(*args):
        raise redis.ConnectionError("Redis went away")

    monkeypatch.setattr(log, "unlock", unreachable)
    with log.sending(email_id):
        log.mark_sent(email_id)
    assert log.was_sent(email_id)


def test_redis_keys_and_their_lifetimes(redis_client, email_id):
    log = RedisSentLog(redis_client, SENT_TTL_S, LOCK_MS)
    token = log.lock(email_id)
    assert token is not None
    assert redis_client.get(f"mailer:sending:{email_id}") == token.encode()
    assert 0 < redis_client.pttl(f"mailer:sending:{email_id}") <= LOCK_MS
    log.mark_sent(email_id)
    assert redis_client.get(f"mailer:sent:{email_id}") == b"1"
    assert 0 < redis_client.ttl(f"mailer:sent:{email_id}") <= SENT_TTL_S
    log.unlock(email_id, token)
    assert not redis_client.exists(redis_keys.sending(email_id))


def test_memory_entries_expire():
    now = [1000.0]
    log = MemorySentLog(sent_ttl_s=60, lock_ms=5000, clock=lambda: now[0])
    log.mark_sent("a")
    assert log.lock("a") is not None
    now[0] += 5.001
    assert log.lock("a") is not None  # the first lock's holder died: it freed itself
    now[0] += 55
    assert not log.was_sent("a")


def test_built_from_settings():
    from mailer.settings import settings

    assert isinstance(sent_log.build(replace(settings, broker="stub"), LOCK_MS), MemorySentLog)
    built = sent_log.build(
        replace(settings, broker="redis", redis_url="redis://127.0.0.1:6390/3", sent_ttl_s=86_400), LOCK_MS
    )
    assert isinstance(built, RedisSentLog)
    assert (built.sent_ttl_s, built.lock_ms) == (86_400, LOCK_MS)
    assert built.client.connection_pool.connection_kwargs["port"] == 6390
