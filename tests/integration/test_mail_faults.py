"""Email survives every ordinary fault: fault injection on a native stack of its own.

Redis, the SMTP server, the mailer and the API are stopped, killed and restarted under load; every
accepted request's email must still arrive, exactly once (counted by Message-ID, which is the
outbox id). The stack is separate from the other tests' so a failure here cannot spread. Every wait
is bounded; every test leaves all services running.
"""

import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta

import dramatiq
import pytest
import redis
import requests
from aiosmtpd.controller import Controller
from dramatiq.brokers.redis import RedisBroker

from deploy.native.stack import MAILER_DIR, MAILER_VENV
from tests.integration.conftest import PASSWORD, Gateway, Mailbox, start_stack, stop_stack

DELIVERY_TIMEOUT = 120.0  # bounded: the slowest path is a killed worker's heartbeat timeout plus backoff


@pytest.fixture(scope="module")
def fault_stack():
    # Short backoff bounds and send time limit, so a restored SMTP server is retried, and a killed
    # worker's in-flight emails are released, within seconds rather than minutes.
    stack = start_stack(
        MAILER_MIN_BACKOFF_MS="500",
        MAILER_MAX_BACKOFF_MS="4000",
        MAILER_MAX_RETRIES="30",
        MAILER_SEND_TIME_LIMIT_S="20",
        SMTP_TIMEOUT="5",
    )
    yield stack
    stop_stack(stack)


@pytest.fixture
def gw(fault_stack):
    with Gateway(fault_stack.gateway_url) as session:
        yield session


@pytest.fixture
def box(fault_stack):
    return Mailbox(fault_stack.mail_ui_url)


def addresses(n, tag):
    run = uuid.uuid4().hex[:6]
    return [f"{tag}-{run}-{i}@example.com" for i in range(n)]


def message_ids(box, recipients):
    """Message-ID of every email the catcher holds for these recipients (one entry per copy)."""
    wanted = set(recipients)
    return [e["messageId"] for e in box.messages() if any(r["address"] in wanted for r in e["to"])]


def wait_for_each_once(box, recipients, per_recipient=1, timeout=DELIVERY_TIMEOUT, in_flight=0):
    """Wait until every recipient has its emails, then check that none came twice.

    `in_flight`: how many emails a SIGKILL may have caught between the SMTP server taking the
    whole message and the mailer recording it (docs/mail.md); those may arrive twice, no more.
    """
    deadline = time.monotonic() + timeout
    while True:
        emails = [e for e in box.messages() if any(r["address"] in set(recipients) for r in e["to"])]
        got = Counter(r["address"] for e in emails for r in e["to"])
        if all(got[address] >= per_recipient for address in recipients) or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    missing = [a for a in recipients if got[a] < per_recipient]
    assert not missing, f"{len(missing)} of {len(recipients)} recipients got no email, e.g. {missing[:3]}"
    time.sleep(3)  # a late duplicate (a redelivery) would land now
    copies = Counter(message_ids(box, recipients))
    assert len(copies) == per_recipient * len(recipients)
    twice = [mid for mid, n in copies.items() if n > 1]
    assert len(twice) <= in_flight and all(copies[mid] == 2 for mid in twice), dict(copies.most_common(5))


def register(gw, address):
    return gw.post("/api/auth/register/", json={"email": address, "password": PASSWORD})


def test_redis_down_registrations_are_mailed_once_redis_is_back(fault_stack, gw, box):
    recipients = addresses(20, "redis-down")
    fault_stack.stop_service("redis")
    try:
        statuses = [register(gw, address).status_code for address in recipients]
        assert statuses == [201] * 20
        ready = gw.get("/api/health/ready/")
        assert ready.status_code == 200 and ready.json()["checks"]["redis"] == "error"
        assert ready.json()["outbox"]["pending"] >= 20
        time.sleep(2)
        assert message_ids(box, recipients) == []  # nothing can leave while Redis is down
    finally:
        fault_stack.start_service("redis")
    wait_for_each_once(box, recipients)
    assert gw.get("/api/health/ready/").json()["outbox"]["pending"] == 0


# The API's pause after a Redis failure (core/redis_request.py RETRY_AFTER_SECONDS), plus a margin:
# sign-ups after it try Redis again and must again be bounded by the request-path timeouts.
API_REDIS_RETRY_AFTER_S = 5.0 + 0.5


def timed(call):
    started = time.monotonic()
    try:
        outcome = call()
    except requests.RequestException as exc:
        outcome = exc
    return outcome, round(time.monotonic() - started, 2)


