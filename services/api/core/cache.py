"""The default cache: Redis, or this process's memory while Redis cannot be reached.

Only the throttles use the cache. When Redis is down the API keeps serving (emails wait in the
outbox), so the throttle counters fall back to per-process memory: limits still hold per
gunicorn worker instead of failing every request with a 500, or failing open. Each Redis call
gives up after the request path's short timeouts (core/redis_request.py), whatever REDIS_URL's
query string says, so a frozen Redis costs one short wait, not REDIS_URL's timeouts.
"""

import logging
import re
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import RedisError

from core.redis_request import RETRY_AFTER_SECONDS, request_path_url

logger = logging.getLogger(__name__)


class FallbackRedisCache(RedisCache):
    def __init__(self, server, params):
        servers = re.split("[;,]", server) if isinstance(server, str) else server
        super().__init__([request_path_url(url) for url in servers], params)
        self._memory = LocMemCache(f"redis-fallback-{id(self)}", {"TIMEOUT": params.get("TIMEOUT", 300)})
        self._redis_down_until = 0.0

    def _call(self, name, *args, **kwargs):
        if time.monotonic() >= self._redis_down_until:
            try:
                return getattr(super(), name)(*args, **kwargs)
            except RedisError as exc:
                # After a failure Redis is not tried again for a while (RETRY_AFTER_SECONDS).
                self._redis_down_until = time.monotonic() + RETRY_AFTER_SECONDS
                logger.warning(
                    "cache: Redis unavailable (%s); using process memory for %ss",
                    type(exc).__name__,
                    RETRY_AFTER_SECONDS,
                )
        return getattr(self._memory, name)(*args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def decr(self, *args, **kwargs):
        return self._call("decr", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        return self._call("clear")
