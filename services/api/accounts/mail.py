"""Renders account emails and records them in the outbox; they leave after the commit.

Links are built from settings.FRONTEND_URL, never from the request's Host header.
"""

import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from outbox import mail_queue
from outbox.models import OutboxEmail

from accounts import devices, email_html
from accounts.models import User

logger = logging.getLogger(__name__)

# Notices (password changed, account deleted, ...) carry no secret and stay useful for days,
# but not forever: one still undelivered after a week is dropped rather than sent.
NOTICE_LIFETIME = timedelta(days=7)


# Emails that anyone can trigger for any address (sign-up, resend, reset, email change): capped
# per recipient so nobody can bomb an inbox. Security notices to an account's owner are never
# capped, or an attacker could use up the cap to silence them.
CAPPED_KINDS = {"confirm_email", "account_exists", "password_reset", "confirm_email_change", "login_code"}


def _over_recipient_cap(kind, to, now):
    if kind not in CAPPED_KINDS:
        return False
    recent = OutboxEmail.objects.filter(to=to, kind__in=CAPPED_KINDS, created_at__gte=now - timedelta(hours=1))
    return recent.count() >= settings.MAIL_RECIPIENT_HOURLY_CAP


def render(kind: str, language: str, context: dict) -> tuple[str, str]:
    """The subject and plain text of an email of this kind, in this language.

    Each is looked up in the emails' engine (settings.TEMPLATES: the operator's directory, then
    ours) as `<language>/<name>` first, then `<name>`: an operator may replace a template for one
    language only. Our own templates are translated by the catalogues (locale/), like the API.
    """
    context = {**context, "frontend_url": settings.FRONTEND_URL, "site_name": settings.SITE_NAME}
    with translation.override(language):
        subject = render_to_string([f"{language}/{kind}_subject.txt", f"{kind}_subject.txt"], context, using="emails")
        text = render_to_string([f"{language}/{kind}.txt", f"{kind}.txt"], context, using="emails")
    # One line, whatever the template did: a header cannot be split.
    return " ".join(subject.split()), text.strip() + "\n"


def _recipient(user) -> tuple[str, str]:
    """The account's address and language as they are committed now, not as the request loaded
    them: a change that landed while the request checked a password is seen (attack finding: the
    notice of a password change went out in the language the account had just left). Called in
    the transaction that records the email, usually under the account's lock."""
    row = User.objects.filter(pk=user.pk).values_list("email", "language").first()
    return row if row is not None else (user.email, user.language)


def _record_email(kind, to, context, language, expires_in=None, capped=True):
    now = timezone.now()
    if capped and _over_recipient_cap(kind, to, now):
        # Logged, not an error: the requester gets the usual answer (no account enumeration).
        local, _, domain = to.partition("@")
        logger.warning(
            "mail cap: %s to %s***@%s not sent (over %d an hour)",
            kind,
            local[:1],
            domain,
            settings.MAIL_RECIPIENT_HOURLY_CAP,
        )
        return None
    subject, text = render(kind, language, {**context, "to": to})
    expires_at = now + expires_in if expires_in else now + NOTICE_LIFETIME
    email_id = uuid.uuid4()
    payload = {
        "version": 2,
        "id": str(email_id),
        "kind": kind,
        "to": to,
        "subject": subject,
        "text": text,
        # The same words, laid out (accounts/email_html.py): the two parts never disagree.
        "html": email_html.render(subject, text, language),
        "language": language,
        "created_at": now.isoformat(),
        "expires_at": expires_at.isoformat(),
    }
    OutboxEmail.objects.create(id=email_id, kind=kind, to=to, payload=payload, expires_at=expires_at)
    # Enqueue only once the change that caused the email is committed.
    transaction.on_commit(lambda: mail_queue.publish_after_commit(email_id))
    return payload


def send_confirmation_email(user, key):
    to, language = _recipient(user)
    return _record_email(
        "confirm_email",
        to,
        {
            "link": f"{settings.FRONTEND_URL}/confirm-email/{key}",
            "valid_hours": int(settings.EMAIL_CONFIRMATION_TTL / timedelta(hours=1)),
        },
        language,
        expires_in=settings.EMAIL_CONFIRMATION_TTL,
    )


def send_account_exists_email(user):
    to, language = _recipient(user)
    return _record_email(
        "account_exists",
        to,
        {"login_link": f"{settings.FRONTEND_URL}/login"},
        language,
        expires_in=timedelta(days=1),
    )


def send_password_reset_email(user, uid, token, code, ttl, capped=True):
    to, language = _recipient(user)
    return _record_email(
        "password_reset",
        to,
        {
            "link": f"{settings.FRONTEND_URL}/reset-password/{uid}/{token}",
            "code": code,
            "code_link": f"{settings.FRONTEND_URL}/reset-password/code",
            "valid_minutes": int(ttl / timedelta(minutes=1)),
        },
        language,
        expires_in=ttl,
        capped=capped,
    )


