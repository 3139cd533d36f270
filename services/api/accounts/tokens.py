"""One-time secrets sent by email: generated here, stored only as hashes."""

import hashlib
import secrets


def new_secret():
    return secrets.token_urlsafe(32)  # 256 bits


def hash_secret(secret):
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()
