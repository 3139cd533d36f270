"""What GET /api/auth/mfa/ shows: which second factors are on, never a secret or a code."""

from dataclasses import dataclass
from datetime import datetime

from accounts import recovery_codes
from accounts.models import TOTPDevice, User


@dataclass(frozen=True)
class Status:
    totp_enabled: bool
    totp_enabled_at: datetime | None
    recovery_codes_remaining: int


def status(user: User) -> Status:
    device = TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()
    return Status(
        totp_enabled=device is not None,
        totp_enabled_at=device.confirmed_at if device is not None else None,
        recovery_codes_remaining=recovery_codes.remaining(user) if device is not None else 0,
    )
