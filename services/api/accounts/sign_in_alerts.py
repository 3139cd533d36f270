"""New-device sign-in alerts, and their two answers: "Yes, it was me" and "This wasn't me".

The alert goes to the account's address only, with one key in both links: 32 random bytes, only
their SHA-256 stored, working once (either answer uses it up) for SIGN_IN_ALERT_TTL_HOURS. Nobody
who merely knows the address can lock the account: the key exists only in that email.

"This wasn't me" needs no login (whoever signed in may have changed everything else): every
session of the account ends; the second factors, passkeys and recovery codes made since that
sign-in go, and so do its devices; an address changed since is given back; password sign-in is
refused until the password is reset; a reset email goes out at once (uncapped) and the address is
told what was done.
"""

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from accounts import devices, factors, mail, password_reset, security_log, sessions
from accounts.devices import Device
from accounts.errors import InvalidAlertKey
from accounts.models import (
    EmailConfirmation,
    KnownDevice,
    LoginChallenge,
    LoginCode,
    PasswordResetCode,
    RecoveryCode,
    SecurityEvent,
    SignInAlert,
    TOTPDevice,
    User,
    WebAuthnChallenge,
    WebAuthnCredential,
)

YES, NO = "yes", "no"
ALERTS_PER_HOUR = 5


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def send(user: User, event: SecurityEvent, device: Device) -> None:
    """Mail the alert of the sign-in `event` (inside its transaction). At most ALERTS_PER_HOUR an
    account: someone with the password who drops the device cookie on every sign-in must not
    bury the mailbox (the sign-ins are still logged as new devices)."""
    # Only unanswered ones count: the owner answering "yes" must not make room for silence
    # (attack finding: five confirmed alerts hid the sixth sign-in's).
    recent = SignInAlert.objects.filter(
        user=user, created_at__gt=timezone.now() - timedelta(hours=1), used_at__isnull=True
    )
    if recent.count() >= ALERTS_PER_HOUR:
        return
    key = secrets.token_urlsafe(32)
    ttl = timedelta(hours=settings.SIGN_IN_ALERT_TTL_HOURS)
    SignInAlert.objects.create(
        user=user,
        event=event,
        email=user.email,
        fingerprint=device.fingerprint,
        key_hash=_hash(key),
        expires_at=timezone.now() + ttl,
    )
    mail.send_new_device_email(
        user,
        key,
        when=event.created_at,
        user_agent=event.user_agent,
        network=devices.network(event.ip),  # approximate: the /24 (IPv4) or /48 (IPv6)
        ttl=ttl,
    )


