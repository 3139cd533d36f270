"""Login: the credentials check behind POST /api/auth/login/ (the token itself: accounts.sessions)."""

from django.contrib.auth.hashers import make_password

from accounts.errors import EmailNotConfirmed, InvalidCredentials
from accounts.models import User
from accounts.throttling import account_ident, password_check_budget
from core.email_address import normalize_email


def authenticate_login(
    password: str, email: str | None = None, username: str | None = None, client_ip: str | None = None
) -> User:
    """Return the user whose credentials these are, or raise.

    Unknown accounts still pay for one password hash, so the answer takes as long and reads
    the same as for a wrong password. Every check spends from the password-check budget of the
    account and of the client address (TooManyAttempts when it is used up).
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
