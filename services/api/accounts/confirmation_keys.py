"""The one-time keys of emailed confirmation links (sign-up and email change).

Only a key's hash is stored; a key works once, before EMAIL_CONFIRMATION_TTL runs out.
"""

from django.conf import settings
from django.utils import timezone

from accounts import tokens
from accounts.errors import InvalidKey
from accounts.models import EmailConfirmation, User


def new_key(user: User, email: str, purpose: str) -> str:
    key = tokens.new_secret()
    EmailConfirmation.objects.create(
        user=user,
        email=email,
        purpose=purpose,
        key_hash=tokens.hash_secret(key),
        expires_at=timezone.now() + settings.EMAIL_CONFIRMATION_TTL,
    )
    return key


def take_key(key: str) -> tuple[EmailConfirmation, User]:
    """The live confirmation of `key` and its active user, both locked; InvalidKey otherwise.
    Runs inside a transaction; `use_up_keys` ends it."""
    confirmation = (
        EmailConfirmation.objects.select_for_update()
        .select_related("user")
        .filter(key_hash=tokens.hash_secret(key))
        .first()
    )
    if confirmation is None or confirmation.used_at is not None or confirmation.expires_at <= timezone.now():
        raise InvalidKey()
    user = User.objects.select_for_update().get(pk=confirmation.user_id)
    if not user.is_active:
        raise InvalidKey()
    return confirmation, user


def use_up_keys(user: User, purpose: str | None = None) -> None:
    """Every outstanding key of the user (of one purpose, if given) dies."""
    outstanding = EmailConfirmation.objects.filter(user=user, used_at=None)
    if purpose is not None:
        outstanding = outstanding.filter(purpose=purpose)
    outstanding.update(used_at=timezone.now())
