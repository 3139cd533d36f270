"""Data export (GET /api/auth/me/export/): every piece of data held about an account, as JSON.

Declared, not hand-assembled: each model that refers to the account is a Section naming the
fields it exports and, for every other field, why it is left out. tests/test_export.py fails the
build for a model or a field that is in neither list, so the export cannot fall behind the
schema. Left out on purpose: secrets and what derives from them (hashes of tokens, codes, keys
and passwords, the authenticator seed), and the outbox (emails being delivered, which carry live
links and codes, kept only OUTBOX_RETENTION_DAYS).
"""

import base64
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.admin.models import LogEntry
from django.db.models import Model, QuerySet
from django.utils import timezone

from accounts.models import (
    AuthToken,
    EmailConfirmation,
    KnownDevice,
    LoginChallenge,
    LoginCode,
    PasswordResetCode,
    RecoveryCode,
    SecurityEvent,
    SignInAlert,
    SignInFailure,
    TOTPDevice,
    User,
    WebAuthnChallenge,
    WebAuthnCredential,
    WebAuthnUserHandle,
)

FORMAT = "auth-platform-account-export"
VERSION = 1

# Reasons for leaving fields out, not secrets (bandit reads "token" and "secret" as passwords).
_TOKEN = "token material: a hash of the session's secret"  # nosec B105
_SECRET_HASH = "a keyed hash of a secret"  # nosec B105
_TOKEN_KEY = "token material: the token's first characters"  # nosec B105


@dataclass(frozen=True)
class Section:
    key: str
    model: type[Model]
    rows: Callable[[User], QuerySet[Any]]
    fields: tuple[str, ...]
    excluded: Mapping[str, str] = field(default_factory=dict)
    many: bool = True


SECTIONS: tuple[Section, ...] = (
    Section(
        "profile",
        User,
        lambda user: User.objects.filter(pk=user.pk),
        (
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "language",
            "email_confirmed",
            "requested_username",
            "date_joined",
            "last_login",
            "is_active",
            "is_staff",
            "is_superuser",
            "password_login_blocked_at",
        ),
        {
            "password": "a hash of the password",  # nosec B105
            "groups": "exported as `roles`",
            "user_permissions": "exported as `permissions`",
        },
        many=False,
    ),
    Section(
        "sessions",
        AuthToken,
        lambda user: AuthToken.objects.filter(user=user).order_by("-session_started_at"),
        (
            "public_id",
            "created",
            "expiry",
            "session_started_at",
            "last_seen",
            "authenticated_at",
            "user_agent",
            "ip",
            "auth_method",
            "second_factor",
        ),
        {"digest": _TOKEN, "token_key": _TOKEN_KEY, "user": "the account"},
    ),
    Section(
        "authenticator_app",
        TOTPDevice,
        lambda user: TOTPDevice.objects.filter(user=user),
        ("created_at", "confirmed_at"),
        {
            "id": "internal",
            "user": "the account",
            "encrypted_secret": "the authenticator's seed: a secret",  # nosec B105
            "last_used_step": "derived from the last code used",
        },
    ),
    Section(
        "recovery_codes",
        RecoveryCode,
        lambda user: RecoveryCode.objects.filter(user=user).order_by("id"),
        ("created_at", "used_at"),
        {"id": "internal", "user": "the account", "code_hash": _SECRET_HASH},
    ),
    Section(
        "passkeys_and_security_keys",
        WebAuthnCredential,
        lambda user: WebAuthnCredential.objects.filter(user=user).order_by("id"),
        (
            "id",
            "name",
            "passwordless",
            "credential_id",
            "aaguid",
            "transports",
            "backup_eligible",
            "backed_up",
            "sign_count",
            "created_at",
            "last_used_at",
        ),
        {"user": "the account", "public_key": "key material, meaningful only to the authenticator"},
    ),
    Section(
        "webauthn_user_handle",
        WebAuthnUserHandle,
        lambda user: WebAuthnUserHandle.objects.filter(user=user),
        ("handle", "created_at"),
        {"id": "internal", "user": "the account"},
    ),
    Section(
        "email_confirmations",
        EmailConfirmation,
        lambda user: EmailConfirmation.objects.filter(user=user).order_by("-created_at"),
        ("email", "purpose", "created_at", "expires_at", "used_at"),
        {"id": "internal", "user": "the account", "key_hash": "a hash of the link's key"},
    ),
    Section(
        "security_log",
        SecurityEvent,
        lambda user: SecurityEvent.objects.filter(user=user).order_by("-id"),
        ("id", "kind", "created_at", "ip", "user_agent", "device", "session", "details", "count", "disowned_at"),
        {"user": "the account"},
    ),
    Section(
        "known_devices",
        KnownDevice,
        lambda user: KnownDevice.objects.filter(user=user).order_by("-last_seen"),
        ("device", "first_seen", "last_seen"),
        {"id": "internal", "user": "the account", "fingerprint": "a keyed hash of the device's cookie or network"},
    ),
    Section(
        "sign_in_alerts",
        SignInAlert,
        lambda user: SignInAlert.objects.filter(user=user).order_by("-id"),
        ("event", "email", "created_at", "expires_at", "used_at", "answer"),
        {
            "id": "internal",
            "user": "the account",
            "key_hash": "a hash of the alert links' key",
            "fingerprint": "a keyed hash of the device's cookie or network",
        },
    ),
)

# Models that refer to the account but hold nothing worth exporting, and why.
EXCLUDED_MODELS: Mapping[type[Model], str] = {
    PasswordResetCode: "a reset code under way: its hash, minutes long",
    LoginChallenge: "a sign-in's second step under way: its hash, minutes long",
    LoginCode: "an emailed sign-in code under way: its hash, minutes long",
    WebAuthnChallenge: "a passkey ceremony under way: its hash, minutes long",
    SignInFailure: "failed sign-ins waiting to be counted into the security log (exported there)",
    LogEntry: "what this account did in the Django admin, to other accounts: their data",
}


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.urlsafe_b64encode(bytes(value)).rstrip(b"=").decode("ascii")
    return value


def _row(instance: Model, names: tuple[str, ...]) -> dict[str, Any]:
    out = {}
    for name in names:
        model_field = instance._meta.get_field(name)
        attname = getattr(model_field, "attname", name)  # a foreign key exports its id
        out[name] = _value(getattr(instance, attname))
    return out


def export(user: User) -> dict[str, Any]:
    data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "exported_at": timezone.now().isoformat()}
    for section in SECTIONS:
        rows = [_row(instance, section.fields) for instance in section.rows(user)]
        data[section.key] = rows if section.many else rows[0]
    data["roles"] = sorted(user.groups.values_list("name", flat=True))
    data["permissions"] = sorted(
        f"{app}.{codename}"
        for app, codename in user.user_permissions.values_list("content_type__app_label", "codename")
    )
    return data
