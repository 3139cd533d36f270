"""The security log: what happened to an account, for its owner to read (GET /api/auth/security-log/).

Each flow records its event with `record` inside the transaction of the change it records, so an
event exists exactly when its change does. Where it came from (address, user agent, session) is
the request's, set once per request (accounts.middleware.SecurityOriginMiddleware, and the
authentication class for the session), so flows do not carry it around.

Nothing secret is ever in an event: no token, code, key or password material, not even hashed.
Failed sign-ins are written to a staging table alike for known and unknown accounts (the same
INSERT, so their time tells nothing) and counted into the log by a relay job.
"""

import contextvars
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from accounts import devices
from accounts.models import KnownDevice, SecurityEvent, SignInAlert, SignInFailure, User

# The kinds of event, as the API names them.
SIGNED_IN = "signed_in"
SIGN_IN_FAILED = "sign_in_failed"
SIGNED_OUT = "signed_out"
SESSION_REVOKED = "session_revoked"
LOGGED_OUT_EVERYWHERE = "logged_out_everywhere"
REAUTHENTICATED = "reauthenticated"
REAUTHENTICATION_FAILED = "reauthentication_failed"
ROLES_CHANGED = "roles_changed"
PASSWORD_CHANGED = "password_changed"  # an event name, not a password  # nosec B105
PASSWORD_RESET_REQUESTED = "password_reset_requested"  # nosec B105
PASSWORD_RESET_COMPLETED = "password_reset_completed"  # nosec B105
EMAIL_CHANGE_REQUESTED = "email_change_requested"
EMAIL_CHANGED = "email_changed"
FACTOR_ADDED = "factor_added"
FACTOR_REMOVED = "factor_removed"
RECOVERY_CODE_USED = "recovery_code_used"
RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated"
ACCOUNT_DEACTIVATED = "account_deactivated"
ACCOUNT_REACTIVATED = "account_reactivated"
MFA_RESET = "mfa_reset"
NEW_DEVICE_CONFIRMED = "new_device_confirmed"
SIGN_IN_DISOWNED = "sign_in_disowned"

KINDS = (
    SIGNED_IN,
    SIGN_IN_FAILED,
    SIGNED_OUT,
    SESSION_REVOKED,
    LOGGED_OUT_EVERYWHERE,
    REAUTHENTICATED,
    REAUTHENTICATION_FAILED,
    ROLES_CHANGED,
    PASSWORD_CHANGED,
    PASSWORD_RESET_REQUESTED,
    PASSWORD_RESET_COMPLETED,
    EMAIL_CHANGE_REQUESTED,
    EMAIL_CHANGED,
    FACTOR_ADDED,
    FACTOR_REMOVED,
    RECOVERY_CODE_USED,
    RECOVERY_CODES_REGENERATED,
    ACCOUNT_DEACTIVATED,
    ACCOUNT_REACTIVATED,
    MFA_RESET,
    NEW_DEVICE_CONFIRMED,
    SIGN_IN_DISOWNED,
)


@dataclass(frozen=True)
class Origin:
    """Where an event came from: the client's address and user agent, and its session."""

    ip: str | None = None
    user_agent: str = ""
    session: uuid.UUID | None = None
    session_user_id: int | None = None  # whose session it is


_NOWHERE = Origin()
# A frozen dataclass: the default is never mutated, only replaced.
_origin: contextvars.ContextVar[Origin] = contextvars.ContextVar("security_origin", default=_NOWHERE)  # noqa: B039


@contextmanager
def origin(where: Origin) -> Iterator[None]:
    """Events recorded inside come from `where` (a request, or a request the relay resolves)."""
    token = _origin.set(where)
    try:
        yield
    finally:
        _origin.reset(token)


def current_origin() -> Origin:
    return _origin.get()


def set_session(session: uuid.UUID, user_id: int) -> None:
    """The request authenticated as this session of this user (accounts.authentication)."""
    _origin.set(replace(_origin.get(), session=session, session_user_id=user_id))


_off: contextvars.ContextVar[bool] = contextvars.ContextVar("security_log_off", default=False)


@contextmanager
def off() -> Iterator[None]:
    """No event, device check or alert inside: only for the benchmark's side-by-side login without
    them (bench/views.py, mounted with BENCH_MODE only). There is no setting that turns the log off."""
    token = _off.set(True)
    try:
        yield
    finally:
        _off.reset(token)


def enabled() -> bool:
    return not _off.get()


