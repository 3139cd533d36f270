"""Each thread keeps its SMTP connection for the next email (mailer.smtp), against a real aiosmtpd server.

The server counts sessions (one EHLO each, RecordingHandler.sessions) and records which session
carried each accepted email (RecordingHandler.carried_by) and each QUIT (quit_by).
"""

import email
import email.policy
import threading
from dataclasses import replace
from types import SimpleNamespace
from typing import cast

import pytest
from dramatiq import Broker, Worker
from dramatiq.worker import WorkerThread

from mailer import actors, smtp
from mailer.broker import build_middleware
from tests.helpers import SmtpServer, make_payload, wait_for


def parse(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def limited(server, messages):
    return replace(server.settings, smtp_max_messages_per_connection=messages)


@pytest.fixture
def clock(monkeypatch):
    """mailer.smtp's monotonic clock, set by the test (only that module's: the server's loop keeps the real one)."""
    now = SimpleNamespace(value=1000.0)
    monkeypatch.setattr(smtp, "time", SimpleNamespace(monotonic=lambda: now.value))
    return now


def test_one_thread_sends_several_emails_over_one_session(smtp_server):
    payloads = [make_payload(to=f"user{n}@example.com", text=f"Email number {n}.\n") for n in range(5)]
    for payload in payloads:
        smtp.send(payload, smtp_server.settings)

    handler = smtp_server.handler
    assert len(handler.sessions) == 1 and handler.carried_by == [0] * 5
    assert handler.noops == 4  # each reuse checked the connection first
    assert handler.quits == 0  # kept for the next email
    # Each email intact, with its own envelope recipient (no state left over from the previous one).
    for payload, envelope in zip(payloads, handler.messages, strict=True):
        assert envelope.rcpt_tos == [payload["to"]]
        message = parse(envelope)
        assert message["To"] == payload["to"]
        assert message["Message-ID"] == f"<{payload['id']}@auth-platform.local>"
        assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == payload["text"]


@pytest.mark.parametrize(
    "limit, carried_by, quits_after_sending",
    [
        (2, [0, 0, 1, 1, 2], [0, 1]),  # QUIT as each connection reaches 2 emails; the third is kept
        (1, [0, 1, 2, 3, 4], [0, 1, 2, 3, 4]),  # as before reuse: connect, send, QUIT, for every email
        (5, [0, 0, 0, 0, 0], [0]),
    ],
)
def test_a_connection_carries_at_most_the_limit(smtp_server, limit, carried_by, quits_after_sending):
    for _ in range(5):
        smtp.send(make_payload(), limited(smtp_server, limit))

    handler = smtp_server.handler
    assert handler.carried_by == carried_by
    assert len(handler.sessions) == max(carried_by) + 1
    assert handler.quit_by == quits_after_sending
    if limit == 1:
        assert handler.noops == 0  # a connection is never reused, so never checked


def test_a_connection_idle_too_long_is_replaced(smtp_server, clock):
    settings = replace(smtp_server.settings, smtp_idle_s=30)
    smtp.send(make_payload(), settings)
    clock.value += 30  # idle exactly smtp_idle_s: still reused
    smtp.send(make_payload(), settings)
    clock.value += 30.5  # longer than smtp_idle_s since the last email
    smtp.send(make_payload(), settings)

    handler = smtp_server.handler
    assert handler.carried_by == [0, 0, 1]
    assert handler.quit_by == [0]  # the expired connection was QUIT, not just dropped
    assert handler.noops == 1  # the expired one was not even checked


@pytest.mark.parametrize("drop", ["closed by the server", "server restarted", "NOOP refused"])
def test_a_connection_the_server_dropped_is_replaced_without_error(smtp_server, drop):
    handler = smtp_server.handler
    smtp.send(make_payload(), smtp_server.settings)
    if drop == "closed by the server":
        transport = handler.sessions[0].transport
        smtp_server.controller.loop.call_soon_threadsafe(transport.close)
        wait_for(transport.is_closing, timeout=5, what="the server to close the connection")
    elif drop == "server restarted":
        smtp_server.stop()
        smtp_server.start()
    else:
        handler.noop_replies.append("421 4.4.2 Idle too long")

    payload = make_payload(to="second@example.com")
    smtp.send(payload, smtp_server.settings)  # no exception: a stale connection is not this email's failure

    assert len(handler.sessions) == 2 and handler.carried_by == [0, 1]
    assert handler.attempts == 2  # the second email went out once, on the new connection
    assert handler.messages[1].rcpt_tos == ["second@example.com"]


@pytest.mark.parametrize(
    "stage, reply, error",
    [
        ("rcpt", "550 5.1.1 No such user", smtp.PermanentDeliveryError),
        ("rcpt", "450 4.2.1 Mailbox busy", smtp.TransientDeliveryError),
        ("mail", "451 4.3.0 Local error", smtp.TransientDeliveryError),
        ("data", "451 4.3.0 Try again later", smtp.TransientDeliveryError),
        ("data", "421 4.4.2 Closing", smtp.TransientDeliveryError),
        ("data", "554 5.7.1 Rejected as spam", smtp.PermanentDeliveryError),
    ],
)
def test_a_failed_transaction_discards_the_connection(smtp_server, stage, reply, error):
    handler = smtp_server.handler
    smtp.send(make_payload(), smtp_server.settings)
    getattr(handler, f"{stage}_replies").append(reply)
    with pytest.raises(error, match=reply[:3]):  # classified exactly as without reuse
        smtp.send(make_payload(), smtp_server.settings)
    # Ended at once, not left open: with QUIT after a refusal, closed after a 421 (smtplib hangs up).
    wait_for(lambda: handler.sessions[0].transport is None, timeout=5, what="the failed session to end")
    assert handler.quit_by == ([] if reply.startswith("421") else [0])

    smtp.send(make_payload(to="next@example.com"), smtp_server.settings)
    assert len(handler.sessions) == 2
    assert handler.carried_by == [0, 1]  # the next email did not reuse the failed session
    assert handler.messages[1].rcpt_tos == ["next@example.com"]


def test_any_exception_discards_the_connection(smtp_server):
    # A BaseException, like Dramatiq's time-limit and shutdown interrupts: the connection's state
    # is unknown, so it is closed, and the exception goes through unchanged.
    class Interrupt(BaseException):
        pass

    def interrupted():
        raise Interrupt

    with pytest.raises(Interrupt):
        smtp.send(make_payload(), smtp_server.settings, on_accepted=interrupted)
    wait_for(lambda: smtp_server.handler.sessions[0].transport is None, timeout=5, what="the session to end")
    assert smtp_server.handler.quit_by == []  # closed: after an interrupt the session's state is unknown
    smtp.send(make_payload(), smtp_server.settings)

    assert smtp_server.handler.carried_by == [0, 1]


def test_a_server_gone_for_good_is_transient_as_before(smtp_server):
    smtp.send(make_payload(), smtp_server.settings)
    smtp_server.stop()
    with pytest.raises(smtp.TransientDeliveryError, match="ConnectionRefusedError"):
        smtp.send(make_payload(), smtp_server.settings)
    smtp_server.start()
    smtp.send(make_payload(), smtp_server.settings)
    assert len(smtp_server.handler.messages) == 2


def test_other_settings_get_their_own_connection(smtp_server):
    # Another server, or another login: the kept connection is QUIT and a new one opened.
    with SmtpServer(smtp_server.settings) as other:
        smtp.send(make_payload(), smtp_server.settings)
        smtp.send(make_payload(), other.settings)
        logged_in = replace(smtp_server.settings, smtp_user="mailer", smtp_password="right password")
        smtp.send(make_payload(), logged_in)
        smtp.send(make_payload(), logged_in)

        assert smtp_server.handler.carried_by == [0, 1, 1]
        assert smtp_server.handler.quit_by == [0]
        assert smtp_server.handler.logins == [(b"mailer", b"right password")]  # once for both emails
        assert other.handler.carried_by == [0] and other.handler.quit_by == [0]


def test_each_thread_has_its_own_connection(smtp_server):
    both_sent_once = threading.Barrier(2, timeout=10)
    errors = []

    def sender(name):
        try:
            smtp.send(make_payload(to=f"{name}-1@example.com"), smtp_server.settings)
            both_sent_once.wait()  # both connections are open and kept at the same time
            smtp.send(make_payload(to=f"{name}-2@example.com"), smtp_server.settings)
            smtp.close_thread_connection()
        except BaseException as exc:  # noqa: BLE001 - reported by the test below
            errors.append(exc)

    threads = [threading.Thread(target=sender, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)

    handler = smtp_server.handler
    assert errors == []
    assert len(handler.sessions) == 2
    session_of = {
        envelope.rcpt_tos[0]: session for envelope, session in zip(handler.messages, handler.carried_by, strict=True)
    }
    assert session_of["a-1@example.com"] == session_of["a-2@example.com"]
    assert session_of["b-1@example.com"] == session_of["b-2@example.com"]
    assert session_of["a-1@example.com"] != session_of["b-1@example.com"]
    assert sorted(handler.quit_by) == [0, 1]  # each thread closed its own


def test_close_thread_connection_quits_it(smtp_server):
    smtp.send(make_payload(), smtp_server.settings)
    assert smtp_server.handler.quits == 0

    smtp.close_thread_connection()
    assert smtp_server.handler.quit_by == [0]
    smtp.close_thread_connection()  # nothing kept any more: does nothing
    assert smtp_server.handler.quits == 1

    smtp.send(make_payload(), smtp_server.settings)
    assert smtp_server.handler.carried_by == [0, 1]


def test_close_thread_connection_is_quiet_when_the_server_is_gone(smtp_server):
    smtp.send(make_payload(), smtp_server.settings)
    smtp_server.stop()
    smtp.close_thread_connection()  # does not raise


def test_the_middleware_closes_the_connection_of_the_stopping_thread(smtp_server):
    middleware = [m for m in build_middleware() if isinstance(m, smtp.CloseConnections)]
    assert len(middleware) == 1  # registered with the broker
    smtp.send(make_payload(), smtp_server.settings)

    # Dramatiq calls the hook from the stopping WorkerThread; the hook uses neither argument.
    this_thread = cast(WorkerThread, threading.current_thread())
    middleware[0].before_worker_thread_shutdown(broker=cast(Broker, None), thread=this_thread)

    assert smtp_server.handler.quit_by == [0]


def test_worker_threads_reuse_their_connection_and_quit_it_when_they_stop(
    smtp_server, sent_log, stub_broker, monkeypatch
):
    monkeypatch.setattr(actors, "settings", smtp_server.settings)
    worker = Worker(stub_broker, worker_timeout=20, worker_threads=1)
    worker.start()
    try:
        for _ in range(3):
            actors.send_email.send(make_payload())
        stub_broker.join("emails", timeout=10_000)
        worker.join()
        assert smtp_server.handler.carried_by == [0, 0, 0]
        assert smtp_server.handler.quits == 0
    finally:
        worker.stop()  # returns once the worker threads have run their shutdown hooks

    assert smtp_server.handler.quit_by == [0]
