"""Remembers which emails the SMTP server has accepted, so no email id is sent twice.

A message can reach the actor more than once for the same email: Dramatiq redelivers the messages
of a worker that died (even one that had finished sending), a retry can follow a send whose outcome
was not recorded, an operator can replay a dead letter, and the API can enqueue one outbox id twice
if it crashes between enqueueing and recording it. The actor therefore

1. takes a short lock on the email id (`mailer:sending:<id>`, SET NX PX, living as long as the
   actor's time limit, MAILER_SEND_TIME_LIMIT_S), so two workers never send the same email at
   once; a busy lock raises EmailInFlight, a dramatiq.Retry whose delay is what is left of the lock
   (plus 100 ms): the message comes back once the lock is over, by when the holder has marked the
   email sent, or failed and let go, or died and its lock expired. One retry (it counts as one of
   MAILER_MAX_RETRIES), not a string of backoffs that could use them all up while a dead worker's
   lock runs out;
2. acknowledges without sending if the marker `mailer:sent:<id>` exists (kept MAILER_SENT_TTL_S);
3. writes the marker as soon as the server has accepted the email (mailer/smtp.py calls back right
   after the 250 reply to DATA, before anything else is said on the connection, which the thread
   may then keep for its next email), then releases the lock if it still holds it. If that write
   fails, the email is not retried (it is out): the actor logs outcome=unrecorded.

One window remains: a worker killed (SIGKILL, power loss) after the server received the whole
message (the final "." of DATA) and before the marker write: the server's own processing of the
message, its 250 reply and one Redis write. With a kept connection that is a good part of each
send, so a kill in the middle of a batch can repeat up to one email per worker thread, those being
sent at that instant. Such a message comes back (redelivered after the heartbeat timeout, then
retried once its lock has run out) and the email is sent a second time, with the same
`Message-ID: <id@MAIL_MESSAGE_ID_DOMAIN>`, which lets mail systems and people recognise the
duplicate. Closing that window would need the SMTP server to take part in a transaction. (SMTP has
a like gap of its own that no marker can close: a server that stored the email but whose 250 never
reached us, the connection lost or SMTP_TIMEOUT over, looks like a failure and is retried.)
"""

import abc
import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import cast

import dramatiq
import redis

from mailer import redis_keys
from mailer.settings import Settings

logger = logging.getLogger("mailer")

# Compare-and-delete: release the lock only if it is still ours. After a very slow send our lock may
# have expired and been taken by another worker; a plain DEL would drop theirs.
_RELEASE = """
if redis.call("get", KEYS[1]) == ARGV[1] then
    return redis.call("del", KEYS[1])
end
return 0
"""

# Come back just after the lock has ended, not just before.
_MARGIN_MS = 100


class EmailInFlight(dramatiq.Retry):
    """Another worker holds the lock for this email: retry later, when it is marked sent (or not)."""


class SentLog(abc.ABC):
    """The operations the actor needs; RedisSentLog and MemorySentLog provide the primitives."""

    @abc.abstractmethod
    def was_sent(self, email_id: str) -> bool: ...

    @abc.abstractmethod
    def mark_sent(self, email_id: str) -> None: ...

    @abc.abstractmethod
    def lock(self, email_id: str) -> str | None:
        """Take the lock; return a token for unlock(), or None if another worker holds it."""

    @abc.abstractmethod
    def lock_remaining_ms(self, email_id: str) -> int:
        """How long the current lock has left (0 if there is none)."""

    @abc.abstractmethod
    def unlock(self, email_id: str, token: str) -> None: ...

    @contextmanager
    def sending(self, email_id: str) -> Iterator[None]:
        token = self.lock(email_id)
        if token is None:
            delay = self.lock_remaining_ms(email_id) + _MARGIN_MS
            raise EmailInFlight("another worker is sending this email", delay=delay)
        try:
            yield
        finally:
            try:
                self.unlock(email_id, token)
            except redis.RedisError as exc:
                # The lock expires by itself; failing here would retry an email that may be sent.
                logger.warning("could not release the sending lock of %s: %s", email_id, type(exc).__name__)


class RedisSentLog(SentLog):
    def __init__(self, client: redis.Redis, sent_ttl_s: int, lock_ms: int) -> None:
        self.client = client
        self.sent_ttl_s = sent_ttl_s
        # As long as the actor's time limit: the lock cannot expire while its holder may still send,
        # and a killed worker's lock frees itself that long after it was taken.
        self.lock_ms = lock_ms
        self._release = client.register_script(_RELEASE)

    def was_sent(self, email_id: str) -> bool:
        return bool(self.client.exists(redis_keys.sent(email_id)))

    def mark_sent(self, email_id: str) -> None:
        self.client.set(redis_keys.sent(email_id), 1, ex=self.sent_ttl_s)

    def lock(self, email_id: str) -> str | None:
        token = secrets.token_hex(16)
        if self.client.set(redis_keys.sending(email_id), token, nx=True, px=self.lock_ms):
            return token
        return None

    def lock_remaining_ms(self, email_id: str) -> int:
        remaining = cast(int, self.client.pttl(redis_keys.sending(email_id)))  # the sync client answers an int
        return max(remaining, 0)  # PTTL answers -2 once it is gone

    def unlock(self, email_id: str, token: str) -> None:
        self._release(keys=[redis_keys.sending(email_id)], args=[token])


class MemorySentLog(SentLog):
    """The same behaviour in one process, for MAILER_BROKER=stub (this service's tests)."""

    def __init__(self, sent_ttl_s: int, lock_ms: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.sent_ttl_s = sent_ttl_s
        self.lock_ms = lock_ms
        self.clock = clock
        self._sent: dict[str, float] = {}  # email id -> expiry
        self._locks: dict[str, tuple[str, float]] = {}  # email id -> (token, expiry)
        self._mutex = threading.Lock()

    def _alive(self, expiry: float) -> bool:
        return expiry > self.clock()

    def was_sent(self, email_id: str) -> bool:
        with self._mutex:
            return self._alive(self._sent.get(email_id, 0))

    def mark_sent(self, email_id: str) -> None:
        with self._mutex:
            self._sent[email_id] = self.clock() + self.sent_ttl_s

    def lock(self, email_id: str) -> str | None:
        with self._mutex:
            held = self._locks.get(email_id)
            if held and self._alive(held[1]):
                return None
            token = secrets.token_hex(16)
            self._locks[email_id] = (token, self.clock() + self.lock_ms / 1000)
            return token

    def lock_remaining_ms(self, email_id: str) -> int:
        with self._mutex:
            _, expiry = self._locks.get(email_id, (None, 0))
            return max(round((expiry - self.clock()) * 1000), 0)

    def unlock(self, email_id: str, token: str) -> None:
        with self._mutex:
            held = self._locks.get(email_id)
            if held and held[0] == token:
                del self._locks[email_id]


def build(settings: Settings, lock_ms: int) -> SentLog:
    if settings.broker == "stub":
        return MemorySentLog(settings.sent_ttl_s, lock_ms)
    # Its own client from REDIS_URL (timeouts in the query string, as for the broker); it connects
    # on first use, not here.
    return RedisSentLog(redis.Redis.from_url(settings.redis_url), settings.sent_ttl_s, lock_ms)