def send_login_code_email(user, code, ttl):
    to, language = _recipient(user)
    return _record_email(
        "login_code",
        to,
        {
            "code": code,
            "code_link": f"{settings.FRONTEND_URL}/login/code",
            "valid_minutes": int(ttl / timedelta(minutes=1)),
        },
        language,
        expires_in=ttl,
    )


def send_password_changed_email(user):
    to, language = _recipient(user)
    return _record_email("password_changed", to, {"reset_link": f"{settings.FRONTEND_URL}/forgot-password"}, language)


def send_email_change_confirmation(user, new_email, key):
    current_email, language = _recipient(user)
    return _record_email(
        "confirm_email_change",
        new_email,
        {
            "link": f"{settings.FRONTEND_URL}/confirm-email/{key}",
            "old_email": current_email,
            "valid_hours": int(settings.EMAIL_CONFIRMATION_TTL / timedelta(hours=1)),
        },
        language,
        expires_in=settings.EMAIL_CONFIRMATION_TTL,
    )


def send_email_change_requested_email(user, new_email):
    to, language = _recipient(user)
    return _record_email("email_change_requested", to, {"new_email": new_email}, language)


def send_email_changed_email(old_email, new_email, language):
    return _record_email("email_changed", old_email, {"new_email": new_email}, language)


def send_account_deleted_email(email, language):
    return _record_email("account_deleted", email, {}, language)


# What the notices call each kind of factor, in the email's language. Never the name the user gave
# a passkey: that is whatever a session's holder typed, and has no place in a notice meant to warn
# the owner.
FACTOR_NAMES = {
    "totp": pgettext_lazy("factor", "an authenticator app"),
    "passkey": pgettext_lazy("factor", "a passkey"),
    "security_key": pgettext_lazy("factor", "a security key"),
    "recovery_codes": pgettext_lazy("factor", "the recovery codes made since"),
}


def _factor_name(kind: str, language: str) -> str:
    with translation.override(language):
        return str(FACTOR_NAMES[kind])


def send_factor_added_email(user, factor, passwordless=False, new_recovery_codes=True):
    to, language = _recipient(user)
    context = {
        "factor": _factor_name(factor, language),
        "factor_kind": factor,
        "passwordless": passwordless,
        "new_recovery_codes": new_recovery_codes,
    }
    return _record_email("mfa_factor_added", to, {**context, **_mfa_links()}, language)


def send_factor_removed_email(user, factor, last_factor=True):
    to, language = _recipient(user)
    return _record_email(
        "mfa_factor_removed",
        to,
        {
            "factor": _factor_name(factor, language),
            "factor_kind": factor,
            "last_factor": last_factor,
            **_mfa_links(),
        },
        language,
    )


def send_recovery_codes_regenerated_email(user):
    to, language = _recipient(user)
    return _record_email("recovery_codes_regenerated", to, _mfa_links(), language)


def send_recovery_code_used_email(user, remaining):
    to, language = _recipient(user)
    return _record_email("recovery_code_used", to, {"remaining": remaining, **_mfa_links()}, language)


def _mfa_links():
    return {
        "reset_link": f"{settings.FRONTEND_URL}/forgot-password",
        "security_link": f"{settings.FRONTEND_URL}/security",
    }


def send_mfa_reset_email(user):
    to, language = _recipient(user)
    return _record_email("mfa_reset", to, _mfa_links(), language)


def send_new_device_email(user, key, when, user_agent, network, ttl):
    to, language = _recipient(user)
    # What the user-agent parser recognised (accounts.devices.describe: known families, letters and
    # digits only), never the raw header a client sent; in the account's language.
    with translation.override(language):
        device = devices.describe(user_agent, language) or gettext("An unknown device")
        network = network or gettext("unknown")
    return _record_email(
        "new_device_sign_in",
        to,
        {
            "when": when.strftime("%Y-%m-%d %H:%M UTC"),
            "device": device,
            "network": network,
            "yes_link": f"{settings.FRONTEND_URL}/sign-in-alert/{key}/yes",
            "no_link": f"{settings.FRONTEND_URL}/sign-in-alert/{key}/no",
            "valid_hours": int(ttl / timedelta(hours=1)),
            "activity_link": f"{settings.FRONTEND_URL}/security-activity",
        },
        language,
        expires_in=ttl,
    )


def send_sign_in_disowned_email(to, language, removed, restored, reset_sent):
    # `to` is the address the alert went to (the account's again, or still someone else's now).
    context = {
        "removed": [_factor_name(kind, language) for kind in removed],
        "removed_kinds": removed,
        "restored": restored,
        "reset_sent": reset_sent,
        "reset_link": f"{settings.FRONTEND_URL}/forgot-password",
    }
    return _record_email("sign_in_disowned", to, context, language)
