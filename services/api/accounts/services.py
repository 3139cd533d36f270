"""Account business rules: registration, email confirmation and login checks.

Views call these functions; they never touch HTTP details.
"""

import logging

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts import mail, sessions, tokens
from accounts.models import EmailConfirmation, User, normalize_email
from accounts.throttling import account_ident, password_check_budget
from core.errors import EmailNotConfirmed, InvalidCredentials, InvalidKey, InvalidPassword

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
            user = User(email=email, requested_username=username or None, password=password_hash)
            user.save()
            user.groups.add(Group.objects.get_or_create(name=MEMBER_ROLE)[0])
            _issue_confirmation(user)
    except IntegrityError:
        # A concurrent registration won the race: treat it like an existing account.
        existing = User.objects.filter(email=email).first()
        if existing is None:
            raise
        _notify_existing_owner(existing)


def _notify_existing_owner(user):
    with transaction.atomic():
        mail.send_account_exists_email(user)


def _issue_confirmation(user):
    key = _new_confirmation(user, user.email, EmailConfirmation.SIGNUP)
    mail.send_confirmation_email(user, key)


def _new_confirmation(user, email, purpose):
    key = tokens.new_secret()
    EmailConfirmation.objects.create(
        user=user,
        email=email,
        purpose=purpose,
        key_hash=tokens.hash_secret(key),
        expires_at=timezone.now() + settings.EMAIL_CONFIRMATION_TTL,
    )
    return key


def resend_confirmation(email):
    """Mail a fresh sign-up link if this address has an active, unconfirmed account."""
    user = User.objects.filter(email=normalize_email(email), is_active=True, email_confirmed=False).first()
    if user is None:
        return
    with transaction.atomic():
        EmailConfirmation.objects.filter(user=user, purpose=EmailConfirmation.SIGNUP, used_at=None).update(
            used_at=timezone.now()
        )
        _issue_confirmation(user)


def confirm_email(key):
    """Confirm a sign-up address or an email change. A key works once, before it expires."""
    with transaction.atomic():
        confirmation = (
            EmailConfirmation.objects.select_for_update()
            .select_related("user")
            .filter(key_hash=tokens.hash_secret(key))
            .first()
        )
        now = timezone.now()
        if confirmation is None or confirmation.used_at is not None or confirmation.expires_at <= now:
            raise InvalidKey()
        user = User.objects.select_for_update().get(pk=confirmation.user_id)
        if not user.is_active:
            raise InvalidKey()
        if confirmation.purpose == EmailConfirmation.SIGNUP:
            if user.email != confirmation.email:
                raise InvalidKey()
            user.email_confirmed = True
            user.save(update_fields=["email_confirmed"])
            _claim_requested_username(user)
        else:
            old_email = user.email
            if old_email == confirmation.email or User.objects.filter(email=confirmation.email).exists():
                raise InvalidKey()
            user.email, user.email_confirmed = confirmation.email, True
            try:
                with transaction.atomic():
                    user.save(update_fields=["email", "email_confirmed"])
            except IntegrityError:
                raise InvalidKey() from None
            mail.send_email_changed_email(old_email, user.email)
        # Every other outstanding key of this user dies with this one.
        EmailConfirmation.objects.filter(user=user, used_at=None).update(used_at=now)
        return user


def _claim_requested_username(user):
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


def authenticate_login(password, email=None, username=None, client_ip=None):
    """Return the user whose credentials these are, or raise.

    Unknown accounts still pay for one password hash, so the answer takes as long and reads
    the same as for a wrong password. Every check spends from the password-check budget of the
    account and of the client address (Throttled when it is used up).
    """
    if email is not None:
        user = User.objects.filter(email=normalize_email(email)).first()
    else:
        user = User.objects.filter(username__iexact=username).first()
    with password_check_budget(account_ident(user, email, username), client_ip) as check:
        if user is None:
            make_password(password)
            raise InvalidCredentials()
        if not user.check_password(password):
            raise InvalidCredentials()
        # Only an active account's correct password gives its unit back: an inactive one
        # answers like a wrong password, and must cost like one.
        check.ok = user.is_active
    if not user.is_active:
        raise InvalidCredentials()
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    return user


def check_current_password(user, password, client_ip):
    """The current password before a sensitive change: it shares the login budget, so a stolen
    token cannot be used to guess the password."""
    with password_check_budget(account_ident(user), client_ip) as check:
        if not user.check_password(password):
            raise InvalidPassword()
        check.ok = True


def update_profile(user, **fields):
    if "username" in fields:
        username = fields["username"] or None
        if username and User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists():
            raise UsernameTaken()
        fields["username"] = username
    for name, value in fields.items():
        setattr(user, name, value)
    try:
        with transaction.atomic():
            user.save(update_fields=list(fields))
    except IntegrityError:
        raise UsernameTaken() from None
    return user


def _lock_if_unchanged(user):
    """Lock the account's row, if its password is still the one just checked.

    Of two parallel changes checked against the same password, the second sees the first's new
    hash here and fails like a wrong password, having changed nothing. Runs inside a transaction.
    """
    locked = User.objects.select_for_update().filter(pk=user.pk, password=user.password).first()
    if locked is None:
        raise InvalidPassword()  # changed (or the account deleted) since it was checked
    return locked


def change_password(user, current_password, new_password, current_token, client_ip=None):
    """Set a new password; every other session is logged out, this one stays."""
    check_current_password(user, current_password, client_ip)
    new_hash = make_password(new_password)  # hashed before the lock is taken
    with transaction.atomic():
        _lock_if_unchanged(user)
        user.password = new_hash
        user.save(update_fields=["password"])
        sessions.revoke_all(user, keep=current_token)
        mail.send_password_changed_email(user)


def request_email_change(user, new_email, password, client_ip=None):
    """Mail a confirmation link to the new address and a notice to the old one.

    If the new address already has an account, nothing is sent there and the caller answers
    the same way, so this cannot be used to find out who is registered.
    """
    check_current_password(user, password, client_ip)
    new_email = normalize_email(new_email)
    if new_email == user.email:
        return
    with transaction.atomic():
        _lock_if_unchanged(user)
        if not User.objects.filter(email=new_email).exists():
            key = _new_confirmation(user, new_email, EmailConfirmation.CHANGE)
            mail.send_email_change_confirmation(user, new_email, key)
        mail.send_email_change_requested_email(user, new_email)


def delete_account(user, password, client_ip=None):
    check_current_password(user, password, client_ip)
    with transaction.atomic():
        _lock_if_unchanged(user)
        email = user.email
        user.delete()  # tokens, keys and codes go with it (on_delete=CASCADE)
        mail.send_account_deleted_email(email)
