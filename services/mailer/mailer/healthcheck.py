"""Container health check: the worker process is alive and Redis answers.

Used by the image's HEALTHCHECK; issue-4 work adds an HTTP health endpoint with metrics.
"""
import sys
from pathlib import Path

import redis

from mailer.settings import settings


def worker_running():
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:
            continue
        if any(arg.endswith(b"dramatiq") for arg in argv[:2]) and b"mailer.actors" in argv:
            return True
    return False


def main():
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3)
    try:
        client.ping()
    except redis.RedisError as exc:
        print(f"redis: {type(exc).__name__}")
        return 1
    if not worker_running():
        print("worker: not running")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
