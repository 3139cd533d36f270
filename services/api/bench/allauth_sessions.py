"""Where django-allauth headless finds an app client's session, per request, in bench mode.

Its session token is a Django session key, and allauth looks it up in the store of
SESSION_ENGINE, one setting for the whole process (the database: Django's default and
allauth's). To measure it with database and with Redis sessions in the same run, the URL prefix
chooses the store: under /api/bench/allauth/redis/ the cache-backed store (Django's own, on the
`bench_sessions` Redis cache), anywhere else SESSION_ENGINE's, as allauth does by itself.
bench.middleware sets the choice for the request; the token strategy below reads it.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from allauth.headless.tokens.strategies.sessions import SessionTokenStrategy
from django.contrib.sessions.backends import cache
from django.contrib.sessions.backends.base import SessionBase

# bench/urls.py mounts allauth and its DRF view under these (config/urls.py: api/bench/).
PREFIX = "/api/bench/allauth/"
DB_PREFIX = PREFIX + "db/"
REDIS_PREFIX = PREFIX + "redis/"
RedisSessionStore = cache.SessionStore  # SESSION_CACHE_ALIAS: bench_sessions

# None: SESSION_ENGINE's store, allauth's own lookup.
_store: ContextVar[type[SessionBase] | None] = ContextVar("bench_allauth_session_store", default=None)


def store_of_path(path: str) -> type[SessionBase] | None:
    return RedisSessionStore if path.startswith(REDIS_PREFIX) else None


@contextmanager
def using(store: type[SessionBase] | None) -> Iterator[None]:
    """Session tokens are looked up in `store` meanwhile (None: SESSION_ENGINE's)."""
    token = _store.set(store)
    try:
        yield
    finally:
        _store.reset(token)


class PrefixSessionTokenStrategy(SessionTokenStrategy):
    """allauth's session token strategy (the token is the session key), in the request's store."""

    def lookup_session(self, session_token: str) -> SessionBase | None:
        store = _store.get()
        if store is None:
            return super().lookup_session(session_token)
        # allauth's SessionTokenStrategy.lookup_session, with the store of the request's prefix.
        if store().exists(session_token):
            return store(session_token)
        return None
