"""Delivery through a real SMTP server (aiosmtpd) running in the test process."""
import email
import email.policy
from datetime import UTC, datetime, timedelta

import pytest
from mailer import smtp
from mailer.actors import send_email

from tests.conftest import free_port, make_payload


def parse(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def test_send_builds_headers_and_both_bodies(smtp_server):
    handler, settings = smtp_server
    payload = make_payload(html="<p>Hello <b>Ada</b></p>")
    smtp.send(payload, settings)
    (envelope,) = handler.messages
    assert envelope.rcpt_tos == ["ada@example.com"]
    message = parse(envelope)
    assert message["Message-ID"] == f"<{payload['id']}@auth-platform.local>"
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Confirm your email address"
    assert "no-reply@" in message["From"]
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == payload["text"]
    assert message.get_body(("html",)).get_content().strip() == "<p>Hello <b>Ada</b></p>"


def test_unicode_body_arrives_intact(smtp_server):
    handler, settings = smtp_server
    smtp.send(make_payload(text="Grüße, 🔐 ünïcödé\n", subject="Bienvenue à bord"), settings)
    message = parse(handler.messages[0])
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n") == "Grüße, 🔐 ünïcödé\n"
    assert message["Subject"] == "Bienvenue à bord"


def test_server_down_is_transient(smtp_server):
    _, settings = smtp_server
    closed = type(settings)(**{**settings.__dict__, "smtp_port": free_port()})
    with pytest.raises(smtp.TransientDeliveryError):
        smtp.send(make_payload(), closed)


@pytest.mark.parametrize("reply, error", [
    ("451 4.3.0 Try again later", smtp.TransientDeliveryError),
    ("554 5.7.1 Rejected", smtp.PermanentDeliveryError),
])
def test_replies_are_classified(smtp_server, reply, error):
    handler, settings = smtp_server
    handler.scripted_replies.append(reply)
    with pytest.raises(error):
        smtp.send(make_payload(), settings)


def test_a_refused_send_is_retried_and_delivered_once(smtp_server, stub_broker, worker):
    handler, _ = smtp_server
    handler.scripted_replies += ["451 4.3.0 Try again later", "421 4.4.2 Busy"]
    send_email.send(make_payload())
    stub_broker.join("emails", fail_fast=False)
    worker.join()
    assert handler.attempts == 3
    assert len(handler.messages) == 1
    assert stub_broker.dead_letters == []


def test_permanent_refusal_is_not_retried(smtp_server, stub_broker, worker):
    handler, _ = smtp_server
    handler.scripted_replies += ["550 5.1.1 No such user"] * 5
    send_email.send(make_payload(to="nobody@example.com"))
    stub_broker.join("emails", fail_fast=False)
    worker.join()
    assert handler.attempts == 1 and handler.messages == []
    assert len(stub_broker.dead_letters) == 1


def test_retries_stop_after_max_retries(smtp_server, stub_broker, worker):
    handler, _ = smtp_server
    handler.scripted_replies += ["451 4.3.0 Try again later"] * 10
    send_email.send(make_payload())
    stub_broker.join("emails", fail_fast=False)
    worker.join()
    assert handler.attempts == 4  # the first try and MAILER_MAX_RETRIES=3 retries
    assert handler.messages == [] and len(stub_broker.dead_letters) == 1


def test_invalid_message_is_not_retried(smtp_server, stub_broker, worker):
    handler, _ = smtp_server
    send_email.send(make_payload(version=2))
    stub_broker.join("emails", fail_fast=False)
    worker.join()
    assert handler.attempts == 0 and len(stub_broker.dead_letters) == 1


def test_expired_message_is_dropped_not_sent(smtp_server, stub_broker, worker):
    handler, _ = smtp_server
    past = (datetime.now(UTC) - timedelta(seconds=1)).isoformat()
    send_email.send(make_payload(expires_at=past))
    stub_broker.join("emails", fail_fast=False)
    worker.join()
    assert handler.attempts == 0 and stub_broker.dead_letters == []


def test_logs_never_contain_the_body(smtp_server, stub_broker, worker, caplog):
    handler, _ = smtp_server
    caplog.set_level("INFO", logger="mailer")
    payload = make_payload(text="secret-code-123456 http://127.0.0.1:8080/reset-password/uid/tok\n")
    send_email.send(payload)
    stub_broker.join("emails", fail_fast=False)
    worker.join()
    assert len(handler.messages) == 1
    assert f"id={payload['id']}" in caplog.text and "outcome=sent" in caplog.text
    assert "secret-code-123456" not in caplog.text and "reset-password" not in caplog.text
