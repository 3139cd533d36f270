"""The accounts domain's failures: each has a stable `code`; core.errors gives each kind its HTTP answer."""

from django.utils.translation import gettext_lazy as _

from core.errors import FieldInvalid, Invalid, Refused, Unauthenticated


class InvalidCredentials(Invalid):
    code = "invalid_credentials"
    detail = _("Unable to log in with the provided credentials.")


class InvalidKey(Invalid):
    code = "invalid_key"
    detail = _("This confirmation link is invalid or has expired.")


class InvalidReset(Invalid):
    code = "invalid_reset"
    detail = _("This reset link or code is invalid or has expired.")


class InvalidPassword(Invalid):
    code = "invalid_password"
    detail = _("The password is not correct.")


class EmailNotConfirmed(Refused):
    code = "email_not_confirmed"
    detail = _("Please confirm your email address before logging in.")


class SessionEnded(Unauthenticated):
    code = "authentication_failed"
    detail = _("Invalid or expired token.")


class UsernameTaken(FieldInvalid):
    def __init__(self) -> None:
        super().__init__("username", [str(_("This username is taken."))])


class WeakPassword(FieldInvalid):
    """A new password that the policy (accounts.passwords) refuses."""


class InvalidCode(Invalid):
    """A wrong, reused or outdated authenticator or recovery code."""

    code = "invalid_code"
    detail = _("The code is not correct.")


class InvalidChallenge(Invalid):
    """A login's second step with an unknown, used, expired or exhausted challenge."""

    code = "invalid_challenge"
    detail = _("This login attempt is invalid or has expired. Log in again.")


class TOTPNotSetUp(Invalid):
    code = "totp_not_set_up"
    detail = _("Start the authenticator app set-up first.")


class TOTPAlreadyEnabled(Invalid):
    code = "totp_already_enabled"
    detail = _("An authenticator app is already enabled. Disable it first to set up another.")


class TOTPNotEnabled(Invalid):
    code = "totp_not_enabled"
    detail = _("No authenticator app is enabled.")


class ReauthenticationRequired(Refused):
    """A sensitive action from a session that has not proved who it is recently enough."""

    code = "reauthentication_required"
    detail = _("Confirm it's you: reauthenticate, then try again.")


class InvalidLoginCode(Invalid):
    """An emailed sign-in code that is wrong, expired, used, or out of tries (the same answer
    for an address without an account)."""

    code = "invalid_code"
    detail = _("This sign-in code is not correct or has expired. Ask for a new one.")


class MFANotEnabled(Invalid):
    code = "mfa_not_enabled"
    detail = _("No second factor is enabled: set one up first.")


class InvalidCredential(Invalid):
    """A WebAuthn response (registration or assertion) that was refused. One answer for every
    reason (unknown credential, wrong origin, bad signature, used or expired challenge, a counter
    that went back...), so it tells an attacker nothing; the reason is logged."""

    code = "invalid_credential"
    detail = _("This passkey or security key could not be verified. Try again.")


class TooManyCredentials(Invalid):
    code = "too_many_credentials"
    detail = _("This account has as many passkeys and security keys as it can have. Remove one first.")


class PasswordLoginBlocked(Refused):
    """The owner said a sign-in "wasn't me" (accounts/sign_in_alerts.py): the password works
    again only once reset. Answered only for the right password, so it tells nobody else."""

    code = "password_reset_required"
    detail = _("Signing in with your password is blocked until you reset it: check your email for a reset link.")


class InvalidAlertKey(Invalid):
    code = "invalid_key"
    detail = _("This link is invalid, used or expired.")
