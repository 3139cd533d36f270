"""Which second factors an account has: the one place that knows every kind (an authenticator
app, passkeys and security keys), for the login's second step, the status page and the rule that
recovery codes exist exactly while some factor does.

Only models (and login's names of the factors) are imported here, so every flow can ask.
"""

from django.db.models import Exists, OuterRef, Q

from accounts import sessions
from accounts.login import RECOVERY_CODE, TOTP, WEBAUTHN
from accounts.models import RecoveryCode, TOTPDevice, User, WebAuthnCredential


def has_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def has_webauthn(user: User) -> bool:
    return WebAuthnCredential.objects.filter(user=user).exists()


def any_factor(user: User) -> bool:
    """Whether the account has a second factor: then a login needs a second step."""
    return has_totp(user) or has_webauthn(user)


def any_factor_q(user_ref: str = "pk") -> Q:
    """The same, as a condition on the users of a query (one subquery each, no query per user)."""
    totp = TOTPDevice.objects.filter(user=OuterRef(user_ref), confirmed_at__isnull=False)
    webauthn = WebAuthnCredential.objects.filter(user=OuterRef(user_ref))
    return Q(Exists(totp)) | Q(Exists(webauthn))


def methods(user: User) -> tuple[str, ...]:
    """The second-step methods this account can use now (what `mfa_required` names): only those
    it has, in a fixed order."""
    has = {
        TOTP: has_totp(user),
        RECOVERY_CODE: RecoveryCode.objects.filter(user=user, used_at__isnull=True).exists(),
        WEBAUTHN: has_webauthn(user),
    }
    return tuple(name for name, present in has.items() if present)


def lock(user: User) -> None:
    """Lock the user's row until the end of the transaction: changes to the set of factors (and so
    to the recovery codes) happen one after the other. Without it, two factors added at once would
    each think it is the first and make a set of codes, and one set shown to the user would be dead."""
    list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True))
    sessions.ensure_session_alive(user)  # a factor added by a session that ended meanwhile: refused
