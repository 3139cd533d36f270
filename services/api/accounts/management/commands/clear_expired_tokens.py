"""`manage.py clear_expired_tokens`: deletes expired login tokens in small batches, and prunes the
security log past SECURITY_LOG_RETENTION_DAYS (accounts.security_log.prune).

The authentication class refuses expired tokens but never deletes them (stock knox does, by
loading every token of the user on every request). This is the scheduled cleanup: a Kubernetes
CronJob, a systemd timer or the compose service run it (`--every` keeps it running in a loop).
Each batch is its own short transaction on the expiry index, so logins and token checks are
never blocked behind one long delete.
"""

import logging
import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from accounts import security_log
from accounts.models import AuthToken

logger = logging.getLogger("token_cleanup")


def clear_expired_tokens(batch_size=5000, pause=0.0, should_stop=lambda: False):
    """Delete expired tokens `batch_size` at a time; returns (deleted, batches)."""
    deleted = batches = 0
    now = timezone.now()  # tokens expiring while we run are left for the next run
    while not should_stop():
        keys = list(AuthToken.objects.filter(expiry__lt=now).values_list("pk", flat=True)[:batch_size])
        if not keys:
            break
        count, _ = AuthToken.objects.filter(pk__in=keys, expiry__lt=now).delete()
        deleted += count
        batches += 1
        if len(keys) < batch_size:
            break
        if pause:
            time.sleep(pause)
    return deleted, batches


def positive(value):
    number = int(value)
    if number < 1:
        raise ValueError(value)
    return number


class Command(BaseCommand):
    help = "Delete expired login tokens in batches (run it on a schedule, or loop with --every)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch-size", type=positive, default=5000, help="Tokens deleted per transaction (default 5000)."
        )
        parser.add_argument(
            "--pause-ms", type=int, default=0, help="Pause between batches, to leave the database room (default 0)."
        )
        parser.add_argument(
            "--every",
            type=positive,
            default=None,
            metavar="SECONDS",
            help="Keep running, one cleanup every SECONDS (the compose service).",
        )

    def handle(self, *args, batch_size, pause_ms, every, **options):
        if pause_ms < 0:
            raise CommandError("--pause-ms must be 0 or more")
        stopping = []
        if every:
            for sig in (signal.SIGTERM, signal.SIGINT):
                signal.signal(sig, lambda *_: stopping.append(True))
        while True:
            started = time.monotonic()
            deleted, batches = clear_expired_tokens(batch_size, pause_ms / 1000, should_stop=lambda: bool(stopping))
            pruned = security_log.prune()
            summary = (
                f"deleted {deleted} expired tokens in {batches} batches, {pruned} security events past "
                f"the retention ({time.monotonic() - started:.1f} s)"
            )
            logger.info(summary)
            self.stdout.write(summary)
            if not every:
                return
            close_old_connections()
            deadline = time.monotonic() + every
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(1.0, deadline - time.monotonic()))
            if stopping:
                return
