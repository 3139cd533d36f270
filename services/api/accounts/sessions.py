"""Login sessions: creating, renewing, listing and revoking knox tokens.

Every change to a user's set of tokens other than a plain login (refresh, revocation, logout
everywhere) first locks the user's row, so they happen one after the other: a refresh running
alongside "log out everywhere" either finishes first (and its new token is revoked) or finds its
token gone (401); it can never leave a token the revocation did not see.
"""

from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from knox.models import get_digest_token
from knox.settings import CONSTANTS
from rest_framework.throttling import BaseThrottle

from accounts import security_log
from accounts.errors import SessionEnded
from accounts.models import AuthToken, User


def client_ip(request):
    # The gateway overwrites X-Forwarded-For; DRF trusts exactly NUM_PROXIES=1 hop of it.
    return BaseThrottle().get_ident(request) or None


def _lock_user(user_id):
    """Lock the user's row until the end of the transaction; False if the user is gone."""
    return bool(list(User.objects.select_for_update().filter(pk=user_id).values_list("pk", flat=True)))


def start_session(
    user,
    request,
    session_started_at=None,
    public_id=None,
    auth_method="password",
    second_factor="",
    authenticated_at=None,
):
    """Create a token; returns (AuthToken, raw token). The raw token is never stored."""
    now = timezone.now()
    started = session_started_at or now
    digest, raw = get_digest_token()
    token = AuthToken(
        digest=digest,
        token_key=raw[: CONSTANTS.TOKEN_KEY_LENGTH],
        user=user,
        expiry=min(now + settings.TOKEN_TTL, started + settings.TOKEN_MAX_LIFETIME),
        session_started_at=started,
        last_seen=now,
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:256],
        ip=client_ip(request),
        auth_method=auth_method,
        second_factor=second_factor,
        authenticated_at=authenticated_at or now,
    )
    if public_id is not None:
        token.public_id = public_id  # a refresh: the same session, as the sessions page shows it
    token.save(force_insert=True)
    return token, raw


def touch(auth_token):
    """Sliding renewal and last_seen, written at most once per TOKEN_TOUCH_INTERVAL."""
    now = timezone.now()
    if auth_token.last_seen and now - auth_token.last_seen < settings.TOKEN_TOUCH_INTERVAL:
        return
    expiry = min(now + settings.TOKEN_TTL, auth_token.session_started_at + settings.TOKEN_MAX_LIFETIME)
    expiry = max(expiry, auth_token.expiry) if auth_token.expiry else expiry
    AuthToken.objects.filter(pk=auth_token.pk).update(last_seen=now, expiry=expiry)
    auth_token.last_seen, auth_token.expiry = now, expiry


def refresh(auth_token, request):
    """Replace a token with a new one of the same session (same absolute cap).

    The old token is deleted first, in the same transaction: of parallel refreshes of one token,
    only the one whose DELETE removed the row goes on, the others are refused (401).
    """
    with transaction.atomic():
        deleted = _lock_user(auth_token.user_id) and AuthToken.objects.filter(pk=auth_token.pk).delete()[0]
        if not deleted:
            raise SessionEnded()
        # A refresh is the same session, not a new authentication: sudo mode lasts no longer for it.
        return start_session(
            auth_token.user,
            request,
            session_started_at=auth_token.session_started_at,
            public_id=auth_token.public_id,
            auth_method=auth_token.auth_method,
            second_factor=auth_token.second_factor,
            authenticated_at=auth_token.authenticated_at or auth_token.session_started_at,
        )


def active_sessions(user):
    return AuthToken.objects.filter(user=user, expiry__gt=timezone.now()).order_by("-session_started_at", "-created")


def end_session(user, public_id):
    """Delete the session's token, whichever it is now (a refresh keeps the session's id)."""
    return AuthToken.objects.filter(user=user, public_id=public_id).delete()[0] > 0


def revoke_session(user, public_id):
    with tokens_locked(user):
        deleted, _ = AuthToken.objects.filter(user=user, public_id=public_id).delete()
        if deleted:
            security_log.record(user, security_log.SESSION_REVOKED, revoked_session=str(public_id))
    return deleted > 0


def ensure_session_alive(user):
    """Call with the user's row locked: refuse (401) if the session this request authenticated as
    has ended meanwhile. A change checked slowly (a password hash) outside the lock must not commit
    after "this wasn't me" or a revocation ended its session (attack finding: a password change
    racing the answer kept the intruder in). Requests without a session (the relay, the Django
    admin, an emailed link) have nothing to check."""
    where = security_log.current_origin()
    if where.session is None or where.session_user_id != user.pk:
        return  # no session, or another account's (an administrator's change)
    if not AuthToken.objects.filter(user_id=user.pk, public_id=where.session).exists():
        raise SessionEnded()


@contextmanager
def tokens_locked(user):
    """A transaction in which the user's row is locked: the user's set of tokens may change."""
    with transaction.atomic():
        _lock_user(user.pk)
        yield


def revoke_all(user, keep=None):
    with tokens_locked(user):
        tokens = AuthToken.objects.filter(user=user)
        if keep is not None:
            tokens = tokens.exclude(pk=keep.pk)
        tokens.delete()
