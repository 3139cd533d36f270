"""Builds the MIME message for a contract-v1 payload and hands it to the SMTP server.

Failures are sorted into transient (the same email may go through later: retry) and permanent
(a 5xx refusal of this email: retrying cannot help).
"""
import smtplib
import ssl
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime

import dramatiq


class TransientDeliveryError(dramatiq.Retry):
    """The server or the network may accept the email later: retry with backoff.

    A dramatiq.Retry, so the Retries middleware retries it with the actor's backoff but the worker
    does not log it as a crash with a traceback: the actor logs one line for it instead.
    """


class PermanentDeliveryError(Exception):
    """The server refused this email for good (5xx): retrying cannot help."""


def build_message(payload, settings):
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Date"] = format_datetime(datetime.now(UTC))
    # Derived from the payload id, so every retry of one email carries the same Message-ID and a
    # duplicate delivery (worker killed after the server accepted it) can be recognised.
    message["Message-ID"] = f"<{payload['id']}@{settings.message_id_domain}>"
    message.set_content(payload["text"])
    # An empty html part would make mail clients show an empty email: treat "" like null.
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    return message


def _connect(settings):
    if settings.smtp_use_ssl:
        return smtplib.SMTP_SSL(
            settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout,
            context=ssl.create_default_context(),
        )
    client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
    if settings.smtp_use_tls:
        try:
            client.starttls(context=ssl.create_default_context())
        except BaseException:
            client.close()
            raise
    return client


def _by_code(code):
    # 530 (authentication or STARTTLS required, RFC 4954/3207) refuses our session, not this email:
    # a configuration error the operator fixes, after which the email should still go out.
    return PermanentDeliveryError if code >= 500 and code != 530 else TransientDeliveryError


def _quit_quietly(client):
    # The server has the email: how the session ends no longer matters, and raising here would
    # retry (so duplicate) an email that was delivered.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


def send(payload, settings, on_accepted=lambda: None):
    """Deliver one validated payload; raise TransientDeliveryError or PermanentDeliveryError on failure.

    `on_accepted` is called as soon as the server has accepted the email (its 250 reply to DATA),
    before QUIT, so the caller can record the delivery with as short a window as possible.
    """
    message = build_message(payload, settings)
    try:
        with _connect(settings) as client:
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            try:
                # The envelope recipient is the payload's address as is, not a re-parse of the To header.
                client.send_message(message, to_addrs=[payload["to"]])
            except smtplib.SMTPNotSupportedError:
                # Raised here only for a non-ASCII address on a relay without SMTPUTF8: this relay
                # will never carry this email.
                raise PermanentDeliveryError("SMTPNotSupportedError: the address needs SMTPUTF8") from None
            on_accepted()
            _quit_quietly(client)  # then the `with` finds the connection closed and does nothing more
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted(code for code, _ in exc.recipients.values())
        error = PermanentDeliveryError if codes and codes[0] >= 500 else TransientDeliveryError
        raise error(f"recipient refused {codes}") from None
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        raise _by_code(exc.smtp_code)(f"{type(exc).__name__} {exc.smtp_code}") from None
    except (smtplib.SMTPException, OSError) as exc:
        # Everything else concerns the relay, not this email: connection refused or reset,
        # timeouts, TLS errors, SMTPServerDisconnected, and replies to the greeting, HELO, STARTTLS
        # or AUTH (even 5xx ones: wrong credentials are fixed by the operator, and the email should
        # still go out then rather than sit in the dead-letter queue). OSError covers TimeoutError.
        # The reply text is left out (it may echo addresses); other errors say what happened.
        code = getattr(exc, "smtp_code", None)
        detail = f" {code}" if code else f": {str(exc)[:100]}"
        raise TransientDeliveryError(f"{type(exc).__name__}{detail}") from None
