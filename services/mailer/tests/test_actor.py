"""The send_email actor end to end: Dramatiq's StubBroker and a Worker, a real SMTP server."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from dramatiq.middleware import Retries

from mailer import actors, smtp
from mailer.actors import send_email
from mailer.contract import InvalidMessage
from tests.helpers import free_port, make_payload


def outcomes(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "mailer"]


def test_the_actor_is_the_contracts():
    assert send_email.actor_name == "send_email"
    assert send_email.queue_name == "emails"
    # From MAILER_* (conftest sets tiny values); the bound is what matters, not Dramatiq's 7 days.
    # The Retries middleware holds them, for every actor: the actor sets none of its own.
    (retries,) = [m for m in send_email.broker.middleware if isinstance(m, Retries)]
    assert (retries.max_retries, retries.min_backoff, retries.max_backoff) == (3, 10, 50)
    assert not {"max_retries", "min_backoff", "max_backoff"} & set(send_email.options)
    assert set(send_email.options["throws"]) == {InvalidMessage, smtp.PermanentDeliveryError}


def test_a_deferred_email_is_retried_and_delivered_once(smtp_server, stub_broker, run, caplog):
    caplog.set_level("INFO", logger="mailer")
    smtp_server.handler.data_replies.append("451 4.3.0 Try again later")
    payload = make_payload()

    run(payload)

    assert smtp_server.handler.attempts == 2
    (envelope,) = smtp_server.handler.messages
    assert f"<{payload['id']}@auth-platform.local>".encode() in envelope.original_content
    assert stub_broker.dead_letters == []
    first, second = outcomes(caplog)
    assert "outcome=retry" in first and "attempt=1" in first and "SMTPDataError 451" in first
    assert "outcome=sent" in second and "attempt=2" in second and f"id={payload['id']}" in second


def test_server_down_is_retried_until_it_comes_back(smtp_server, stub_broker, run, monkeypatch):
    # Down for the first two attempts, then the real server.
    down = replace(smtp_server.settings, smtp_port=free_port())
    attempts = []
    real_send = smtp.send

    def send(payload, settings, **kwargs):
        attempts.append(payload["id"])
        real_send(payload, down if len(attempts) <= 2 else settings, **kwargs)

    monkeypatch.setattr(actors.smtp, "send", send)
    run(make_payload())
    assert len(attempts) == 3 and len(smtp_server.handler.messages) == 1
    assert stub_broker.dead_letters == []


def test_retries_stop_after_max_retries(smtp_server, stub_broker, run, caplog):
    caplog.set_level("INFO", logger="mailer")
    smtp_server.handler.data_replies += ["451 4.3.0 Try again later"] * 10

    run(make_payload())

    assert smtp_server.handler.attempts == 4  # the first try and MAILER_MAX_RETRIES=3 retries
    assert smtp_server.handler.messages == []
    assert len(stub_broker.dead_letters) == 1
    assert "outcome=gave_up" in outcomes(caplog)[-1] and "attempt=4" in outcomes(caplog)[-1]


@pytest.mark.parametrize("stage, reply", [("data", "554 5.7.1 Rejected"), ("rcpt", "550 5.1.1 No such user")])
def test_a_permanent_refusal_is_not_retried(smtp_server, stub_broker, run, caplog, stage, reply):
    caplog.set_level("INFO", logger="mailer")
    getattr(smtp_server.handler, f"{stage}_replies").extend([reply] * 5)

    run(make_payload(to="nobody@example.com"))

    assert len(getattr(smtp_server.handler, f"{stage}_replies")) == 4  # asked exactly once
    assert smtp_server.handler.messages == []
    (dead,) = stub_broker.dead_letters
    assert dead.options.get("retries", 0) == 0
    with pytest.raises(smtp.PermanentDeliveryError):
        stub_broker.join("emails", timeout=1000)  # fail_fast re-raises what killed the message
    assert "outcome=refused" in outcomes(caplog)[0]


def test_an_invalid_message_is_not_retried(smtp_server, stub_broker, run, caplog):
    caplog.set_level("INFO", logger="mailer")

    run(make_payload(version=3))

    assert smtp_server.handler.attempts == 0
    (dead,) = stub_broker.dead_letters
    assert dead.options.get("retries", 0) == 0
    (line,) = outcomes(caplog)
    assert "outcome=invalid" in line and "code=unknown_version" in line


@pytest.mark.parametrize("kind", [["confirm_email"], {"a": 1}])
def test_an_unhashable_kind_is_invalid_not_a_crash(smtp_server, stub_broker, run, caplog, kind):
    # The kind is looked up for the metrics before the payload is checked: that must not raise.
    caplog.set_level("INFO", logger="mailer")

    run(make_payload(kind=kind))

    assert smtp_server.handler.attempts == 0
    (dead,) = stub_broker.dead_letters
    assert dead.options.get("retries", 0) == 0
    (line,) = outcomes(caplog)
    assert "outcome=invalid" in line and "code=bad_type" in line


def test_an_expired_message_is_dropped_not_sent(smtp_server, stub_broker, run, caplog):
    caplog.set_level("INFO", logger="mailer")
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()

    run(make_payload(expires_at=past))

    assert smtp_server.handler.attempts == 0
    assert stub_broker.dead_letters == []  # done, not failed: nothing to look at later
    (line,) = outcomes(caplog)
    assert "dropped expired" in line and "outcome=expired" in line


@pytest.mark.parametrize("scenario", ["sent", "retried", "refused", "invalid"])
def test_no_log_line_contains_the_body(smtp_server, run, caplog, scenario):
    # DEBUG on every logger, Dramatiq's included: its worker prints whole messages when they fail.
    caplog.set_level("DEBUG")
    secret = "secret-code-123456"
    payload = make_payload(text=f"Your code is {secret}\n", html=f"<p>{secret}</p>")
    if scenario == "retried":
        smtp_server.handler.data_replies.append("451 4.3.0 Try again later")
    elif scenario == "refused":
        smtp_server.handler.data_replies.append("554 5.7.1 Rejected")
    elif scenario == "invalid":
        payload["extra"] = "x"

    message = run(payload)

    # Our logs and Dramatiq's; not the test SMTP server's own debug log ("mail.log").
    text = "\n".join(record.getMessage() for record in caplog.records if record.name != "mail.log")
    assert "Received args='[redacted]'" in text  # Dramatiq's actor debug line, redacted
    if scenario in ("refused", "invalid"):
        assert f"Failed to process message send_email[{message.message_id}]" in text
    assert secret not in text


def test_an_unruly_id_is_logged_on_one_line(smtp_server, run, caplog):
    caplog.set_level("INFO", logger="mailer")
    run(make_payload(id="x\nFAKE outcome=sent"))
    (line,) = outcomes(caplog)
    assert "\n" not in line and "outcome=invalid" in line
