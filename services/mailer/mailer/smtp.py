"""Builds the MIME message and hands it to the SMTP server, sorting failures into
transient (worth retrying) and permanent (not)."""
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formatdate


class TransientDeliveryError(Exception):
    """The server may accept the message later: retry with backoff."""


class PermanentDeliveryError(Exception):
    """The server refused the message for good (5xx): retrying cannot help."""


def build_message(payload, settings):
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = payload["to"]
    message["Subject"] = payload["subject"]
    message["Date"] = formatdate(localtime=False, usegmt=True)
    # The outbox id: the same email always carries the same Message-ID.
    message["Message-ID"] = f"<{payload['id']}@{settings.message_id_domain}>"
    message.set_content(payload["text"])
    if payload.get("html"):
        message.add_alternative(payload["html"], subtype="html")
    return message


def _classify(code):
    return PermanentDeliveryError if 500 <= code < 600 else TransientDeliveryError


def send(payload, settings):
    message = build_message(payload, settings)
    try:
        if settings.smtp_use_ssl:
            client = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout,
                                      context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=settings.smtp_timeout)
        with client:
            if settings.smtp_use_tls:
                client.starttls(context=ssl.create_default_context())
            if settings.smtp_user:
                client.login(settings.smtp_user, settings.smtp_password)
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        codes = [code for code, _ in exc.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentDeliveryError(f"recipient refused ({codes[0]})") from None
        raise TransientDeliveryError(f"recipient deferred ({codes})") from None
    except (smtplib.SMTPSenderRefused, smtplib.SMTPDataError) as exc:
        raise _classify(exc.smtp_code)(f"refused ({exc.smtp_code})") from None
    except smtplib.SMTPAuthenticationError as exc:
        raise TransientDeliveryError(f"authentication failed ({exc.smtp_code})") from None
    except smtplib.SMTPResponseException as exc:
        raise _classify(exc.smtp_code)(f"smtp error ({exc.smtp_code})") from None
    except (TimeoutError, smtplib.SMTPException, OSError) as exc:
        raise TransientDeliveryError(f"smtp unavailable ({type(exc).__name__})") from None
