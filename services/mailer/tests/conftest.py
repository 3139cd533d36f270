import os

# Before any mailer import: an in-memory broker and fast retries.
os.environ.setdefault("MAILER_BROKER", "stub")
os.environ.setdefault("MAILER_MIN_BACKOFF_MS", "10")
os.environ.setdefault("MAILER_MAX_BACKOFF_MS", "50")
os.environ.setdefault("MAILER_MAX_RETRIES", "3")
os.environ.setdefault("SMTP_TIMEOUT", "5")

import socket  # noqa: E402
import uuid  # noqa: E402
from datetime import UTC, datetime, timedelta  # noqa: E402

import pytest  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from aiosmtpd.smtp import Envelope  # noqa: E402
from dramatiq import Worker  # noqa: E402


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_payload(**overrides):
    now = datetime.now(UTC)
    payload = {
        "version": 1,
        "id": str(uuid.uuid4()),
        "kind": "confirm_email",
        "to": "ada@example.com",
        "subject": "Confirm your email address",
        "text": "Open http://127.0.0.1:8080/confirm-email/abc to confirm.\n",
        "html": None,
        "created_at": now.isoformat(),
        "expires_at": (now + timedelta(hours=1)).isoformat(),
    }
    payload.update(overrides)
    return payload


class RecordingHandler:
    """An SMTP server's handler: answers with scripted replies, then accepts and records."""

    def __init__(self):
        self.messages: list[Envelope] = []
        self.scripted_replies: list[str] = []
        self.attempts = 0

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.scripted_replies:
            return self.scripted_replies.pop(0)
        self.messages.append(envelope)
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server(monkeypatch):
    handler = RecordingHandler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    from mailer import settings as settings_module

    patched = settings_module.Settings(**{**settings_module.settings.__dict__, "smtp_host": "127.0.0.1",
                                          "smtp_port": port})
    monkeypatch.setattr("mailer.actors.settings", patched)
    yield handler, patched
    controller.stop()


@pytest.fixture
def stub_broker():
    from mailer.broker import broker

    broker.flush_all()
    yield broker
    broker.flush_all()


@pytest.fixture
def worker(stub_broker):
    worker = Worker(stub_broker, worker_timeout=50)
    worker.start()
    yield worker
    worker.stop()