def record(user: User, kind: str, *, session: uuid.UUID | None = None, **details: Any) -> SecurityEvent | None:
    """Add an event to `user`'s log. Call it inside the transaction of the change it records."""
    if not enabled():
        return None
    where = _origin.get()
    return SecurityEvent.objects.create(
        user=user,
        kind=kind,
        ip=where.ip,
        user_agent=where.user_agent[:256],
        device=devices.describe(where.user_agent),
        session=session or where.session,
        details=details,
    )


def record_for_administrator(user: User, kind: str, **details: Any) -> SecurityEvent | None:
    """An administrator's change to `user`: the user sees that an administrator did it, not the
    administrator's address, browser or session."""
    with origin(_NOWHERE):
        return record(user, kind, **details)


def sign_in_failed(user: User | None, method: str, kind: str = SIGN_IN_FAILED) -> None:
    """A failed sign-in: staged alike for a known account and an unknown one (user None). Also a
    session's wrong password or code (REAUTHENTICATION_FAILED): counted the same way."""
    if not enabled():
        return
    where = _origin.get()
    SignInFailure.objects.create(
        user=user, kind=kind, method=method, ip=where.ip, user_agent=where.user_agent[:256], session=where.session
    )


def _count_failures(user_id: int, failures: list[SignInFailure]) -> None:
    """Count `failures` (one account's, of one kind, from one address, by one method, oldest first)
    into the log."""
    first, n = failures[0], len(failures)
    kind = first.kind
    since = first.created_at - settings.SECURITY_LOG_FAILED_SIGN_IN_WINDOW
    recent = SecurityEvent.objects.filter(user_id=user_id, kind=kind, created_at__gt=since)
    details = {"method": first.method, "last_at": failures[-1].created_at.isoformat()}
    entry = recent.filter(ip=first.ip, details__method=first.method).order_by("-id").first()
    if entry is None and recent.count() >= settings.SECURITY_LOG_FAILED_SIGN_IN_ENTRIES:
        # Past the cap, one more entry counts the rest, from whatever address: no entry claims
        # failures from an address that did not send them.
        entry = recent.filter(details__from_many_addresses=True).order_by("-id").first()
        if entry is None:
            SecurityEvent.objects.create(
                user_id=user_id,
                kind=kind,
                created_at=first.created_at,
                details={**details, "method": "various", "from_many_addresses": True},
                count=n,
            )
            return
        details["method"] = "various"
    if entry is not None:
        SecurityEvent.objects.filter(pk=entry.pk).update(count=F("count") + n, details={**entry.details, **details})
        return
    SecurityEvent.objects.create(
        user_id=user_id,
        kind=kind,
        created_at=first.created_at,
        ip=first.ip,
        user_agent=first.user_agent,
        device=devices.describe(first.user_agent),
        session=first.session,
        details=details,
        count=n,
    )


def count_sign_in_failures(limit: int = 500) -> int:
    """A relay job (settings.OUTBOX_RELAY_JOBS): count staged failures into their accounts' logs
    (one entry per client address and window, at most SECURITY_LOG_FAILED_SIGN_IN_ENTRIES a window
    and one for the rest); those of unknown accounts are dropped.

    A batch at a time, in one short transaction: a flood of failures is a few writes, not one
    transaction each (attack finding: thousands of them back to back kept SQLite's one write lock
    busy, and a relay paused inside one stopped every write of the API). Rows another relay holds
    are skipped, so each failure is counted once."""
    with transaction.atomic():
        batch = list(SignInFailure.objects.select_for_update(skip_locked=True).order_by("id")[:limit])
        groups: dict[tuple[int, str, str | None, str], list[SignInFailure]] = {}
        for failure in batch:
            if failure.user_id is not None:
                groups.setdefault((failure.user_id, failure.kind, failure.ip, failure.method), []).append(failure)
        for user_id in sorted({user_id for user_id, _, _, _ in groups}):
            # One relay at a time per account: two counting its failures at once would each start an entry.
            User.objects.select_for_update().filter(pk=user_id).exists()
        for (user_id, _, _, _), failures in groups.items():
            _count_failures(user_id, failures)
        SignInFailure.objects.filter(pk__in=[failure.pk for failure in batch]).delete()
    return len(batch)


def events(user: User) -> QuerySet[SecurityEvent]:
    return SecurityEvent.objects.filter(user=user)


def prune(now=None) -> int:
    """Forget events older than SECURITY_LOG_RETENTION_DAYS (the token-cleanup job runs this)."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.SECURITY_LOG_RETENTION_DAYS)
    deleted = SecurityEvent.objects.filter(created_at__lt=cutoff).delete()[0]
    # Staged failures older than a window were never counted (no relay ran): not worth it now.
    SignInFailure.objects.filter(created_at__lt=cutoff).delete()
    KnownDevice.objects.filter(last_seen__lt=cutoff).delete()
    SignInAlert.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted
