"""Builds the MIME message for a contract v1 or v2 payload and hands it to the SMTP server.

Failures are sorted into transient (the same email may go through later: retry) and permanent
(a 5xx refusal of this email: retrying cannot help).

Each worker thread keeps its SMTP connection for the next email (a threading.local), since
connecting (DNS, TCP, TLS, AUTH) costs far more than sending: up to
MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION emails, and not after MAILER_SMTP_IDLE_S idle seconds. A
kept connection is checked with NOOP before use; a failed transaction discards it; the
CloseConnections middleware closes it when the worker thread stops.
"""

import smtplib
import ssl
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

import dramatiq
from dramatiq.worker import WorkerThread

from mailer.contract import ascii_address
from mailer.settings import Settings


class TransientDeliveryError(dramatiq.Retry):
    """The server or the network may accept the email later: retry with backoff.

    A dramatiq.Retry, so the Retries middleware retries it with the actor's backoff but the worker
    does not log it as a crash with a traceback: the actor logs one line for it instead.
    """


class PermanentDeliveryError(Exception):
    """The server refused this email for good (5xx): retrying cannot help."""


def build_message(payload: dict[str, Any], settings: Settings) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = ascii_address(payload["to"])
    message["Subject"] = payload["subject"]
    message["Date"] = format_datetime(datetime.now(UTC))
    # Derived from the payload id, so every retry of one email carries the same Message-ID and a
    # duplicate delivery (worker killed after the server accepted it) can be recognised.
    message["Message-ID"] = f"<{payload['id']}@{settings.message_id_domain}>"
    # RFC 3834: sent by a program, not a person. Auto-responders ("out of office") do not answer it.
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(payload["text"])
    # An empty html part would make mail clients show an empty email: treat "" like null.
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    # RFC 3282, for the whole email: set after the body, since making the email multipart moves every
    # Content-* header into its first part. A v2 payload's `language`, validated by then: letters,
    # digits and hyphens only, so it cannot end the header (and the email package refuses CR and LF).
    if "language" in payload:
        message["Content-Language"] = payload["language"]
    return message


