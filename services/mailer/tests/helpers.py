"""Test helpers: example payloads, a scriptable in-process SMTP server, a real redis-server."""

import shutil
import socket
import subprocess
import time
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import redis
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from dramatiq import Message


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


def make_v2_payload(**overrides):
    """A contract-v2 payload: version 1's fields and the email's language."""
    return make_payload(**{"version": 2, "language": "en", **overrides})


def make_message(payload, **options):
    """The Dramatiq message the API enqueues for a payload (docs/contracts/mail-message-v2.md, its envelope)."""
    return Message(
        queue_name="emails",
        actor_name="send_email",
        args=(payload,),
        kwargs={},
        options=options,
        message_id=payload["id"],
    )


def wait_for(condition, timeout=60, what="the condition"):
    """Poll until condition() is true; fail the test (never hang) after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)


class RecordingHandler:
    """aiosmtpd handler: answers MAIL, RCPT and DATA with scripted replies first, then accepts."""

    def __init__(self):
        self.messages = []  # accepted envelopes
        self.mail_replies, self.rcpt_replies, self.data_replies = [], [], []
        self.attempts = 0  # DATA commands received
        self.logins = []
        self.quits = 0
        self.quit_replies = []
        self.quit_by = []  # for each QUIT, the index in `sessions` of its connection
        # One per EHLO, so one per SMTP session (smtplib sends EHLO once per connection, and again
        # only after STARTTLS): the server side of each session, to count or close connections.
        self.sessions = []
        self.carried_by = []  # for each accepted envelope, the index in `sessions` of its connection
        self.noops = 0
        self.noop_replies = []

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname  # what aiosmtpd does itself when there is no hook
        self.sessions.append(server)
        return responses

    async def handle_NOOP(self, server, session, envelope, arg):
        self.noops += 1
        return self.noop_replies.pop(0) if self.noop_replies else "250 OK"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if self.mail_replies:
            return self.mail_replies.pop(0)
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_replies:
            return self.rcpt_replies.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        self.quits += 1
        self.quit_by.append(self.sessions.index(server) if server in self.sessions else None)
        return self.quit_replies.pop(0) if self.quit_replies else "221 Bye"

    async def handle_DATA(self, server, session, envelope):
        self.attempts += 1
        if self.data_replies:
            return self.data_replies.pop(0)
        self.messages.append(envelope)
        self.carried_by.append(self.sessions.index(server))
        return "250 Message accepted for delivery"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login, auth_data.password))
        # handled=False: aiosmtpd itself answers 235 or 535.
        return AuthResult(success=auth_data.password == b"right password", handled=False)


class SmtpServer:
    """A real SMTP server on 127.0.0.1 in a thread of the test process."""

    def __init__(self, base_settings):
        self.handler = RecordingHandler()
        self.port = free_port()
        self.controller = None
        self.settings = replace(base_settings, smtp_host="127.0.0.1", smtp_port=self.port)

    def start(self):
        """Start listening; again after stop(), on the same port with the same handler (a restart)."""
        # Plain-text AUTH is allowed here only because the server is on loopback in a test.
        # A new Controller each time: a stopped one cannot be started again.
        self.controller = Controller(
            self.handler,
            hostname="127.0.0.1",
            port=self.port,
            authenticator=self.handler.authenticate,
            auth_require_tls=False,
        )
        self.controller.start()

    def stop(self):
        """Stop listening and drop every connection."""
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.stop()


class RedisServer:
    """A real redis-server on a free loopback port, in a temporary directory, persisting nothing."""

    def __init__(self, directory):
        executable = shutil.which("redis-server")
        # Not a skip: these tests are the only check of the Redis code paths (`make system-packages`).
        assert executable, "redis-server is not installed: run `make system-packages`"
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0?socket_timeout=5&socket_connect_timeout=5"
        self.process = subprocess.Popen(
            [
                executable,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(directory),
                "--logfile",
                str(directory / "redis.log"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.client = redis.Redis.from_url(self.url)
        wait_for(self._answers, timeout=20, what="redis-server to answer")

    def _answers(self):
        assert self.process.poll() is None, "redis-server exited at start"
        try:
            return self.client.ping()
        except redis.ConnectionError:
            return False

    def stop(self):
        self.client.close()
        self.process.terminate()
        self.process.wait(timeout=20)
