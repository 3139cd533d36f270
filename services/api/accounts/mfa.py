"""An account's second factors as a whole: what GET /api/auth/mfa/ shows (never a secret or a
code), whether a login needs a second step, and an administrator's reset."""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.contrib.admin.models import CHANGE, LogEntry
from django.db import transaction
from django.db.models import BooleanField, ExpressionWrapper, QuerySet

from accounts import factors, mail, recovery_codes, security_log
from accounts.models import LoginChallenge, RecoveryCode, TOTPDevice, User, WebAuthnChallenge, WebAuthnCredential

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Status:
    totp_enabled: bool
    totp_enabled_at: datetime | None
    recovery_codes_remaining: int
    webauthn_credentials: int


def status(user: User) -> Status:
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    credentials = WebAuthnCredential.objects.filter(user=user).count()
    return Status(
        totp_enabled=device is not None,
        totp_enabled_at=device.confirmed_at if device is not None else None,
        # Codes exist only while a factor does (accounts.factors); counted only then all the same.
        recovery_codes_remaining=recovery_codes.remaining(user) if device is not None or credentials else 0,
        webauthn_credentials=credentials,
    )


def with_mfa_enabled(users: QuerySet[User]) -> QuerySet[User]:
    """`users`, each with `mfa_enabled` (subqueries, not a query per user)."""
    return users.annotate(mfa_enabled=ExpressionWrapper(factors.any_factor_q(), output_field=BooleanField()))


def reset(user: User, by: User) -> None:
    """An administrator's reset for a user who lost every factor: all of them and the recovery
    codes go, the user is mailed, and the reset is recorded (Django admin's log) with who did it.
    Secrets are never shown to anyone: a reset is the only thing an administrator can do."""
    with transaction.atomic():
        factors.lock(user)
        TOTPDevice.objects.filter(user=user).delete()
        WebAuthnCredential.objects.filter(user=user).delete()
        WebAuthnChallenge.objects.filter(user=user).delete()
        RecoveryCode.objects.filter(user=user).delete()
        LoginChallenge.objects.filter(user=user).delete()
        LogEntry.objects.log_actions(
            user_id=by.pk,
            queryset=[user],
            action_flag=CHANGE,
            change_message="Reset two-factor authentication (every factor and recovery code removed).",
            single_object=True,
        )
        mail.send_mfa_reset_email(user)
        security_log.record_for_administrator(user, security_log.MFA_RESET)
    logger.info("user %s reset the second factors of user %s", by.pk, user.pk)
