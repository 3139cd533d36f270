"""Changing the account's address: a link to the new address, a notice to the old one; the
address changes when the link is confirmed (accounts.registration.confirm_email)."""

from django.db import IntegrityError, transaction

from accounts import confirmation_keys, mail, security_log
from accounts.errors import InvalidKey
from accounts.models import EmailConfirmation, User
from accounts.passwords import check_current_password, lock_if_unchanged
from core.email_address import normalize_email


def request_email_change(user: User, new_email: str, password: str, client_ip: str | None = None) -> None:
    """Mail a confirmation link to the new address and a notice to the old one.

    If the new address already has an account, nothing is sent there and the caller answers
    the same way, so this cannot be used to find out who is registered.
    """
    check_current_password(user, password, client_ip)
    new_email = normalize_email(new_email)
    if new_email == user.email:
        return
    with transaction.atomic():
        lock_if_unchanged(user)
        if not User.objects.filter(email=new_email).exists():
            key = confirmation_keys.new_key(user, new_email, EmailConfirmation.CHANGE)
            mail.send_email_change_confirmation(user, new_email, key)
        mail.send_email_change_requested_email(user, new_email)
        security_log.record(user, security_log.EMAIL_CHANGE_REQUESTED, new_email=new_email)


def apply_email_change(user: User, confirmation: EmailConfirmation) -> None:
    """The new address is confirmed: it becomes the account's. Runs inside confirm_email's
    transaction, with both rows locked."""
    old_email = user.email
    if old_email == confirmation.email or User.objects.filter(email=confirmation.email).exists():
        raise InvalidKey()
    user.email, user.email_confirmed = confirmation.email, True
    try:
        with transaction.atomic():
            user.save(update_fields=["email", "email_confirmed"])
    except IntegrityError:
        raise InvalidKey() from None
    mail.send_email_changed_email(old_email, user.email, user.language)
    security_log.record(user, security_log.EMAIL_CHANGED, old_email=old_email, new_email=user.email)
