"""Redis as a request uses it: short timeouts, no retries, and a pause after a failure.

Every Redis call a request waits on (the throttle cache, the email hand-over after the commit,
readiness) has a fallback (process memory; the email stays pending for the outbox relay;
"degraded"), so it should find out quickly that Redis is not answering: a frozen or overloaded
Redis still accepts connections, so only a timeout ends the wait. Each connect and each command
gives up after REDIS_REQUEST_TIMEOUT_S. REDIS_URL's own timeouts (its query string) are for the
relay and the mailer, which can wait.

The timeouts are written into the URL because redis-py lets the URL's query string win over
keyword arguments (ConnectionPool.from_url), and Dramatiq's RedisBroker ignores them when it is
given a URL. The pools built from it are redis-py's plain ConnectionPool, which never waits for a
free connection (BlockingConnectionPool would, 20 s by default): a full pool (`max_connections`)
fails at once and takes the fallback.
"""

import time
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.conf import settings

# After a failure, the request path does not try Redis again for this long: a hung Redis would
# otherwise cost every request a timeout.
RETRY_AFTER_SECONDS = 5.0

# Replaced by the request path's own; retry_on_timeout dropped (the fallback is the retry).
_OVERRIDDEN = {"socket_timeout", "socket_connect_timeout", "retry_on_timeout"}


def request_path_url(url=None):
    """`url` (REDIS_URL by default) with REDIS_REQUEST_TIMEOUT_S for the connect and each command."""
    parts = urlsplit(url or settings.REDIS_URL)
    timeout = str(settings.REDIS_REQUEST_TIMEOUT_S)
    query = [(name, value) for name, value in parse_qsl(parts.query, keep_blank_values=True) if name not in _OVERRIDDEN]
    query += [("socket_connect_timeout", timeout), ("socket_timeout", timeout)]
    return urlunsplit(parts._replace(query=urlencode(query)))


class Pause:
    """Per process: after a failure, skip Redis for RETRY_AFTER_SECONDS, then try again."""

    def __init__(self):
        self.until = 0.0

    def active(self):
        return time.monotonic() < self.until

    def start(self):
        self.until = time.monotonic() + RETRY_AFTER_SECONDS

    def end(self):
        self.until = 0.0