def _take(key: str, answer: str) -> SignInAlert:
    """The live alert of this key, locked and used up; InvalidAlertKey for an unknown, used or expired one."""
    alert = (
        SignInAlert.objects.select_for_update()
        .select_related("event", "user")
        .filter(key_hash=_hash(key), used_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if alert is None:
        raise InvalidAlertKey()
    alert.used_at, alert.answer = timezone.now(), answer
    alert.save(update_fields=["used_at", "answer"])
    return alert


def confirm(key: str) -> None:
    """ "Yes, it was me": the device stays known, the alert is answered."""
    with transaction.atomic():
        alert = _take(key, YES)
        security_log.record(alert.user, security_log.NEW_DEVICE_CONFIRMED, sign_in=alert.event_id)


def _remove_factors_added_since(user: User, since: datetime) -> list[str]:
    """Second factors, passkeys and recovery codes made since the disowned sign-in are the
    intruder's (attack finding: a passkey added by the intruder signed straight back in, an app
    added by the intruder locked the owner out after the reset). Their kinds, for the notice."""
    removed = []
    apps = TOTPDevice.objects.filter(user=user).filter(Q(created_at__gte=since) | Q(confirmed_at__gte=since))
    if apps.filter(confirmed_at__isnull=False).exists():
        removed.append("totp")
        security_log.record(user, security_log.FACTOR_REMOVED, factor="totp", reason=security_log.SIGN_IN_DISOWNED)
    apps.delete()
    for credential in WebAuthnCredential.objects.filter(user=user, created_at__gte=since):
        kind = "passkey" if credential.passwordless else "security_key"
        # Its kind, never its name: the intruder typed it (accounts/mail.py, factor notices).
        removed.append(kind)
        security_log.record(
            user, security_log.FACTOR_REMOVED, factor=kind, name=credential.name, reason=security_log.SIGN_IN_DISOWNED
        )
        credential.delete()
    WebAuthnChallenge.objects.filter(user=user).delete()
    if RecoveryCode.objects.filter(user=user, created_at__gte=since).delete()[0]:
        removed.append("recovery_codes")
    if not factors.any_factor(user):
        RecoveryCode.objects.filter(user=user).delete()  # codes only stand in for a factor
    return removed


def _restore_address(user: User, email: str) -> bool:
    """Give the account back the address the alert went to, if an intruder changed it since
    (attack finding: the reset went to the intruder's new address). False if it is the account's
    already, or a confirmed account has it now. A sign-up never confirmed proved nothing about
    the address: it gives way (attack finding: the intruder signed the old address up to keep it)."""
    if user.email == email:
        return False
    holder = User.objects.select_for_update().filter(email=email).exclude(pk=user.pk).first()
    if holder is not None and (holder.email_confirmed or holder.last_login is not None):
        return False
    if holder is not None:
        holder.delete()
    old = user.email
    user.email, user.email_confirmed = email, True
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_confirmed"])
    except IntegrityError:
        user.email = old
        return False
    security_log.record(user, security_log.EMAIL_CHANGED, old_email=old, new_email=email, restored=True)
    return True


def disown(key: str) -> bool:
    """ "This wasn't me": secure the account (see the module docstring). True if a reset email was
    sent; False if the address could not be given back, and the account is suspended instead."""
    with transaction.atomic():
        alert = _take(key, NO)
        user = User.objects.select_for_update().get(pk=alert.user_id)
        now = timezone.now()
        # Every unanswered alert is disowned with it, and "since" is the earliest of them: an
        # intruder's second sign-in must not make what they added after the first look like the
        # owner's (attack finding: a passkey added after the first alert survived a "no" to the second).
        others = list(
            SignInAlert.objects.select_for_update()
            .select_related("event")
            .filter(user=user, used_at__isnull=True, expires_at__gt=now)
            .exclude(pk=alert.pk)
        )
        SignInAlert.objects.filter(pk__in=[other.pk for other in others]).update(used_at=now, answer=NO)
        since = min([alert.event.created_at, *(other.event.created_at for other in others)])
        SecurityEvent.objects.filter(pk__in=[alert.event_id, *(other.event_id for other in others)]).update(
            disowned_at=now
        )
        sessions.revoke_all(user)
        # What could start a session or take the account further: second steps and codes under
        # way, a pending address change or reset (its link may sit in the intruder's mailbox).
        LoginChallenge.objects.filter(user=user).delete()
        LoginCode.objects.filter(user=user).delete()
        PasswordResetCode.objects.filter(user=user).delete()
        EmailConfirmation.objects.filter(user=user, purpose=EmailConfirmation.CHANGE, used_at__isnull=True).delete()
        removed = _remove_factors_added_since(user, since)
        # The intruder's devices are new again: their next sign-in alerts once more.
        KnownDevice.objects.filter(user=user).filter(
            Q(fingerprint=alert.fingerprint) | Q(first_seen__gte=since)
        ).delete()
        restored = _restore_address(user, alert.email)
        user.password_login_blocked_at = now
        reset_sent = user.email == alert.email
        if not reset_sent:
            # The address is someone else's now: no reset, sign-in code or passkey may reach the
            # account until an administrator has looked (reactivating it ends this).
            user.is_active = False
            security_log.record(user, security_log.ACCOUNT_DEACTIVATED, reason=security_log.SIGN_IN_DISOWNED)
        user.save(update_fields=["password_login_blocked_at", "is_active"])
        security_log.record(
            user,
            security_log.SIGN_IN_DISOWNED,
            sign_in=alert.event_id,
            address_restored=restored,
            reset_sent=reset_sent,
        )
        mail.send_sign_in_disowned_email(
            alert.email, user.language, removed=removed, restored=restored, reset_sent=reset_sent
        )
        if reset_sent:
            # Not capped: anyone can fill an address's hourly cap with reset requests (attack finding).
            password_reset.send_reset(user, capped=False)
    return reset_sent
