"""New-device sign-in alerts, and their two answers: "Yes, it was me" and "This wasn't me".

The alert goes to the account's address only, with one key in both links: 32 random bytes, only
their SHA-256 stored, working once (either answer uses it up) for SIGN_IN_ALERT_TTL_HOURS. Nobody
who merely knows the address can lock the account: the key exists only in that email.

"This wasn't me" needs no login (whoever signed in may have changed everything else): every
session of the account ends, the sign-in is marked disowned, password sign-in is refused until the
password is reset, a reset email goes out at once and the address is told what was done.
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import devices, mail, password_reset, security_log, sessions
from accounts.devices import Device
from accounts.errors import InvalidAlertKey
from accounts.models import LoginChallenge, LoginCode, SecurityEvent, SignInAlert, User

YES, NO = "yes", "no"


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def send(user: User, event: SecurityEvent, device: Device) -> None:
    """Mail the alert of the sign-in `event` (inside its transaction)."""
    key = secrets.token_urlsafe(32)
    ttl = timedelta(hours=settings.SIGN_IN_ALERT_TTL_HOURS)
    SignInAlert.objects.create(user=user, event=event, key_hash=_hash(key), expires_at=timezone.now() + ttl)
    mail.send_new_device_email(
        user,
        key,
        when=event.created_at,
        device=device.label or "An unknown device",
        network=devices.network(event.ip) or "unknown",  # approximate: the /24 (IPv4) or /48 (IPv6)
        ttl=ttl,
    )


def _take(key: str, answer: str) -> SignInAlert:
    """The live alert of this key, locked and used up; InvalidKey for an unknown, used or expired one."""
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


def disown(key: str) -> None:
    """ "This wasn't me": secure the account (see the module docstring)."""
    with transaction.atomic():
        alert = _take(key, NO)
        user = User.objects.select_for_update().get(pk=alert.user_id)
        now = timezone.now()
        SecurityEvent.objects.filter(pk=alert.event_id).update(disowned_at=now)
        sessions.revoke_all(user)
        # Second steps and sign-in codes under way die too: they would start new sessions.
        LoginChallenge.objects.filter(user=user).delete()
        LoginCode.objects.filter(user=user).delete()
        user.password_login_blocked_at = now
        user.save(update_fields=["password_login_blocked_at"])
        security_log.record(user, security_log.SIGN_IN_DISOWNED, sign_in=alert.event_id)
        mail.send_sign_in_disowned_email(user)
        password_reset.send_reset(user)
