"""Secrets the API must read back (TOTP seeds): encrypted at rest with MultiFernet.

The keys are settings.MFA_ENCRYPTION_KEYS, newest first: the first encrypts, every one decrypts,
so a key is rotated by putting the new one first, re-encrypting (`manage.py rotate_mfa_keys`),
and then dropping the old one. The keys never live in the database, so a dump alone yields
no usable secret. Fernet is AES-128-CBC with HMAC-SHA256: a changed ciphertext fails to decrypt.
"""

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


class SecretUnreadable(Exception):
    """No configured key opens this ciphertext (a wrong or dropped key, or tampering)."""


def _box() -> MultiFernet:
    # Built on each use (cheap: base64 decoding), so a changed setting is honoured at once.
    return MultiFernet([Fernet(key) for key in settings.MFA_ENCRYPTION_KEYS])


def encrypt(plaintext: str) -> str:
    return _box().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    try:
        return _box().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable() from exc


def reencrypt(ciphertext: str) -> str:
    """The same secret under the newest key (SecretUnreadable if no key opens it)."""
    try:
        return _box().rotate(ciphertext.encode("ascii")).decode("ascii")
    except (InvalidToken, UnicodeError) as exc:
        raise SecretUnreadable() from exc
