"""Password recovery by emailed link (Django's token generator) or 6-digit code.

Both expire after PASSWORD_RESET_TIMEOUT, work once, and die when the password, the email or
the last login changes. A code also dies after PASSWORD_RESET_CODE_MAX_ATTEMPTS wrong tries.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode

from accounts import mail, security_log, sessions
from accounts.errors import InvalidReset
from accounts.models import PasswordResetCode, User
from accounts.passwords import check_new_password
from accounts.throttling import DatabaseCounts
from core.email_address import normalize_email


def _state(user):
    """Changes whenever the password, email or last login changes."""
    raw = f"{user.pk}:{user.password}:{user.email}:{user.last_login and user.last_login.timestamp()}"
    return salted_hmac("password-reset-state", raw).hexdigest()


def _code_hash(user, code):
    return salted_hmac("password-reset-code", f"{user.pk}:{code}").hexdigest()


def request_reset(email):
    """Mail a link and a code if an active account has this address; otherwise do nothing.

    The caller answers identically either way: only the mailbox shows the difference.
    """
    user = User.objects.filter(email=normalize_email(email), is_active=True).first()
    if user is None or not user.has_usable_password():
        return
    with transaction.atomic():
        send_reset(user)


def send_reset(user, capped=True):
    """Mail `user` a new link and code (inside the caller's transaction)."""
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
    PasswordResetCode.objects.update_or_create(
        user=user,
        defaults={"code_hash": _code_hash(user, code), "state": _state(user), "expires_at": timezone.now() + ttl},
    )
    DatabaseCounts.forget(_guesses_key(user.email))  # a new code: a whole budget of tries
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    mail.send_password_reset_email(user, uid, default_token_generator.make_token(user), code, ttl, capped=capped)
    security_log.record(user, security_log.PASSWORD_RESET_REQUESTED)


def _user_from_link(uid, token):
    try:
        pk = urlsafe_base64_decode(uid).decode()
        user = User.objects.get(pk=int(pk), is_active=True)
    except (ValueError, TypeError, OverflowError, UnicodeDecodeError, User.DoesNotExist):
        raise InvalidReset() from None
    if not default_token_generator.check_token(user, token):
        raise InvalidReset()
    return user


def _guesses_key(email):
    return "reset-code-guesses:" + hashlib.sha256(email.encode("utf-8", "surrogatepass")).hexdigest()


def _user_from_code(email, code):
    """Check a code under a row lock. Returns (user, None) or (None, reason).

    The same work whether or not the address has an account or a live code, so neither the
    answer nor its time tells them apart: one query, and one count of the try per address
    (an atomic upsert, committed even when the request fails). A right code gives its try back;
    past PASSWORD_RESET_CODE_MAX_ATTEMPTS tries the code is dead.
    """
    email = normalize_email(email)
    tries = DatabaseCounts.incr(_guesses_key(email), ttl=settings.PASSWORD_RESET_TIMEOUT)
    entry = (
        PasswordResetCode.objects.select_for_update(of=("self",))
        .select_related("user")
        .filter(user__email=email, user__is_active=True)
        .first()
    )
    if (
        entry is None
        or entry.expires_at <= timezone.now()
        or tries > settings.PASSWORD_RESET_CODE_MAX_ATTEMPTS
        or not hmac.compare_digest(entry.state, _state(entry.user))
    ):
        return None, "dead"
    if not hmac.compare_digest(entry.code_hash, _code_hash(entry.user, code)):
        return None, "wrong"
    DatabaseCounts.decr(_guesses_key(email))
    return entry.user, None


def find_user(*, uid=None, token=None, email=None, code=None):
    """Return the user a valid link or code belongs to, without using it up."""
    if uid is not None:
        return _user_from_link(uid, token)
    with transaction.atomic():
        user, _ = _user_from_code(email, code)
    if user is None:
        raise InvalidReset()
    return user


def confirm_reset(new_password, *, uid=None, token=None, email=None, code=None):
    """Set the new password if the link or code is valid; it is then used up.

    A password the policy refuses (WeakPassword) rolls everything back: the link or code stays
    usable, and a code's try is given back as for a right code.
    """
    with transaction.atomic():
        if uid is not None:
            user = User.objects.select_for_update().get(pk=_user_from_link(uid, token).pk)
            # Re-checked under the row lock: of two concurrent uses, only one sees the old hash.
            valid = default_token_generator.check_token(user, token)
        else:
            user, _ = _user_from_code(email, code)  # locks the code row
            valid = user is not None
        if valid:
            check_new_password(new_password, user)
            user.set_password(new_password)
            # Reading the reset email proves control of the address.
            user.email_confirmed = True
            # A new password ends what "this wasn't me" blocked (accounts/sign_in_alerts.py).
            user.password_login_blocked_at = None
            user.save(update_fields=["password", "email_confirmed", "password_login_blocked_at"])
            PasswordResetCode.objects.filter(user=user).delete()
            sessions.revoke_all(user)
            mail.send_password_changed_email(user)
            security_log.record(user, security_log.PASSWORD_RESET_COMPLETED)
    # Raised after the block, so a wrong code's counted try is committed.
    if not valid:
        raise InvalidReset()
    return user
