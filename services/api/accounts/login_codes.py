"""Login by emailed code (passwordless): POST /api/auth/login/code/ and login/code/confirm/.

A code is 8 characters of an unambiguous alphabet (40 bits), only its keyed hash stored, one live
per account. It works once, lives LOGIN_CODE_TTL_MINUTES, and dies after LOGIN_CODE_MAX_ATTEMPTS
wrong tries, counted per address (so an address without an account counts, and answers, alike)
or when the password or the address changes. Reading it proves control of the address, like a
reset code; an account with a second factor still needs it (accounts.mfa_login).
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import mail, security_log
from accounts.errors import InvalidLoginCode
from accounts.models import LoginCode, User
from accounts.throttling import DatabaseCounts
from core.email_address import normalize_email

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read off a phone, typed on a laptop
LENGTH = 8


def _state(user: User) -> str:
    """Changes whenever the password, the address or the active flag changes."""
    raw = f"{user.pk}:{user.password}:{user.email}:{user.is_active}"
    return salted_hmac("accounts.login-code-state", raw, algorithm="sha256").hexdigest()


def _code_hash(user: User, code: str) -> str:
    return salted_hmac("accounts.login-code", f"{user.pk}:{code}", algorithm="sha256").hexdigest()


def _guesses_key(email: str) -> str:
    return "login-code-guesses:" + hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()


def normalize_code(code: str) -> str:
    """What people type: any case, with spaces or a dash in the middle."""
    return code.replace(" ", "").replace("-", "").upper()


def request_code(email: str) -> None:
    """Mail a code if a confirmed, active account has this address; otherwise do nothing.

    The caller answers identically either way: only the mailbox shows the difference.
    """
    user = User.objects.filter(email=normalize_email(email), is_active=True, email_confirmed=True).first()
    if user is None:
        return
    code = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    ttl = timedelta(minutes=settings.LOGIN_CODE_TTL_MINUTES)
    with transaction.atomic():
        LoginCode.objects.update_or_create(
            user=user,
            defaults={"code_hash": _code_hash(user, code), "state": _state(user), "expires_at": timezone.now() + ttl},
        )
        DatabaseCounts.forget(_guesses_key(user.email))  # a new code: a whole budget of tries
        mail.send_login_code_email(user, f"{code[:4]}-{code[4:]}", ttl)


def use_code(email: str, code: str) -> User:
    """The account whose live code this is; the code is then used up. InvalidLoginCode otherwise.

    The same work whether or not the address has an account or a live code: one count of the
    try per address (committed even when the request fails), one query under a row lock.
    """
    email = normalize_email(email)
    code = normalize_code(code)
    with transaction.atomic():
        tries = DatabaseCounts.incr(_guesses_key(email), ttl=settings.LOGIN_CODE_TTL_MINUTES * 60)
        entry = (
            LoginCode.objects.select_for_update(of=("self",)).select_related("user").filter(user__email=email).first()
        )
        user = None
        if (
            entry is not None
            and entry.expires_at > timezone.now()
            and tries <= settings.LOGIN_CODE_MAX_ATTEMPTS
            and hmac.compare_digest(entry.state, _state(entry.user))
            and hmac.compare_digest(entry.code_hash, _code_hash(entry.user, code))
        ):
            user = entry.user
            entry.delete()
            DatabaseCounts.forget(_guesses_key(email))
        elif tries <= settings.LOGIN_CODE_MAX_ATTEMPTS:
            # Staged alike for a known address and an unknown one (entry None); past the tries,
            # a guess is no check (the code is dead) and stages nothing: a flood of guesses
            # cannot flood the log (attack finding).
            security_log.sign_in_failed(entry.user if entry is not None else None, "email_code")
    # Raised after the block, so a wrong code's counted try is committed.
    if user is None:
        raise InvalidLoginCode()
    return user


def forget_expired_codes() -> int:
    """A relay job (settings.OUTBOX_RELAY_JOBS): drop codes nobody used in time."""
    return LoginCode.objects.filter(expires_at__lte=timezone.now()).delete()[0]
