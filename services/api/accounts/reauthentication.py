"""Reauthentication ("sudo mode"): sensitive actions need a recent proof of who this session is.

A login counts as one; later, POST /api/auth/reauthenticate/ with the password, a current
authenticator code or a WebAuthn assertion renews it for REAUTHENTICATION_TIMEOUT_MINUTES. The
time lives on the session's token row (AuthToken.authenticated_at), which the authentication of
every request has already read: checking it costs no query.
"""

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts import passkeys, security_log, totp
from accounts.errors import InvalidCode, InvalidCredential, ReauthenticationRequired
from accounts.models import AuthToken, User
from accounts.passwords import check_current_password
from accounts.throttling import second_factor_budget


def _authenticated_at(token: AuthToken) -> datetime:
    # Sessions from before this field existed count from their login.
    return token.authenticated_at or token.session_started_at


def valid_until(token: AuthToken) -> datetime:
    return _authenticated_at(token) + settings.REAUTHENTICATION_TIMEOUT


def require_recent(token: AuthToken | None) -> None:
    """Raise ReauthenticationRequired unless `token`'s session authenticated recently enough."""
    if token is None or valid_until(token) <= timezone.now():
        raise ReauthenticationRequired()


def _renew(token: AuthToken, method: str) -> datetime:
    """Every token of the session (a refresh swaps the token, not the session) is renewed."""
    now = timezone.now()
    with transaction.atomic():
        AuthToken.objects.filter(user_id=token.user_id, public_id=token.public_id).update(authenticated_at=now)
        security_log.record(token.user, security_log.REAUTHENTICATED, method=method)
    token.authenticated_at = now
    return valid_until(token)


def with_password(user: User, token: AuthToken, password: str, client_ip: str | None) -> datetime:
    check_current_password(user, password, client_ip)  # the login's budget: no guessing with a token
    return _renew(token, "password")


def _with_second_factor(
    user: User,
    token: AuthToken,
    client_ip: str | None,
    right: Callable[[], bool],
    refusal: type[Exception],
    method: str,
) -> datetime:
    """Renew if `right()` (a code or an assertion, checked on the second-factor budget)."""
    with transaction.atomic():
        with second_factor_budget(user, client_ip) as check:
            check.ok = right()
        if check.ok:
            until = _renew(token, method)
        else:
            security_log.sign_in_failed(user, method, kind=security_log.REAUTHENTICATION_FAILED)
    # Raised once the transaction is committed: the spent unit (and a used challenge) stay so.
    if not check.ok:
        raise refusal()
    return until


def with_totp(user: User, token: AuthToken, code: str, client_ip: str | None) -> datetime:
    return _with_second_factor(user, token, client_ip, lambda: totp.use_code(user, code), InvalidCode, "totp")


def with_webauthn(user: User, token: AuthToken, credential: Mapping[str, Any], client_ip: str | None) -> datetime:
    """An assertion of one of the account's passkeys or security keys, for the options of
    POST /api/auth/reauthenticate/webauthn/begin/ (accounts.passkeys)."""
    return _with_second_factor(
        user,
        token,
        client_ip,
        lambda: passkeys.use_for_reauthentication(user, credential),
        InvalidCredential,
        "webauthn",
    )
