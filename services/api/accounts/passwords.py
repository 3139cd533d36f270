"""Passwords: the policy for a new one, and the checks of the current one before a change.

The policy is `check_new_password`, applied by every flow that sets a password: by the
`NewPasswordField` of sign-up and change (whose owner is known up front) and by the reset flow
(whose owner is known once the link or code is checked).
"""

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts import mail, security_log, sessions
from accounts.errors import InvalidPassword, WeakPassword
from accounts.models import AuthToken, User
from accounts.throttling import account_ident, password_check_budget


def password_problems(password: str, user: User | None) -> list[str]:
    """What Django's validators (AUTH_PASSWORD_VALIDATORS) say against `password` for `user`."""
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as exc:
        return list(exc.messages)
    return []


def check_new_password(password: str, user: User | None, field: str = "new_password") -> None:
    """Raise WeakPassword (a field error on `field`) if the policy refuses `password`."""
    if problems := password_problems(password, user):
        raise WeakPassword(field, problems)


def check_current_password(user: User, password: str, client_ip: str | None) -> None:
    """The current password before a sensitive change: it shares the login budget, so a stolen
    token cannot be used to guess the password."""
    with password_check_budget(account_ident(user), client_ip) as check:
        if not user.check_password(password):
            security_log.sign_in_failed(user, "password", kind=security_log.REAUTHENTICATION_FAILED)
            raise InvalidPassword()
        check.ok = True


def lock_if_unchanged(user: User) -> User:
    """Lock the account's row, if its password is still the one just checked.

    Of two parallel changes checked against the same password, the second sees the first's new
    hash here and fails like a wrong password, having changed nothing. Runs inside a transaction.
    """
    locked = User.objects.select_for_update().filter(pk=user.pk, password=user.password).first()
    if locked is None:
        raise InvalidPassword()  # changed (or the account deleted) since it was checked
    sessions.ensure_session_alive(locked)
    return locked


def change_password(
    user: User, current_password: str, new_password: str, current_token: AuthToken | None, client_ip: str | None = None
) -> None:
    """Set a new password; every other session is logged out, this one stays."""
    check_current_password(user, current_password, client_ip)
    new_hash = make_password(new_password)  # hashed before the lock is taken
    with transaction.atomic():
        lock_if_unchanged(user)
        user.password = new_hash
        # A "this wasn't me" block stays: only a reset, from the mailbox, ends it.
        user.save(update_fields=["password"])
        sessions.revoke_all(user, keep=current_token)
        mail.send_password_changed_email(user)
        security_log.record(user, security_log.PASSWORD_CHANGED)
