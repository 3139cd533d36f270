"""A login's second step, for accounts with an enabled authenticator app.

A right password (accounts.login) then gives a challenge instead of a token: 256 random bits,
stored only as a SHA-256 (accounts.tokens), bound to the account and to the state of its password
and factors (it dies when either changes), living MFA_CHALLENGE_TTL_MINUTES. With a current
TOTP code or a recovery code, `complete` uses it up and names the user to log in; each wrong code
counts against the challenge (MFA_CHALLENGE_MAX_ATTEMPTS kill it) and against the account's and
the client's second-factor budget (accounts/throttling.py).
"""

import hmac
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import mail, recovery_codes, totp
from accounts.errors import InvalidChallenge, InvalidCode
from accounts.login import PASSWORD, RECOVERY_CODE, TOTP, Authenticated
from accounts.models import LoginChallenge, TOTPDevice, User
from accounts.throttling import second_factor_budget
from accounts.tokens import hash_secret, new_secret

METHODS = ("totp", "recovery_code")


@dataclass(frozen=True)
class Challenge:
    """What the first step answers: the opaque challenge and the methods that complete it."""

    challenge: str
    methods: tuple[str, ...] = METHODS
    mfa_required: bool = True


def needs_second_factor(user: User) -> bool:
    return totp.enabled(user)


def _state(user: User) -> str:
    """Changes when the password changes, the account is deactivated or the app is replaced."""
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).values_list("pk", "confirmed_at").first()
    raw = f"{user.pk}:{user.password}:{user.is_active}:{device}"
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
    return Challenge(challenge=raw)


def complete(
    challenge: str, code: str | None = None, recovery_code: str | None = None, client_ip: str | None = None
) -> Authenticated:
    """Who logs in with this challenge, and how, if `code` (TOTP) or `recovery_code` is right; the
    challenge is then used up. InvalidChallenge for an unknown, used, expired or dead challenge,
    InvalidCode for a wrong code, TooManyAttempts when the budget is spent."""
    remaining = None
    with transaction.atomic():
        entry = (
            LoginChallenge.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(challenge_hash=hash_secret(challenge))
            .first()
        )
        if entry is None:
            raise InvalidChallenge()
        user = entry.user
        if entry.expires_at <= timezone.now() or not hmac.compare_digest(entry.state, _state(user)):
            entry.delete()
            dead = True
        else:
            dead = False
            with second_factor_budget(user, client_ip) as check:
                if code is not None:
                    check.ok = totp.use_code(user, code)
                else:
                    remaining = recovery_codes.use_code(user, recovery_code or "")
                    check.ok = remaining is not None
            if check.ok:
                entry.delete()
                if remaining is not None:
                    mail.send_recovery_code_used_email(user, remaining)
            elif entry.failed_attempts + 1 >= settings.MFA_CHALLENGE_MAX_ATTEMPTS:
                entry.delete()
            else:
                entry.failed_attempts += 1
                entry.save(update_fields=["failed_attempts"])
    # Raised once the transaction is committed: a wrong code's count must stay counted.
    if dead:
        raise InvalidChallenge()
    if not check.ok:
        raise InvalidCode()
    return Authenticated(user, entry.first_factor, RECOVERY_CODE if remaining is not None else TOTP)


def forget_expired_challenges() -> int:
    """A relay job (settings.OUTBOX_RELAY_JOBS): drop challenges nobody completed in time."""
    return LoginChallenge.objects.filter(expires_at__lte=timezone.now()).delete()[0]
