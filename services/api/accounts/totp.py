"""Authenticator apps (TOTP, RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps).

Set-up stores a fresh seed, encrypted (accounts/secret_box.py), unconfirmed; a first right code
confirms it, and gives the recovery codes when it is the account's first factor. A code is
accepted for the current step or one step either side (clock drift), and only for a step later
than the last accepted one, under the device's row lock: no code works twice, and a code of
another account's seed never matches this one's. Every code check spends the second-factor
budget (accounts/throttling.py).
"""

import hmac
from dataclasses import dataclass

import pyotp
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import factors, mail, recovery_codes, security_log
from accounts.errors import InvalidCode, TOTPAlreadyEnabled, TOTPNotEnabled, TOTPNotSetUp
from accounts.models import LoginChallenge, RecoveryCode, TOTPDevice, User
from accounts.secret_box import decrypt, encrypt
from accounts.throttling import second_factor_budget

STEP_SECONDS = 30
DIGITS = 6
DRIFT_STEPS = 1


@dataclass(frozen=True)
class Setup:
    secret: str
    otpauth_uri: str


def _totp(secret: str) -> pyotp.TOTP:
    return pyotp.TOTP(secret, digits=DIGITS, interval=STEP_SECONDS)  # SHA-1, RFC 6238's default


def current_step() -> int:
    return int(timezone.now().timestamp()) // STEP_SECONDS


def enabled(user: User) -> bool:
    return factors.has_totp(user)


def begin_setup(user: User) -> Setup:
    """POST /api/auth/mfa/totp/setup/: a new seed, replacing any unconfirmed one."""
    secret = pyotp.random_base32()  # 32 characters: 160 bits, RFC 4226's recommended length
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is not None and device.confirmed_at is not None:
            raise TOTPAlreadyEnabled()
        TOTPDevice.objects.update_or_create(
            user=user, defaults={"encrypted_secret": encrypt(secret), "confirmed_at": None, "last_used_step": None}
        )
    uri = _totp(secret).provisioning_uri(name=user.email, issuer_name=settings.SITE_NAME)
    return Setup(secret=secret, otpauth_uri=uri)


def _matching_step(device: TOTPDevice, code: str) -> int | None:
    """The step within the drift window whose code `code` is and that is later than the last
    used one (the latest, should two steps share a code), else None."""
    totp = _totp(decrypt(device.encrypted_secret))
    now = current_step()
    found = None
    for step in range(now - DRIFT_STEPS, now + DRIFT_STEPS + 1):
        right = hmac.compare_digest(totp.generate_otp(step), code)
        if right and (device.last_used_step is None or step > device.last_used_step):
            found = step
    return found


def _accept(device: TOTPDevice, code: str) -> bool:
    """Record the step of a right code (the device's row is locked by the caller)."""
    step = _matching_step(device, code)
    if step is None:
        return False
    device.last_used_step = step
    device.save(update_fields=["last_used_step"])
    return True


def confirm_setup(user: User, code: str, client_ip: str | None = None) -> list[str]:
    """POST /api/auth/mfa/totp/confirm/: a right code enables the app; returns the recovery codes
    if it is the account's first factor (else none: the account's set stays as it is)."""
    codes: list[str] = []
    with transaction.atomic():
        factors.lock(user)  # the first factor makes the recovery codes: one change at a time
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None:
            raise TOTPNotSetUp()
        if device.confirmed_at is not None:
            raise TOTPAlreadyEnabled()
        with second_factor_budget(user, client_ip) as check:
            check.ok = _accept(device, code)
        if check.ok:
            first = not factors.any_factor(user)
            device.confirmed_at = timezone.now()
            device.save(update_fields=["confirmed_at"])
            codes = recovery_codes.replace_codes(user) if first else []
            mail.send_factor_added_email(user, "totp", new_recovery_codes=first)
            security_log.record(user, security_log.FACTOR_ADDED, factor="totp")
    # Raised once the transaction is committed: the spent unit of the budget must stay spent.
    if not check.ok:
        raise InvalidCode()
    return codes


def use_code(user: User, code: str) -> bool:
    """Whether `code` is right now for the user's enabled app (its step is then used up).

    Under the device's row lock, in a transaction of its own when the caller has none: without
    one, SQLite takes no write lock up front and PostgreSQL refuses the lock, so two parallel
    uses of one code could both succeed (attack finding: two Django admin sessions from one code).
    """
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed_at__isnull=False).first()
        return device is not None and _accept(device, code)


def disable(
    user: User, code: str | None = None, recovery_code: str | None = None, client_ip: str | None = None
) -> None:
    """DELETE /api/auth/mfa/totp/: from a session that reauthenticated (accounts.reauthentication),
    with a current code (or a recovery code, for a lost app), the app is removed, and the recovery
    codes too if it was the account's last factor; a notice is mailed."""
    if not enabled(user):
        raise TOTPNotEnabled()
    with transaction.atomic():
        factors.lock(user)
        with second_factor_budget(user, client_ip) as check:
            if code is not None:
                check.ok = use_code(user, code)
            else:
                check.ok = recovery_codes.use_code(user, recovery_code or "") is not None
        if check.ok:
            TOTPDevice.objects.filter(user=user).delete()
            last = not factors.any_factor(user)
            if last:
                RecoveryCode.objects.filter(user=user).delete()
            LoginChallenge.objects.filter(user=user).delete()
            mail.send_factor_removed_email(user, "totp", last_factor=last)
            security_log.record(user, security_log.FACTOR_REMOVED, factor="totp")
    if not check.ok:
        raise InvalidCode()
