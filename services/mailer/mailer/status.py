"""GET /metrics and GET /healthz, served from inside the worker process.

StatusServer is a Dramatiq middleware: after_worker_boot starts a small HTTP server in a daemon
thread of the process that runs the actor, so the counters it serves are the ones the actor
increments. That is why bin/start-mailer.sh runs exactly one worker process (`--processes 1`):
several processes would each count on their own, and only one could have the port.
"""

import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import redis
from dramatiq import Broker, Middleware, Worker
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, generate_latest

from mailer.metrics import QueueDepthCollector

logger = logging.getLogger("mailer")


class Health:
    """Whether this process is doing its job: consuming the queue, with Redis answering."""

    def __init__(self, worker: Worker | None = None, redis_client: redis.Redis | None = None) -> None:
        self.worker = worker
        self.redis_client = redis_client  # None on the StubBroker
        self.stopping = False

    def problem(self) -> str | None:
        """None when healthy, else a one-line reason."""
        if self.worker is None:
            return "worker not started"
        if self.stopping:
            return "worker shutting down"
        if not self.worker.consumers:
            return "no queue consumer"
        for queue_name, thread in self.worker.consumers.items():
            if not thread.is_alive():
                return f"consumer of queue {queue_name} stopped"
        if not any(thread.is_alive() for thread in self.worker.workers):
            return "no worker thread alive"
        if self.redis_client is not None:
            try:
                self.redis_client.ping()
            except redis.RedisError as exc:
                return f"Redis does not answer a PING ({type(exc).__name__})"
        return None


class _Server(ThreadingHTTPServer):
    """The HTTP server, with the Health its /healthz reports."""

    def __init__(self, address: tuple[str, int], health: Health) -> None:
        super().__init__(address, _Handler)
        self.health = health


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_GET(self) -> None:  # the name http.server calls
        path = self.path.split("?", 1)[0]
        if path == "/metrics":
            self._reply(200, generate_latest(REGISTRY), CONTENT_TYPE_LATEST)
        elif path == "/healthz":
            problem = self.server.health.problem()
            self._reply(503 if problem else 200, f"{problem or 'ok'}\n".encode())
        else:
            self._reply(404, b"not found\n")

    def _reply(self, status: int, body: bytes, content_type: str = "text/plain; charset=utf-8") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # http.server's signature
        pass  # a scrape every few seconds would drown the email log lines


def serve(host: str, port: int, health: Health) -> ThreadingHTTPServer:
    """Start the HTTP server in a daemon thread; return it (server.shutdown() stops it)."""
    server = _Server((host, port), health)  # IPv4: MAILER_METRICS_HOST is an IPv4 address
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, name="mailer-status", daemon=True).start()
    return server


class StatusServer(Middleware):
    """Serves /metrics and /healthz for the lifetime of the worker; port 0 turns it off."""

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port
        self.health: Health | None = None
        self.server: ThreadingHTTPServer | None = None
        self.collector: QueueDepthCollector | None = None

    def after_worker_boot(self, broker: Broker, worker: Worker) -> None:
        if not self.port:
            return
        # The broker's own client: health means "the Redis this worker consumes from answers".
        client = getattr(broker, "client", None)  # RedisBroker has one; the StubBroker has not
        self.health = Health(worker, client)
        if client is not None:
            self.collector = QueueDepthCollector(client)
            REGISTRY.register(self.collector)
        try:
            self.server = serve(self.host, self.port, self.health)
        except OSError as exc:
            # The worker still delivers; the health check, which asks this server, reports it.
            logger.error("cannot serve metrics on %s:%s: %s", self.host, self.port, exc)
            return
        logger.info("metrics and health on http://%s:%s/metrics and /healthz", self.host, self.port)

    def before_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        if self.health is not None:
            self.health.stopping = True  # a readiness probe sees it while in-flight emails finish

    def after_worker_shutdown(self, broker: Broker, worker: Worker) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None
        if self.collector is not None:
            REGISTRY.unregister(self.collector)
            self.collector = None
