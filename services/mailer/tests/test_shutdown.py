"""The real worker (bin/start-mailer.sh) on SIGTERM: finishes the email in flight, loses none, exits 0.

Runs the dramatiq CLI from the venv against the real redis-server and an SMTP server that takes
two seconds to answer each DATA, so an email is in flight when the signal arrives.
"""

import asyncio
import email
import os
import signal
import subprocess
import sys
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from dramatiq import Message
from dramatiq.brokers.redis import RedisBroker

from mailer import redis_keys
from tests.helpers import RecordingHandler, free_port, make_message, make_payload, wait_for

SERVICE = Path(__file__).resolve().parent.parent
SCRIPT = SERVICE / "bin" / "start-mailer.sh"
VENV_BIN = Path(sys.executable).parent
TIMEOUT_S = 60  # every wait fails the test after this, rather than hanging it


def email_id(envelope):
    message_id = email.message_from_bytes(envelope.original_content)["Message-ID"]
    return message_id.strip("<>").split("@")[0]


class SlowHandler(RecordingHandler):
    """Accepts every email, each after `delay` seconds; records which DATA commands arrived."""

    def __init__(self, delay):
        super().__init__()
        self.delay = delay
        self.started = []  # email ids whose DATA arrived, in order

    async def handle_DATA(self, server, session, envelope):
        self.started.append(email_id(envelope))
        await asyncio.sleep(self.delay)
        return await super().handle_DATA(server, session, envelope)

    def delivered(self):
        return Counter(email_id(envelope) for envelope in self.messages)


@pytest.fixture
def slow_smtp():
    # Longer than the 1 s the CLI's worker process may take to notice the signal, so the email is still in
    # flight when the shutdown starts.
    handler = SlowHandler(delay=2.0)
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield handler, controller.port
    controller.stop()


class WorkerProcess:
    """bin/start-mailer.sh in its own session, its output in a file for the failure message."""

    def __init__(self, env, log_path):
        self.log_path = log_path
        self.log = open(log_path, "ab")  # closed in kill()
        self.process = subprocess.Popen(
            [str(SCRIPT)], env=env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def output(self):
        return self.log_path.read_text(errors="replace")[-4000:]

    def terminate(self):
        """SIGTERM, as docker stop or Kubernetes sends it; return the exit status."""
        self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"the worker did not exit within {TIMEOUT_S} s:\n{self.output()}") from None

    def kill(self):
        if self.process.poll() is None:  # only this test's own process group, by its id
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=TIMEOUT_S)
        self.log.close()


def test_sigterm_finishes_the_email_in_flight_and_loses_none(redis_server, redis_client, slow_smtp, tmp_path):
    handler, smtp_port = slow_smtp
    metrics_port = free_port()
    env = {
        "PATH": f"{VENV_BIN}:/usr/bin:/bin",
        "PYTHONUNBUFFERED": "1",
        "MAILER_BROKER": "redis",
        "REDIS_URL": redis_server.url,
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(smtp_port),
        "MAIL_MESSAGE_ID_DOMAIN": "auth-platform.local",
        "MAILER_THREADS": "1",  # one email at a time: the others wait, prefetched or in Redis
        "MAILER_SHUTDOWN_TIMEOUT_S": "30",
        "MAILER_METRICS_HOST": "127.0.0.1",
        "MAILER_METRICS_PORT": str(metrics_port),
    }
    broker = RedisBroker(url=redis_server.url, middleware=[])
    payloads = [make_payload() for _ in range(4)]
    for payload in payloads:
        broker.enqueue(make_message(payload))
    ids = {payload["id"] for payload in payloads}

    first = WorkerProcess(env, tmp_path / "worker-1.log")
    try:
        wait_for(lambda: handler.started, TIMEOUT_S, "an email in flight")
        in_flight = handler.started[0]
        status = first.terminate()
    finally:
        first.kill()

    assert status == 0, first.output()
    delivered = handler.delivered()
    assert delivered[in_flight] == 1, first.output()  # finished, not cut off or sent twice
    assert max(delivered.values()) == 1
    # Nothing lost: every other email is back in the queue for the next worker, none stranded in this
    # worker's unacknowledged set (which only a heartbeat timeout would bring back).
    waiting = Counter(
        Message.decode(redis_client.hget(redis_keys.MESSAGES, redis_id)).message_id
        for redis_id in redis_client.lrange(redis_keys.READY, 0, -1)
    )
    assert set(delivered) | set(waiting) == ids and not set(delivered) & set(waiting)
    assert max(waiting.values()) == 1 and len(waiting) >= 1  # it did stop consuming
    assert not any(redis_client.scard(key) for key in redis_client.keys("dramatiq:__acks__.*"))

    # The next worker delivers the rest, each exactly once; meanwhile it reports healthy.
    handler.delay = 0
    second = WorkerProcess(env, tmp_path / "worker-2.log")
    try:
        wait_for(lambda: set(handler.delivered()) == ids, TIMEOUT_S, "every email delivered")
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/healthz", timeout=5) as response:
            assert response.read() == b"ok\n"
        check = subprocess.run(
            [sys.executable, "-m", "mailer.healthcheck"],
            cwd=SERVICE,
            env=env,
            capture_output=True,
            text=True,
            timeout=TIMEOUT_S,
        )
        assert (check.returncode, check.stdout) == (0, "ok\n")
        with urllib.request.urlopen(f"http://127.0.0.1:{metrics_port}/metrics", timeout=5) as response:
            metrics = response.read().decode()
        assert f'mailer_emails_sent_total{{kind="confirm_email",language="unknown"}} {float(len(waiting))}' in metrics
        status = second.terminate()
    finally:
        second.kill()

    assert status == 0, second.output()
    assert handler.delivered() == Counter(ids)
    assert redis_client.llen(redis_keys.READY) == 0 and redis_client.hlen(redis_keys.MESSAGES) == 0