def test_redis_hang_sign_ups_answer_at_once_and_are_mailed_once_redis_resumes(fault_stack, gw, box):
    """A frozen Redis (SIGSTOP: the kernel still accepts connections, nothing answers) must cost a
    request no more than the request path's short Redis timeouts, once per pause; the relay sends
    every email once Redis answers again."""
    recipients = addresses(10, "redis-hang")
    redis_pid = fault_stack.process("redis").pid
    results, lock = {}, threading.Lock()

    def sign_up(address):
        with Gateway(fault_stack.gateway_url) as session:
            # 35 s, past the gateway's 30 s: a request that hangs shows as what the gateway answers.
            response, seconds = timed(
                lambda: session.post("/api/auth/register/", json={"email": address, "password": PASSWORD}, timeout=35)
            )
        with lock:
            results[address] = (getattr(response, "status_code", type(response).__name__), seconds)

    readiness = []

    def check_ready():
        response, seconds = timed(lambda: gw.get("/api/health/ready/", timeout=35))
        readiness.append(
            (
                getattr(response, "status_code", type(response).__name__),
                seconds,
                response.json()["checks"].get("redis") if hasattr(response, "json") else None,
            )
        )

    os.kill(redis_pid, signal.SIGSTOP)
    try:
        for address in recipients[:4]:  # one after another: only each API worker's first waits
            sign_up(address)
        check_ready()
        time.sleep(API_REDIS_RETRY_AFTER_S)
        threads = [threading.Thread(target=sign_up, args=(address,)) for address in recipients[4:]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        check_ready()
    finally:
        os.kill(redis_pid, signal.SIGCONT)
    figures = {address.split("-")[-1]: result for address, result in results.items()}
    print(f"\nsign-ups during the hang (status, s): {figures}\nreadiness: {readiness}")
    assert all(status == 201 and seconds < 3.0 for status, seconds in results.values()), figures
    assert len(results) == 10, figures
    assert all(status == 200 and seconds < 1.0 and redis == "error" for status, seconds, redis in readiness), readiness
    wait_for_each_once(box, recipients)
    deadline = time.monotonic() + 30
    while gw.get("/api/health/ready/").json()["outbox"]["pending"] and time.monotonic() < deadline:
        time.sleep(0.5)
    body = gw.get("/api/health/ready/").json()
    assert body["outbox"]["pending"] == 0 and body["checks"]["redis"] == "ok", body


def test_smtp_down_resets_arrive_once_smtp_is_back(fault_stack, gw, box):
    recipients = addresses(20, "smtp-down")
    for address in recipients:
        assert register(gw, address).status_code == 201
    wait_for_each_once(box, recipients)
    fault_stack.stop_service("maildev")
    try:
        for address in recipients:
            assert gw.post("/api/auth/password/reset/", json={"email": address}).status_code == 202
        retried = wait_for_metric(fault_stack, "mailer_emails_retried_total", minimum=20)
        assert retried >= 20  # every reset was tried and failed at least once
    finally:
        fault_stack.start_service("maildev")  # a fresh catcher: only what arrives from now on
    wait_for_each_once(box, recipients)
    assert all("reset-password" in e["text"] for e in box.messages() if e["to"][0]["address"] in recipients)


def metric(stack, name):
    text = requests.get(f"http://127.0.0.1:{stack.ports['MAILER_METRICS_PORT']}/metrics", timeout=5).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and not line.startswith("#")
    )


def wait_for_metric(stack, name, minimum, timeout=60.0):
    deadline = time.monotonic() + timeout
    while (value := metric(stack, name)) < minimum and time.monotonic() < deadline:
        time.sleep(0.5)
    return value


def contract_message(to, tag):
    """A contract-v1 message (docs/contracts/mail-message-v1.md), built as the API builds it."""
    now = datetime.now(UTC)
    email_id = str(uuid.uuid4())
    payload = {
        "version": 1,
        "id": email_id,
        "kind": "account_deleted",
        "to": to,
        "subject": f"Fault test {tag}",
        "text": f"Fault test {tag}\n",
        "html": None,
        "created_at": now.isoformat(),
        "expires_at": (now + timedelta(hours=1)).isoformat(),
    }
    return dramatiq.Message(
        queue_name="emails", actor_name="send_email", args=(payload,), kwargs={}, options={}, message_id=email_id
    )


