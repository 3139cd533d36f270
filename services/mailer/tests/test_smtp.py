"""mailer.smtp against a real SMTP server (aiosmtpd) in the test process, and against broken ones."""

import email
import email.policy
import socket
import threading
from dataclasses import replace

import pytest
from aiosmtpd.controller import Controller

from mailer import smtp
from tests.helpers import free_port, make_payload


def parse(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def plain(message):
    return message.get_body(("plain",)).get_content().replace("\r\n", "\n")


def test_headers_and_both_bodies(smtp_server):
    payload = make_payload(html="<p>Hello <b>Ada</b></p>")
    smtp.send(payload, smtp_server.settings)

    (envelope,) = smtp_server.handler.messages
    assert envelope.mail_from == "no-reply@auth-platform.local"
    assert envelope.rcpt_tos == ["ada@example.com"]
    message = parse(envelope)
    assert message["Message-ID"] == f"<{payload['id']}@auth-platform.local>"
    assert message["From"] == "Auth Platform <no-reply@auth-platform.local>"
    assert message["To"] == "ada@example.com"
    assert message["Subject"] == "Confirm your email address"
    assert message["Date"] is not None and message["Date"].datetime.tzinfo is not None
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["List-Unsubscribe"] is None  # account mail: nothing to unsubscribe from
    assert message.get_content_type() == "multipart/alternative"
    assert plain(message) == payload["text"]
    assert message.get_body(("html",)).get_content().strip() == "<p>Hello <b>Ada</b></p>"


def test_without_html_the_email_is_plain_text_only(smtp_server):
    smtp.send(make_payload(html=None), smtp_server.settings)
    smtp.send(make_payload(html=""), smtp_server.settings)
    for envelope in smtp_server.handler.messages:
        assert parse(envelope).get_content_type() == "text/plain"


def test_the_body_arrives_intact(smtp_server):
    # Unicode, a line SMTP must dot-stuff, a line longer than SMTP's 998 characters, a link.
    text = "Grüße, 🔐 ünïcödé\n.\n..leading dots\n" + "x" * 2000 + "\nhttp://127.0.0.1:8080/r/a?b=c&d=e\n"
    html = '<p>Grüße</p>\n.\n<a href="http://127.0.0.1:8080/r/a?b=c&amp;d=e">' + "y" * 2000 + "</a>\n"
    smtp.send(make_payload(text=text, html=html, subject="Bienvenue à bord"), smtp_server.settings)

    message = parse(smtp_server.handler.messages[0])
    assert plain(message) == text
    assert message.get_body(("html",)).get_content().replace("\r\n", "\n") == html
    assert message["Subject"] == "Bienvenue à bord"


def test_every_retry_carries_the_same_message_id(smtp_server):
    payload = make_payload()
    smtp.send(payload, smtp_server.settings)
    smtp.send(payload, smtp_server.settings)
    first, second = (parse(envelope)["Message-ID"] for envelope in smtp_server.handler.messages)
    assert first == second == f"<{payload['id']}@auth-platform.local>"


def test_login_only_when_a_user_is_configured(smtp_server):
    smtp.send(make_payload(), smtp_server.settings)
    assert smtp_server.handler.logins == []

    settings = replace(smtp_server.settings, smtp_user="mailer", smtp_password="right password")
    smtp.send(make_payload(), settings)
    assert smtp_server.handler.logins == [(b"mailer", b"right password")]
    assert len(smtp_server.handler.messages) == 2


def test_rejected_credentials_are_retried_and_not_echoed(smtp_server):
    # A 535 is about our configuration, not this email: retry until the operator fixes it.
    settings = replace(smtp_server.settings, smtp_user="mailer", smtp_password="wrong password")
    with pytest.raises(smtp.TransientDeliveryError) as caught:
        smtp.send(make_payload(), settings)
    assert "535" in str(caught.value) and "wrong password" not in str(caught.value)
    assert smtp_server.handler.messages == []


@pytest.mark.parametrize(
    "stage, reply, error",
    [
        ("data", "451 4.3.0 Try again later", smtp.TransientDeliveryError),
        ("data", "421 4.4.2 Closing", smtp.TransientDeliveryError),
        ("data", "554 5.7.1 Rejected as spam", smtp.PermanentDeliveryError),
        ("rcpt", "450 4.2.1 Mailbox busy", smtp.TransientDeliveryError),
        ("rcpt", "550 5.1.1 No such user", smtp.PermanentDeliveryError),
        ("rcpt", "530 5.7.0 Authentication required", smtp.TransientDeliveryError),
        ("mail", "530 5.7.0 Authentication required", smtp.TransientDeliveryError),
        ("mail", "451 4.3.0 Local error", smtp.TransientDeliveryError),
        ("mail", "553 5.1.8 Sender address rejected", smtp.PermanentDeliveryError),
    ],
)
def test_replies_are_classified(smtp_server, stage, reply, error):
    getattr(smtp_server.handler, f"{stage}_replies").append(reply)
    with pytest.raises(error, match=reply[:3]):
        smtp.send(make_payload(), smtp_server.settings)
    assert smtp_server.handler.messages == []


@pytest.mark.parametrize("smtputf8", [True, False])
def test_an_idn_address_goes_out_in_its_ascii_form_to_any_relay(smtp_server, smtputf8):
    """The local part is ASCII by the contract's rule, so the domain's IDNA form is the whole
    address in ASCII: no SMTPUTF8 needed, and no client shows it garbled (the attack run saw
    bücher.example as bÃ¼cher in the mail catcher)."""
    port = free_port()
    controller = Controller(smtp_server.handler, hostname="127.0.0.1", port=port, enable_SMTPUTF8=smtputf8)
    controller.start()
    try:
        smtp.send(make_payload(to="ada@bücher.example"), replace(smtp_server.settings, smtp_port=port))
    finally:
        controller.stop()
    (message,) = smtp_server.handler.messages
    assert message.rcpt_tos == ["ada@xn--bcher-kva.example"]
    assert "To: ada@xn--bcher-kva.example" in message.content.decode("ascii")


def test_server_down_is_transient(smtp_server):
    closed = replace(smtp_server.settings, smtp_port=free_port())
    with pytest.raises(smtp.TransientDeliveryError, match="ConnectionRefusedError"):
        smtp.send(make_payload(), closed)


def _raw_server(behaviour):
    """A TCP server on loopback that accepts one connection and then misbehaves."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(5)

    def serve():
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            behaviour(connection)

    threading.Thread(target=serve, daemon=True).start()
    return listener


def test_a_silent_server_times_out_as_transient(smtp_server):
    done = threading.Event()
    with _raw_server(lambda connection: done.wait(5)) as listener:
        settings = replace(smtp_server.settings, smtp_port=listener.getsockname()[1], smtp_timeout=1)
        try:
            with pytest.raises(smtp.TransientDeliveryError, match="timed out"):
                smtp.send(make_payload(), settings)
        finally:
            done.set()


def test_a_server_hanging_up_is_transient(smtp_server):
    def hang_up_after_greeting(connection):
        connection.sendall(b"220 flaky ESMTP\r\n")
        connection.recv(1024)  # EHLO

    with _raw_server(hang_up_after_greeting) as listener:
        settings = replace(smtp_server.settings, smtp_port=listener.getsockname()[1])
        with pytest.raises(smtp.TransientDeliveryError, match="SMTPServerDisconnected"):
            smtp.send(make_payload(), settings)


def test_an_idn_domain_is_written_as_idna_2008_says(smtp_server):
    """Attack: with IDNA 2003, mail for straße.example went to strasse.example."""
    smtp.send(make_payload(to="x@straße.example"), smtp_server.settings)
    assert smtp_server.handler.messages[0].rcpt_tos == ["x@xn--strae-oqa.example"]
