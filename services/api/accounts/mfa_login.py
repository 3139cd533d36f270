"""A login's second step, for accounts with a second factor (an authenticator app, a passkey or
a security key).

A right password (accounts.login) then gives a challenge instead of a token: 256 random bits,
stored only as a SHA-256 (accounts.tokens), bound to the account and to the state of its password
and factors (it dies when either changes), living MFA_CHALLENGE_TTL_MINUTES. With a current
TOTP code, a recovery code or a WebAuthn assertion (whose options `begin_webauthn` gives),
`complete` uses it up and names the user to log in; each wrong one counts against the challenge
(MFA_CHALLENGE_MAX_ATTEMPTS kill it) and against the account's and the client's second-factor
budget (accounts/throttling.py).
"""

import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import factors, mail, passkeys, recovery_codes, security_log, totp
from accounts.errors import InvalidChallenge, InvalidCode, InvalidCredential
from accounts.login import PASSWORD, RECOVERY_CODE, TOTP, WEBAUTHN, Authenticated
from accounts.models import LoginChallenge, TOTPDevice, User, WebAuthnCredential
from accounts.throttling import second_factor_budget
from accounts.tokens import hash_secret, new_secret


@dataclass(frozen=True)
class Challenge:
    """What the first step answers: the opaque challenge and the methods that complete it (only
    those the account has: "totp", "recovery_code", "webauthn")."""

    challenge: str
    methods: tuple[str, ...]
    mfa_required: bool = True


def needs_second_factor(user: User) -> bool:
    return factors.any_factor(user)


def _state(user: User) -> str:
    """Changes when the password changes, the account is deactivated, the app is replaced, or a
    passkey or security key is added or removed."""
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).values_list("pk", "confirmed_at").first()
    credentials = list(WebAuthnCredential.objects.filter(user=user).order_by("pk").values_list("pk", flat=True))
    raw = f"{user.pk}:{user.password}:{user.is_active}:{device}:{credentials}"
    return salted_hmac("accounts.login-challenge-state", raw, algorithm="sha256").hexdigest()


def start(user: User, first_factor: str = PASSWORD) -> Challenge:
    raw = new_secret()
    LoginChallenge.objects.create(
        user=user,
        first_factor=first_factor,
        challenge_hash=hash_secret(raw),
        state=_state(user),
        expires_at=timezone.now() + timedelta(minutes=settings.MFA_CHALLENGE_TTL_MINUTES),
    )
    return Challenge(challenge=raw, methods=factors.methods(user))


def _locked(challenge: str) -> LoginChallenge | None:
    """The challenge's row (with its user), locked until the end of the caller's transaction."""
    return (
        LoginChallenge.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(challenge_hash=hash_secret(challenge))
        .first()
    )


def _live(entry: LoginChallenge) -> bool:
    return entry.expires_at > timezone.now() and hmac.compare_digest(entry.state, _state(entry.user))


def begin_webauthn(challenge: str) -> dict[str, Any]:
    """POST /api/auth/login/mfa/webauthn/begin/: the WebAuthn request options for this second
    step (any credential of the account). The challenge is not used up; InvalidChallenge for an
    unknown, expired or dead one, InvalidCredential for an account without a credential."""
    with transaction.atomic():
        entry = _locked(challenge)
        live = entry is not None and _live(entry)
        if entry is not None and live:
            return passkeys.begin_second_factor(entry)
        if entry is not None:
            entry.delete()
    raise InvalidChallenge()


def complete(
    challenge: str,
    code: str | None = None,
    recovery_code: str | None = None,
    credential: Mapping[str, Any] | None = None,
    client_ip: str | None = None,
) -> Authenticated:
    """Who logs in with this challenge, and how, if `code` (TOTP), `recovery_code` or `credential`
    (a WebAuthn assertion) is right; the challenge is then used up. InvalidChallenge for an
    unknown, used, expired or dead challenge, InvalidCode for a wrong code, InvalidCredential for a
    refused assertion, TooManyAttempts when the budget is spent."""
    remaining = None
    with transaction.atomic():
        entry = _locked(challenge)
        if entry is None:
            raise InvalidChallenge()
        user = entry.user
        if not _live(entry):
            entry.delete()
            dead = True
        else:
            dead = False
            with second_factor_budget(user, client_ip) as check:
                if code is not None:
                    check.ok = totp.use_code(user, code)
                elif credential is not None:
                    check.ok = passkeys.use_for_second_factor(entry, credential)
                else:
                    remaining = recovery_codes.use_code(user, recovery_code or "")
                    check.ok = remaining is not None
            if check.ok:
                entry.delete()
                if remaining is not None:
                    mail.send_recovery_code_used_email(user, remaining)
            else:
                security_log.sign_in_failed(user, _method(code, credential))
                if entry.failed_attempts + 1 >= settings.MFA_CHALLENGE_MAX_ATTEMPTS:
                    entry.delete()
                else:
                    entry.failed_attempts += 1
                    entry.save(update_fields=["failed_attempts"])
    # Raised once the transaction is committed: a wrong code's count must stay counted.
    if dead:
        raise InvalidChallenge()
    if not check.ok:
        raise InvalidCredential() if credential is not None else InvalidCode()
    if credential is not None:
        return Authenticated(user, entry.first_factor, WEBAUTHN)
    return Authenticated(user, entry.first_factor, RECOVERY_CODE if remaining is not None else TOTP)


def _method(code: str | None, credential: Mapping[str, Any] | None) -> str:
    return TOTP if code is not None else WEBAUTHN if credential is not None else RECOVERY_CODE


def forget_expired_challenges() -> int:
    """A relay job (settings.OUTBOX_RELAY_JOBS): drop challenges nobody completed in time."""
    return LoginChallenge.objects.filter(expires_at__lte=timezone.now()).delete()[0]
