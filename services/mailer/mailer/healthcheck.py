"""Container health check (`python -m mailer.healthcheck`): the worker runs and Redis answers.

Exit status 0 when healthy, 1 otherwise, with one line saying why.
"""
import sys
from pathlib import Path

import redis

from mailer.settings import settings


def worker_running(proc=Path("/proc")):
    # The CLI runs as `python .../bin/dramatiq mailer.broker mailer.actors ...`; its worker
    # processes are forks with the same command line.
    for cmdline in proc.glob("[0-9]*/cmdline"):
        try:
            argv = cmdline.read_bytes().split(b"\0")
        except OSError:  # the process ended while we looked
            continue
        if any(arg.endswith(b"dramatiq") for arg in argv[:2]) and b"mailer.actors" in argv:
            return True
    return False


def redis_answers():
    # Fallback timeouts that end the check within the image's HEALTHCHECK --timeout; a timeout in
    # REDIS_URL's query string takes precedence.
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3)
    try:
        return client.ping()
    except redis.RedisError:
        return False
    finally:
        client.close()


def main():
    if not worker_running():
        print("unhealthy: no dramatiq worker process for mailer.actors")
        return 1
    if not redis_answers():
        print("unhealthy: Redis does not answer at REDIS_URL")
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
