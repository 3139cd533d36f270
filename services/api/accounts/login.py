"""Login: the credentials check behind POST /api/auth/login/ (the token itself: accounts.sessions)."""

from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest

from accounts import devices, security_log, sessions, sign_in_alerts
from accounts.errors import EmailNotConfirmed, InvalidCredentials, PasswordLoginBlocked
from accounts.models import AuthToken, User
from accounts.throttling import account_ident, password_check_budget
from core.email_address import normalize_email

# How a session signed in: its first factor, and the second one if the account has any.
PASSWORD, PASSKEY, EMAIL_CODE = "password", "passkey", "email_code"
TOTP, RECOVERY_CODE, WEBAUTHN = "totp", "recovery_code", "webauthn"


@dataclass(frozen=True)
class Authenticated:
    """Who logged in and how: what a login's credentials check hands to start_login_session."""

    user: User
    method: str = PASSWORD
    second_factor: str = ""


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
            security_log.sign_in_failed(None, PASSWORD)  # the same INSERT as for an account's failure
            raise InvalidCredentials()
        if not user.check_password(password):
            security_log.sign_in_failed(user, PASSWORD)
            raise InvalidCredentials()
        # Only an active account's correct password gives its unit back: an inactive one
        # answers like a wrong password, and must cost like one.
        check.ok = user.is_active
    if not user.is_active:
        raise InvalidCredentials()
    if not user.email_confirmed:
        raise EmailNotConfirmed()
    if user.password_login_blocked_at is not None:
        raise PasswordLoginBlocked()
    return user


def start_login_session(
    login: Authenticated, request: HttpRequest, device: devices.Device | None = None
) -> tuple[AuthToken, str]:
    """The session of a login whose password was just checked, created under the user's row lock
    and only if that password (and the active account) is still there; the sign-in is logged,
    and one from a device the account has not used before mails an alert.

    A password change, a reset or a deletion that committed since the check deletes every other
    token under the same lock: without this, a login checked against the old password just
    before could add its token just after, and keep a working session (attack finding). So does
    "this wasn't me" (accounts/sign_in_alerts.py) for a password's sign-in.
    """
    user = login.user
    with transaction.atomic():
        current = User.objects.select_for_update().filter(pk=user.pk, password=user.password, is_active=True)
        if login.method == PASSWORD:
            current = current.filter(password_login_blocked_at__isnull=True)
        if not current.exists():
            raise InvalidCredentials()
        token, raw = sessions.start_session(user, request, auth_method=login.method, second_factor=login.second_factor)
        if security_log.enabled():
            device = device or devices.of_request(request)
            new_device = devices.remember(user, device)
            event = security_log.record(
                user,
                security_log.SIGNED_IN,
                session=token.public_id,
                method=login.method,
                second_factor=login.second_factor,
                new_device=new_device,
            )
            if new_device and event is not None:
                sign_in_alerts.send(user, event, device)
        return token, raw
