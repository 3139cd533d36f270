"""Container health check (`python -m mailer.healthcheck`): the worker consumes and Redis answers.

With MAILER_METRICS_PORT set (the default), it asks the worker's own GET /healthz (mailer/status.py),
with urllib since the image has no curl. With the port at 0, it falls back to looking for the worker
process and pinging Redis itself. Exit status 0 when healthy, 1 otherwise, with one line saying why.
"""

import sys
import urllib.error
import urllib.request
from pathlib import Path

import redis

from mailer.settings import settings


def worker_running(proc: Path = Path("/proc")) -> bool:
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


def redis_answers() -> bool:
    # Fallback timeouts that end the check within the image's HEALTHCHECK --timeout; a timeout in
    # REDIS_URL's query string takes precedence.
    client = redis.Redis.from_url(settings.redis_url, socket_timeout=3, socket_connect_timeout=3)
    try:
        return bool(client.ping())
    except redis.RedisError:
        return False
    finally:
        client.close()


def probe_url(host: str, port: int) -> str:
    # The server listens on MAILER_METRICS_HOST; the wildcard address is reached over loopback.
    host = "127.0.0.1" if host == "0.0.0.0" else host  # noqa: S104 - compared, not bound  # nosec B104
    return f"http://{host}:{port}/healthz"


def ask_worker(url: str) -> tuple[bool, str]:
    """Return (healthy, one-line reason) from the worker's /healthz."""
    try:
        # Within the image's HEALTHCHECK --timeout (5 s).
        with urllib.request.urlopen(url, timeout=3) as response:  # noqa: S310 - http:// URL built from our own settings  # nosec B310
            return True, response.read(200).decode(errors="replace").strip()
    except urllib.error.HTTPError as exc:
        return False, exc.read(200).decode(errors="replace").strip() or f"HTTP {exc.code}"
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        return False, f"no answer from the worker at {url} ({reason})"


def main() -> int:
    if settings.metrics_port:
        healthy, reason = ask_worker(probe_url(settings.metrics_host, settings.metrics_port))
        print(reason if healthy else f"unhealthy: {reason}")
        return 0 if healthy else 1
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
