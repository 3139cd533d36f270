"""Where the emails queue lives in Redis: Dramatiq's keys for it, and the mailer's own.

Dramatiq's layout is described in dramatiq/brokers/redis/dispatch.lua (dramatiq 2.2.1); the tests
check these names against what a real RedisBroker writes. Dramatiq's keys hold *Redis message ids*
(a fresh uuid per enqueue), not the email's id, which is the message's `message_id`.
"""

NAMESPACE = "dramatiq"
QUEUE = "emails"

# List of Redis message ids waiting for a worker (LPOP by a worker's fetch).
READY = f"{NAMESPACE}:{QUEUE}"
# Hash: Redis message id -> encoded message, for waiting messages and for those a worker has fetched
# (prefetched or being sent) but not acknowledged yet.
MESSAGES = f"{READY}.msgs"
# Retries waiting for their backoff: a list and its hash, like the queue itself. A running worker
# fetches delayed messages at once and holds them in memory until their eta, so the list is usually
# empty and the hash is what counts.
DELAYED = f"{NAMESPACE}:{QUEUE}.DQ"
DELAYED_MESSAGES = f"{DELAYED}.msgs"
# Dead letters: a sorted set of Redis message ids scored by when they died (ms since the epoch), and
# the hash of their messages. Dramatiq deletes entries older than the broker's dead_message_ttl
# during its random maintenance runs.
DEAD = f"{NAMESPACE}:{QUEUE}.XQ"
DEAD_MESSAGES = f"{DEAD}.msgs"


def sent(email_id: str) -> str:
    """Set once the SMTP server has accepted this email (mailer/sent_log.py)."""
    return f"mailer:sent:{email_id}"


def sending(email_id: str) -> str:
    """A short lock held by the worker that is sending this email right now."""
    return f"mailer:sending:{email_id}"
