"""Sign-up: registration, the confirmation link and its resending."""

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction

from accounts import confirmation_keys, mail, roles
from accounts.email_change import apply_email_change
from accounts.errors import InvalidKey, UsernameTaken
from accounts.models import EmailConfirmation, User
from core.email_address import normalize_email


def register_user(email: str, password: str, username: str | None = None, language: str = "en") -> None:
    """Create an unconfirmed account and mail a confirmation link.

    Returns nothing on purpose: the caller answers the same way whether or not the address
    was already registered (the owner is mailed an "account exists" notice instead, in the
    language of that account: `language` is only the new account's).
    """
    email = normalize_email(email)
    # Hash first, in both branches, so both cost the same time.
    password_hash = make_password(password)
    # The username is decided first and alike for every address: a taken username answers the
    # same whether or not the address has an account (no account enumeration).
    if username and User.objects.filter(username__iexact=username).exists():
        raise UsernameTaken()
    existing = User.objects.filter(email=email).first()
    if existing is not None:
        _notify_existing_owner(existing)
        return
    try:
        with transaction.atomic():
            # The username is only requested here and claimed at confirmation: claiming it now would
            # let anyone tell a new address (handle taken) from a registered one (handle free).
            user = User(email=email, requested_username=username or None, password=password_hash, language=language)
            user.save()
            roles.give_role(user, roles.MEMBER)
            _send_confirmation(user)
    except IntegrityError:
        # A concurrent registration won the race: treat it like an existing account.
        existing = User.objects.filter(email=email).first()
        if existing is None:
            raise
        _notify_existing_owner(existing)


def _notify_existing_owner(user: User) -> None:
    with transaction.atomic():
        mail.send_account_exists_email(user)


def _send_confirmation(user: User) -> None:
    key = confirmation_keys.new_key(user, user.email, EmailConfirmation.SIGNUP)
    mail.send_confirmation_email(user, key)


def resend_confirmation(email: str) -> None:
    """Mail a fresh sign-up link if this address has an active, unconfirmed account."""
    user = User.objects.filter(email=normalize_email(email), is_active=True, email_confirmed=False).first()
    if user is None:
        return
    with transaction.atomic():
        confirmation_keys.use_up_keys(user, EmailConfirmation.SIGNUP)
        _send_confirmation(user)


def confirm_email(key: str) -> User:
    """Confirm a sign-up address or an email change. A key works once, before it expires."""
    with transaction.atomic():
        confirmation, user = confirmation_keys.take_key(key)
        if confirmation.purpose == EmailConfirmation.SIGNUP:
            if user.email != confirmation.email:
                raise InvalidKey()
            user.email_confirmed = True
            user.save(update_fields=["email_confirmed"])
            _claim_requested_username(user)
        else:
            apply_email_change(user, confirmation)
        # Every other outstanding key of this user dies with this one.
        confirmation_keys.use_up_keys(user)
        return user


def _claim_requested_username(user: User) -> None:
    """The username asked for at sign-up, if nobody has claimed it meanwhile."""
    requested, user.requested_username = user.requested_username, None
    if requested and not User.objects.filter(username__iexact=requested).exists():
        user.username = requested
        try:
            with transaction.atomic():
                user.save(update_fields=["username", "requested_username"])
                return
        except IntegrityError:
            user.username = None  # claimed by a parallel confirmation
    user.save(update_fields=["requested_username"])
