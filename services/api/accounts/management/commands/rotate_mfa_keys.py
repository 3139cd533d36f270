"""`manage.py rotate_mfa_keys`: re-encrypts every TOTP seed with the newest MFA_ENCRYPTION_KEYS key.

Rotation: put the new key first in MFA_ENCRYPTION_KEYS (keep the old ones after it) and deploy,
run this, then drop the old keys. A seed that no configured key opens is reported and left as it
is (its owner's app stops working until it is set up again); the command then exits non-zero.
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import TOTPDevice
from accounts.secret_box import SecretUnreadable, reencrypt


def rotate_all() -> tuple[int, list[int]]:
    """(seeds re-encrypted, ids of the devices no key opens)."""
    rotated, unreadable = 0, []
    for pk in TOTPDevice.objects.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().filter(pk=pk).first()
            if device is None:
                continue  # removed meanwhile
            try:
                device.encrypted_secret = reencrypt(device.encrypted_secret)
            except SecretUnreadable:
                unreadable.append(pk)
                continue
            device.save(update_fields=["encrypted_secret"])
            rotated += 1
    return rotated, unreadable


class Command(BaseCommand):
    help = "Re-encrypt every TOTP seed with the first key of MFA_ENCRYPTION_KEYS."

    def handle(self, *args, **options):
        rotated, unreadable = rotate_all()
        self.stdout.write(f"re-encrypted {rotated} TOTP seeds with the newest key")
        if unreadable:
            raise CommandError(f"no configured key opens the seeds of TOTP devices {unreadable}")