def _connect(settings: Settings) -> smtplib.SMTP:
    if settings.smtp_use_ssl:
        return smtplib.SMTP_SSL(
            settings.smtp_host,
            settings.smtp_port,
            timeout=settings.smtp_timeout,
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


def _by_code(code: int) -> type[TransientDeliveryError | PermanentDeliveryError]:
    # 530 (authentication or STARTTLS required, RFC 4954/3207) refuses our session, not this email:
    # a configuration error the operator fixes, after which the email should still go out.
    return PermanentDeliveryError if code >= 500 and code != 530 else TransientDeliveryError


def _quit_quietly(client: smtplib.SMTP) -> None:
    # The server has the email (or the connection is being retired): how the session ends no
    # longer matters, and raising here would retry (so duplicate) an email that was delivered.
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        client.close()


# What a kept connection was opened with: host, port, STARTTLS, implicit TLS, user, password, timeout.
_Key = tuple[str, int, bool, bool, str, str, int]


class _Connection:
    """A logged-in SMTP client kept by one thread, with what decides whether it may be reused."""

    def __init__(self, client: smtplib.SMTP, key: _Key) -> None:
        self.client = client
        self.key = key  # the settings it was opened with: other settings need another connection
        self.messages = 0  # emails the server accepted on it
        self.idle_since = time.monotonic()


_local = threading.local()  # .connection: the calling thread's kept _Connection, or None


def _key(settings: Settings) -> _Key:
    return (
        settings.smtp_host,
        settings.smtp_port,
        settings.smtp_use_tls,
        settings.smtp_use_ssl,
        settings.smtp_user,
        settings.smtp_password,
        settings.smtp_timeout,
    )


def _take_connection() -> _Connection | None:
    # Taken out of the cache while in use: whatever happens to it (an error, a time-limit
    # interrupt), it is only kept again after a successful transaction.
    connection = getattr(_local, "connection", None)
    _local.connection = None
    return connection


def close_thread_connection() -> None:
    """QUIT the calling thread's kept connection, if any; never raises."""
    connection = _take_connection()
    if connection is not None:
        _quit_quietly(connection.client)


def _reusable(settings: Settings) -> _Connection | None:
    """The thread's kept connection if it may carry another email and answers NOOP, else None.

    Never raises an SMTP or network error: a connection the server dropped while idle is stale,
    not a failure of this email, which then goes out on a new connection.
    """
    connection = _take_connection()
    if connection is None:
        return None
    client = connection.client
    if (
        connection.key != _key(settings)
        or connection.messages >= settings.smtp_max_messages_per_connection
        or time.monotonic() - connection.idle_since > settings.smtp_idle_s
    ):
        _quit_quietly(client)
        return None
    try:
        code, _ = client.noop()
    except (smtplib.SMTPException, OSError):
        client.close()  # dropped or broken: a QUIT would fail too, or wait SMTP_TIMEOUT for nothing
        return None
    except BaseException:
        client.close()
        raise
    if code != 250:
        _quit_quietly(client)
        return None
    return connection


def _open(settings: Settings) -> _Connection:
    client = _connect(settings)
    try:
        if settings.smtp_user:
            client.login(settings.smtp_user, settings.smtp_password)
    except BaseException as exc:
        _discard(client, exc)
        raise
    return _Connection(client, _key(settings))


def _discard(client: smtplib.SMTP, exc: BaseException) -> None:
    # After a reply (4xx/5xx refusal, bad credentials) the session still works: end it properly.
    # After a network error, a timeout or an interrupt its state is unknown: just close the socket,
    # rather than wait up to SMTP_TIMEOUT again for a QUIT.
    if isinstance(exc, smtplib.SMTPException | PermanentDeliveryError):
        _quit_quietly(client)
    else:
        client.close()


def _transact(message: EmailMessage, recipient: str, settings: Settings, on_accepted: Callable[[], None]) -> None:
    connection = _reusable(settings) or _open(settings)
    client = connection.client
    try:
        try:
            # The envelope recipient is the payload's address (its domain in ASCII form), not a re-parse
            # of the To header.
            client.send_message(message, to_addrs=[recipient])
        except smtplib.SMTPNotSupportedError:
            # Raised here only for a non-ASCII address on a relay without SMTPUTF8. The recipient
            # always goes out in ASCII (ascii_address), so only a non-ASCII MAIL_FROM address does:
            # this relay will never carry it.
            raise PermanentDeliveryError("SMTPNotSupportedError: the address needs SMTPUTF8") from None
        connection.messages += 1
        on_accepted()
    except BaseException as exc:
        _discard(client, exc)
        raise
    if connection.messages >= settings.smtp_max_messages_per_connection:
        _quit_quietly(client)
    else:
        connection.idle_since = time.monotonic()
        _local.connection = connection


def send(payload: dict[str, Any], settings: Settings, on_accepted: Callable[[], None] = lambda: None) -> None:
    """Deliver one validated payload; raise TransientDeliveryError or PermanentDeliveryError on failure.

    `on_accepted` is called as soon as the server has accepted the email (its 250 reply to DATA),
    before anything else is said on the connection, so the caller can record the delivery with as
    short a window as possible. The connection is then kept for this thread's next email, or
    QUIT once it has carried settings.smtp_max_messages_per_connection emails.
    """
    message = build_message(payload, settings)
    try:
        _transact(message, ascii_address(payload["to"]), settings, on_accepted)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = sorted(code for code, _ in exc.recipients.values())
        # Sorted by the same rule as every other reply: a 530 refuses the session, not the address.
        raise _by_code(codes[0] if codes else 450)(f"recipient refused {codes}") from None
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


class CloseConnections(dramatiq.Middleware):
    """QUITs each worker thread's kept SMTP connection when the thread stops (a shutdown)."""

    def before_worker_thread_shutdown(self, broker: dramatiq.Broker, thread: WorkerThread) -> None:
        # Dramatiq calls this hook from the stopping worker thread itself, whose connection it is.
        close_thread_connection()
