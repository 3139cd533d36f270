"""Account business rules: registration, email confirmation and login checks.

Views call these functions; they never touch HTTP details.
"""
import logging

from core.errors import EmailNotConfirmed, InvalidCredentials, InvalidKey
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import mail, tokens
from accounts.models import EmailConfirmation, User, normalize_email

logger = logging.getLogger(__name__)

MEMBER_ROLE = "member"


class UsernameTaken(Exception):
    pass


def register_user(email, password, username=None):
    """Create an unconfirmed account and mail a confirmation link.

    Returns nothing on purpose: the caller answers the same way whether or not the address
    was already registered (the owner is mailed an "account exists" notice instead).
    """
    email = normalize_email(email)
    # Hash first, in both branches, so both cost the same time.
    password_hash = make_password(password)
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        _notify_existing_owner(existing)
        return
    if username and User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken()
    try:
        with transaction.atomic():
            user = User(email=email, username=username or None, password=password_hash)
            user.save()
            user.groups.add(Group.objects.get_or_create(name=MEMBER_ROLE)[0])
            _issue_confirmation(user)
    except IntegrityError:
        # A concurrent registration won the race: treat it like an existing account.
        existing = User.objects.filter(email=email).first()
        if existing is None:
            raise UsernameTaken() from None
        _notify_existing_owner(existing)


def _notify_existing_owner(user):
    with transaction.atomic():
        mail.send_account_exists_email(user)


def _issue_confirmation(user):
    key = tokens.new_secret()
    EmailConfirmation.objects.create(
        user=user,
        email=user.email,
        key_hash=tokens.hash_secret(key),
        expires_at=timezone.now() + settings.EMAIL_CONFIRMATION_TTL,
    )
    mail.send_confirmation_email(user, key)


def confirm_email(key):
    """Mark the address confirmed. The key works once, before it expires, for the current address."""
    with transaction.atomic():
        confirmation = (
            EmailConfirmation.objects.select_for_update()
            .select_related("user")
            .filter(key_hash=tokens.hash_secret(key))
            .first()
        )
        now = timezone.now()
        if (
            confirmation is None
            or confirmation.used_at is not None
            or confirmation.expires_at <= now
            or not confirmation.user.is_active
            or confirmation.user.email != confirmation.email
        ):
            raise InvalidKey()
        user = confirmation.user
        user.email_confirmed = True
        user.save(update_fields=["email_confirmed"])
        # Every other outstanding key for this address dies with this one.
        EmailConfirmation.objects.filter(user=user, used_at=None).update(used_at=now)
        return user


def authenticate_login(password, email=None, username=None):
    """Return the user whose credentials these are, or raise.

    Unknown accounts still pay for one password hash, so the answer takes as long and reads
    the same as for a wrong password.
    """
    if email is not None:
        user = User.objects.filter(email=normalize_email(email)).first()
    else:
        user = User.objects.filter(username__iexact=username).first()
    if user is None:
        make_password(password)
        raise InvalidCredentials()
    if not user.check_password(password) or not user.is_active:
        raise InvalidCredentials()
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    return user
