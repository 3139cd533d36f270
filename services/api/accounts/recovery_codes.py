"""Recovery codes: ten single-use codes that stand in for the authenticator app.

Each is 12 characters of the RFC 4648 base32 alphabet (60 bits), shown in groups of four
(`ABCD-EFGH-IJKL`) once, when the set is made. Only a keyed hash is stored: HMAC-SHA256 under
SECRET_KEY (SECRET_KEY_FALLBACKS still verify), with the user's id, so a database dump alone
cannot be searched for them offline. A new set replaces the old one whole.
"""

import hmac
import re
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from accounts import factors, mail, security_log
from accounts.errors import MFANotEnabled
from accounts.models import RecoveryCode, User

COUNT = 10
LENGTH = 12
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
_WELL_FORMED = re.compile(rf"^[{ALPHABET}]{{{LENGTH}}}$")
_SALT = "accounts.recovery-code"


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


def normalize(code: str) -> str:
    """The code as stored: case, spaces and hyphens do not matter."""
    return re.sub(r"[\s-]", "", code).upper()


def _hash(user: User, normalized: str, secret: str | None = None) -> str:
    return salted_hmac(_SALT, f"{user.pk}:{normalized}", secret=secret, algorithm="sha256").hexdigest()


def _hashes(user: User, normalized: str) -> list[str]:
    return [_hash(user, normalized, secret) for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]]


def replace_codes(user: User) -> list[str]:
    """A new set of codes for `user`, the old set gone. Runs inside the caller's transaction."""
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_code() for _ in range(COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, code_hash=_hash(user, normalize(c))) for c in codes)
    return codes


def remaining(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def use_code(user: User, code: str) -> int | None:
    """Spend the unused code `code` of `user`: how many remain after it, or None if it is not one.

    The user's unused codes are locked first, so two requests with the same code cannot both
    spend it. Runs inside the caller's transaction.
    """
    unused = list(RecoveryCode.objects.select_for_update().filter(user=user, used_at__isnull=True))
    normalized = normalize(code)
    if not _WELL_FORMED.match(normalized):
        return None
    candidates = _hashes(user, normalized)
    match = None
    for entry in unused:
        for candidate in candidates:
            if hmac.compare_digest(entry.code_hash, candidate):
                match = entry
    if match is None:
        return None
    match.used_at = timezone.now()
    match.save(update_fields=["used_at"])
    security_log.record(user, security_log.RECOVERY_CODE_USED, remaining=len(unused) - 1)
    return len(unused) - 1


def regenerate(user: User) -> list[str]:
    """POST /api/auth/mfa/recovery-codes/: a new set (the old one stops working), for an account
    with a second factor (codes stand in for one); a notice is mailed."""
    with transaction.atomic():
        factors.lock(user)  # not while the last factor is being removed (its codes go with it)
        if not factors.any_factor(user):
            raise MFANotEnabled()
        codes = replace_codes(user)
        mail.send_recovery_codes_regenerated_email(user)
        security_log.record(user, security_log.RECOVERY_CODES_REGENERATED)
    return codes
