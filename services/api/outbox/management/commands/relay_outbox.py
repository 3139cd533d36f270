"""`manage.py relay_outbox`: hands pending outbox emails to the mail queue, round after round.

It needs only the database, so emails recorded while Redis was down, or by an API process that
died between its commit and its publish, leave as soon as Redis answers again. Run one or more
(each email is claimed before it is handed over: outbox.mail_queue.publish); SIGTERM finishes
the current round and exits.
"""

import logging
import signal
import threading
import time
from wsgiref.simple_server import WSGIRequestHandler, make_server

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections
from prometheus_client import CollectorRegistry, Counter, Gauge, make_wsgi_app

from outbox import mail_queue

logger = logging.getLogger("outbox_relay")


class RelayMetrics:
    def __init__(self):
        self.registry = CollectorRegistry()
        self.published = Counter(
            "outbox_published", "Emails handed to the mail queue by the relay.", registry=self.registry
        )
        self.expired = Counter(
            "outbox_expired", "Pending emails dropped because they expired first.", registry=self.registry
        )
        self.failed_rounds = Counter(
            "outbox_relay_failed_rounds", "Rounds that could not reach the queue or DB.", registry=self.registry
        )
        self.pending = Gauge("outbox_pending", "Emails not yet handed to the mail queue.", registry=self.registry)
        self.oldest = Gauge("outbox_oldest_pending_seconds", "Age of the oldest pending email.", registry=self.registry)
        self.last_round = time.monotonic()


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, *args):  # probes every few seconds: not worth a log line each
        pass


def serve_http(metrics, host, port, interval):
    """/metrics for Prometheus, /healthz for probes: healthy while rounds keep completing."""
    metrics_app = make_wsgi_app(metrics.registry)
    stale_after = max(30.0, interval * 5)

    def app(environ, start_response):
        if environ["PATH_INFO"] == "/healthz":
            healthy = time.monotonic() - metrics.last_round < stale_after
            start_response("200 OK" if healthy else "503 Service Unavailable", [("Content-Type", "text/plain")])
            return [b"ok\n" if healthy else b"stuck: no relay round completed recently\n"]
        return metrics_app(environ, start_response)

    server = make_server(host, port, app, handler_class=_QuietHandler)
    threading.Thread(target=server.serve_forever, daemon=True, name="relay-http").start()
    return server


class Command(BaseCommand):
    help = "Hand pending outbox emails to the mail queue until stopped (--once: one round)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run one round and exit")

    def handle(self, *args, once=False, **options):
        metrics = RelayMetrics()
        if once:
            result = self.round(metrics)
            self.stdout.write("published={published} expired={expired} pending={pending}".format(**result))
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        interval = settings.OUTBOX_RELAY_INTERVAL_S
        if settings.OUTBOX_RELAY_METRICS_PORT:
            serve_http(metrics, settings.OUTBOX_RELAY_METRICS_HOST, settings.OUTBOX_RELAY_METRICS_PORT, interval)
        logger.info("outbox relay started (every %ss)", interval)
        while not stop.is_set():
            self.round(metrics)
            stop.wait(interval)
        logger.info("outbox relay stopped")

    def round(self, metrics):
        close_old_connections()  # a database restart must not kill the relay for good
        try:
            result = mail_queue.relay_once()
            pending, oldest = mail_queue.backlog()
        except Exception:  # noqa: BLE001 - log, count, and try again next round
            logger.exception("outbox relay round failed")
            metrics.failed_rounds.inc()
            return {"published": 0, "expired": 0, "purged": 0, "pending": None}
        metrics.published.inc(result["published"])
        metrics.expired.inc(result["expired"])
        metrics.pending.set(pending)
        metrics.oldest.set(oldest)
        metrics.last_round = time.monotonic()
        if result["published"] or result["expired"]:
            logger.info("outbox relay: %(published)d handed over, %(expired)d expired", result)
        return {**result, "pending": pending}
