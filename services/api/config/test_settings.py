"""Settings for the API's own test suite: a fast hasher and no external services."""

import os

os.environ.setdefault("APP_ENV", "test")
os.environ.setdefault("DATABASE_URL", "sqlite://:memory:")

from config.settings import *  # noqa: E402,F403

# Argon2 is deliberately slow; tests of hashing itself override this back.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAIL_QUEUE_BROKER = "stub"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = None  # type: ignore[assignment]  # tests collect no static files
