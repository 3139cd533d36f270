"""The accounts domain's failures: each has a stable `code`; core.errors gives each kind its HTTP answer."""

from core.errors import FieldInvalid, Invalid, Refused, Unauthenticated


class InvalidCredentials(Invalid):
    code = "invalid_credentials"
    detail = "Unable to log in with the provided credentials."


class InvalidKey(Invalid):
    code = "invalid_key"
    detail = "This confirmation link is invalid or has expired."


class InvalidReset(Invalid):
    code = "invalid_reset"
    detail = "This reset link or code is invalid or has expired."


class InvalidPassword(Invalid):
    code = "invalid_password"
    detail = "The password is not correct."


class EmailNotConfirmed(Refused):
    code = "email_not_confirmed"
    detail = "Please confirm your email address before logging in."


class SessionEnded(Unauthenticated):
    code = "authentication_failed"
    detail = "Invalid or expired token."


class UsernameTaken(FieldInvalid):
    def __init__(self) -> None:
        super().__init__("username", ["This username is taken."])


class WeakPassword(FieldInvalid):
    """A new password that the policy (accounts.passwords) refuses."""