def test_worker_killed_mid_batch_every_email_arrives_and_only_the_ones_in_flight_may_repeat(fault_stack, box):
    recipients = addresses(200, "killed")
    broker = RedisBroker(url=fault_stack.env["REDIS_URL"], middleware=[])
    try:
        for i, address in enumerate(recipients):
            broker.enqueue(contract_message(address, i))
    finally:
        broker.close()
    deadline = time.monotonic() + 60
    while len(message_ids(box, recipients)) < 20 and time.monotonic() < deadline:
        time.sleep(0.05)
    fault_stack.stop_service("mailer", sig=signal.SIGKILL)
    delivered_before_kill = len(message_ids(box, recipients))
    fault_stack.start_service("mailer")
    assert 0 < delivered_before_kill < 200, "the kill did not land mid-batch"
    # Every email arrives. The killed worker's marker for an email whose whole message the server
    # already had may be missing: SMTP has no idempotency, so such an email (at most one per
    # thread, those being sent at the kill) is sent again, with the same Message-ID. Everything
    # else that was delivered, prefetched or queued is sent exactly once.
    wait_for_each_once(box, recipients, in_flight=int(fault_stack.env.get("MAILER_THREADS", "4")))


class RefusingHandler:
    """SMTP that refuses every recipient permanently (550), like a server for a dead mailbox."""

    def __init__(self):
        self.refused = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        self.refused.append(address)
        return "550 5.1.1 No such user here"


def dead_letters(stack, *args):
    return subprocess.run(
        [str(MAILER_VENV / "bin" / "python"), "-m", "mailer.deadletters", *args],
        cwd=MAILER_DIR,
        env=stack.service_env(MAILER_VENV),
        capture_output=True,
        text=True,
        timeout=60,
    )


def wait_until_the_mail_queue_is_idle(stack, timeout=120.0):
    """No email waiting, fetched or held for a retry (Dramatiq's message hashes are empty): what an
    earlier test left in flight (a killed worker's emails wait for their lock and its heartbeat)
    has gone out, so it cannot reach the next test's SMTP server."""
    client = redis.Redis.from_url(stack.env["REDIS_URL"])
    deadline = time.monotonic() + timeout
    try:
        while client.hlen("dramatiq:emails.msgs") or client.hlen("dramatiq:emails.DQ.msgs"):
            assert time.monotonic() < deadline, "the mail queue never became idle"
            time.sleep(0.5)
    finally:
        client.close()


def test_permanent_rejection_ends_in_dead_letters_and_replays(fault_stack, gw, box):
    (address,) = addresses(1, "refused")
    wait_until_the_mail_queue_is_idle(fault_stack)
    fault_stack.stop_service("maildev")
    refusing = RefusingHandler()
    controller = Controller(refusing, hostname="127.0.0.1", port=fault_stack.ports["SMTP_PORT"])
    controller.start()
    try:
        assert json.loads(dead_letters(fault_stack, "list", "--json").stdout) == []
        assert register(gw, address).status_code == 201
        deadline = time.monotonic() + 60
        while not (dead := json.loads(dead_letters(fault_stack, "list", "--json").stdout)):
            assert time.monotonic() < deadline, "the refused email never reached the dead letters"
            time.sleep(0.5)
        assert refusing.refused == [address]  # refused once: a permanent failure is not retried
        assert len(dead) == 1 and dead[0]["kind"] == "confirm_email"
        assert address not in dead_letters(fault_stack, "list").stdout  # recipients are masked
    finally:
        controller.stop()
        fault_stack.start_service("maildev")
    replayed = dead_letters(fault_stack, "replay", dead[0]["id"])
    assert replayed.returncode == 0, replayed.stderr
    wait_for_each_once(box, [address])
    assert json.loads(dead_letters(fault_stack, "list", "--json").stdout) == []


def test_api_killed_during_a_burst_loses_no_accepted_email(fault_stack, box):
    recipients = addresses(40, "api-restart")
    accepted, lock = [], threading.Lock()

    def sign_up(chunk):
        with Gateway(fault_stack.gateway_url) as gw:
            for address in chunk:
                try:
                    if register(gw, address).status_code == 201:
                        with lock:
                            accepted.append(address)
                except requests.RequestException:
                    pass  # refused while the API was down: not accepted, nothing owed

    threads = [threading.Thread(target=sign_up, args=(recipients[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + 60
    while len(accepted) < 8 and time.monotonic() < deadline:
        time.sleep(0.05)
    fault_stack.stop_service("api", sig=signal.SIGKILL)
    fault_stack.start_service("api")
    for thread in threads:
        thread.join(120)
    assert len(accepted) >= 8
    wait_for_each_once(box, accepted)
