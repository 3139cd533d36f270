"""The user model, login sessions (knox tokens), email confirmation keys, reset codes and second factors.

Every address is stored normalised (core.email_address.normalize_email).
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.models import AbstractAuthToken

from core.email_address import normalize_email, validate_email_address

USERNAME_PATTERN = r"^[A-Za-z0-9](?:[A-Za-z0-9._-]{1,28}[A-Za-z0-9])$"
username_validator = RegexValidator(
    USERNAME_PATTERN,
    _("3 to 30 characters: letters, digits, and . _ - inside."),
    code="invalid_username",
)


class UserManager(DjangoUserManager):
    def _create_user(self, username, email, password, **extra_fields):
        user = self.model(username=username or None, email=normalize_email(email), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    # Email first, unlike Django's: the email is the USERNAME_FIELD and the username optional.
    def create_user(self, email, password=None, username=None, **extra_fields):  # type: ignore[override]
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(username, email, password, **extra_fields)

    def create_superuser(self, email, password=None, username=None, **extra_fields):  # type: ignore[override]
        extra_fields.update(is_staff=True, is_superuser=True, email_confirmed=True)
        return self._create_user(username, email, password, **extra_fields)


# knox (untyped) declares the tokens' foreign key, so the plugin cannot see user.auth_token_set.
class User(AbstractUser):  # type: ignore[django-manager-missing]
    # ASCII only: Unicode look-alike usernames would let one person impersonate another.
    # Optional, unlike AbstractUser's.
    username = models.CharField(  # type: ignore[assignment]
        max_length=30, null=True, blank=True, validators=[username_validator]
    )
    email = models.EmailField(_("email address"), max_length=254, unique=True, validators=[validate_email_address])
    email_confirmed = models.BooleanField(default=False)
    # The username asked for at sign-up: claimed only when the address is confirmed, so a sign-up
    # for a registered address and one for a new address leave the same usernames free.
    requested_username = models.CharField(max_length=30, null=True, blank=True, editable=False)
    # Set by "this wasn't me" (accounts/sign_in_alerts.py): password sign-in is refused until the
    # password is reset (or changed from a session that signed in some other way).
    password_login_blocked_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The language of the account's emails (settings.LANGUAGES): chosen at sign-up from the web
    # app's language or Accept-Language, changed in the profile. No model choices: adding a
    # language is a catalogue and a line in settings, not a migration (the API checks the value).
    language = models.CharField(max_length=35, default="en")

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(email=Lower("email")), name="user_email_is_lowercase"),
            models.UniqueConstraint(Lower("username"), name="user_username_ci_unique"),
        ]

    def save(self, *args, **kwargs):
        self.email = normalize_email(self.email)
        self.username = self.username or None
        super().save(*args, **kwargs)

    @property
    def roles(self):
        cached = self.__dict__.get("_cached_roles")
        if cached is not None:
            return cached
        return sorted(group.name for group in self.groups.all())

    def cache_roles(self, names):
        """Roles read with the request's authentication query (accounts.authentication)."""
        self._cached_roles = sorted(names)


class AuthToken(AbstractAuthToken):
    """A knox token that is also a visible login session (KNOX_TOKEN_MODEL).

    `public_id` is what the sessions API shows: the primary key is the token's digest.
    """

    # Annotated: knox's base class has no types, so the plugin cannot infer these fields.
    public_id: models.UUIDField[uuid.UUID, uuid.UUID] = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False
    )
    # When the login that started this session happened: refreshed tokens keep it, so sliding
    # renewal and refresh never extend a session past TOKEN_MAX_LIFETIME.
    session_started_at: models.DateTimeField[datetime, datetime] = models.DateTimeField()
    last_seen: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(null=True)
    user_agent: models.CharField[str, str] = models.CharField(max_length=256, blank=True)
    ip: models.GenericIPAddressField[str | None, str | None] = models.GenericIPAddressField(null=True)
    # How the session signed in (accounts.login.Authenticated), shown on the sessions page.
    auth_method: models.CharField[str, str] = models.CharField(max_length=16, default="password")
    second_factor: models.CharField[str, str] = models.CharField(max_length=16, blank=True, default="")
    # The last time this session proved who it is: the login, or POST /api/auth/reauthenticate/.
    # Sensitive actions need it recent (accounts.reauthentication); refreshed tokens keep it.
    authenticated_at: models.DateTimeField[datetime | None, datetime | None] = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["expiry"], name="authtoken_expiry_idx")]


class EmailConfirmation(models.Model):
    """A one-time key that proves control of `email`. Only its SHA-256 is stored."""

    SIGNUP = "signup"
    CHANGE = "change"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="email_confirmations")
    email = models.EmailField(max_length=254)
    purpose = models.CharField(max_length=10, choices=[(SIGNUP, SIGNUP), (CHANGE, CHANGE)], default=SIGNUP)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True)


class PasswordResetCode(models.Model):
    """A 6-digit reset code: HMAC-hashed, one live per user, dies after a few wrong tries (counted
    per address in accounts.throttling.DatabaseCounts, so unknown addresses count alike).

    `state` fingerprints the password hash, email and last login when the code was made, so the
    code dies when any of them changes, like Django's link tokens.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="password_reset_code")
    code_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()


class AddressRequest(models.Model):
    """A request that names an address (password reset, new confirmation link), not yet resolved.

    Every such request is recorded alike, whether or not the address has an account, and is
    resolved off the request path (accounts/address_requests.py), so neither the answer nor its
    timing tells who is registered.
    """

    PASSWORD_RESET = "password_reset"  # a request kind, not a password  # nosec B105
    RESEND_CONFIRMATION = "resend_confirmation"
    LOGIN_CODE = "login_code"

    kind = models.CharField(
        max_length=32,
        choices=[
            (PASSWORD_RESET, PASSWORD_RESET),
            (RESEND_CONFIRMATION, RESEND_CONFIRMATION),
            (LOGIN_CODE, LOGIN_CODE),
        ],
    )
    email = models.CharField(max_length=254)
    # Where the request came from: the account's security log shows it once the relay resolves it.
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=256, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)


class ThrottleCount(models.Model):
    """A counter of the password-check budget in one window (accounts/throttling.py)."""

    name = models.CharField(max_length=200, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)


class TOTPDevice(models.Model):
    """A user's authenticator app (RFC 6238): its seed, encrypted (accounts/secret_box.py).

    Unconfirmed until a first right code proves the app has the seed (accounts/totp.py).
    `last_used_step` is the 30-second time step of the last code accepted: a code is taken only
    for a later step, so none is ever accepted twice.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="totp_device")
    encrypted_secret = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True)
    last_used_step = models.BigIntegerField(null=True)


class RecoveryCode(models.Model):
    """A single-use recovery code: only its keyed hash is stored (accounts/recovery_codes.py)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True)


class LoginChallenge(models.Model):
    """The second step of a login whose password was right (accounts/mfa_login.py).

    Only the challenge's SHA-256 is stored. `state` fingerprints the password hash and the
    factors when the challenge was made, so it dies when either changes. Deleted once used, or
    after MFA_CHALLENGE_MAX_ATTEMPTS wrong codes.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_challenges")
    challenge_hash = models.CharField(max_length=64, unique=True)
    # The first factor that was right (a password or an emailed code): the session records it.
    first_factor = models.CharField(max_length=16, default="password")
    state = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)
    failed_attempts = models.PositiveSmallIntegerField(default=0)


class LoginCode(models.Model):
    """A sign-in code mailed to the account's address (accounts/login_codes.py): one per user,
    only its keyed hash stored, dying on use, on expiry (LOGIN_CODE_TTL_MINUTES), after
    LOGIN_CODE_MAX_ATTEMPTS wrong tries (counted per address, so unknown ones count alike) or
    when the password or the address changes."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="login_code")
    code_hash = models.CharField(max_length=64)
    state = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)


class WebAuthnUserHandle(models.Model):
    """The account's WebAuthn user handle (`user.id` in the creation options, `userHandle` in a
    passkey's assertion): 32 random bytes, never the primary key or the address, so what an
    authenticator stores says nothing about the account. Made at the first registration, then kept."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="webauthn_user_handle")
    handle = models.BinaryField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)


class WebAuthnCredential(models.Model):
    """A passkey or security key of the account (accounts/passkeys.py): its public key (COSE), the
    authenticator's signature counter and what the registration said about it. No secret: the
    private key never leaves the authenticator."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="webauthn_credentials")
    credential_id = models.BinaryField(max_length=1023, unique=True)
    public_key = models.BinaryField(max_length=2048)
    # The authenticator's counter (unsigned 32 bits); 0 for those that keep none.
    sign_count = models.BigIntegerField(default=0)
    name = models.CharField(max_length=64)
    # Registered as a discoverable credential with user verification: it logs in by itself
    # (usernameless). Otherwise a security key, for the login's second step only.
    passwordless = models.BooleanField(default=False)
    # The transports the browser reported (AuthenticatorTransport values, comma-separated): a hint
    # for the browser in allowCredentials and excludeCredentials.
    transports = models.CharField(max_length=128, blank=True)
    aaguid = models.CharField(max_length=36)
    # Backup eligibility never changes for a credential (WebAuthn L3 6.1.3): an assertion that
    # says otherwise is refused. The backup state may change.
    backup_eligible = models.BooleanField(default=False)
    backed_up = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True)


class WebAuthnChallenge(models.Model):
    """A WebAuthn ceremony that was begun: only the challenge's SHA-256 is stored. It works once
    (deleted as it is used, under its row lock) and for its own purpose only, and lives
    WEBAUTHN_CHALLENGE_TTL_SECONDS; expired ones are dropped by a relay job."""

    REGISTER = "register"
    PASSKEY_LOGIN = "passkey_login"
    SECOND_FACTOR = "second_factor"
    REAUTHENTICATE = "reauthenticate"
    PURPOSES = [(p, p) for p in (REGISTER, PASSKEY_LOGIN, SECOND_FACTOR, REAUTHENTICATE)]

    challenge_hash = models.CharField(max_length=64, unique=True)
    purpose = models.CharField(max_length=16, choices=PURPOSES)
    # Whose ceremony it is; none for a usernameless login (the passkey names the account).
    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="webauthn_challenges")
    # The login's second step: the password's challenge this one belongs to, and dies with.
    login_challenge = models.ForeignKey(
        LoginChallenge, on_delete=models.CASCADE, null=True, related_name="webauthn_challenges"
    )
    # A registration: whether a passkey (user verification required) was asked for.
    passwordless = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            # Defence in depth: a usernameless login's challenge names nobody, every other names
            # its user, and only a second step's belongs to a login challenge.
            models.CheckConstraint(
                condition=Q(purpose="passkey_login", user__isnull=True)
                | Q(~Q(purpose="passkey_login"), user__isnull=False),
                name="webauthn_challenge_user_iff_not_usernameless",
            ),
            models.CheckConstraint(
                condition=Q(purpose="second_factor", login_challenge__isnull=False)
                | Q(~Q(purpose="second_factor"), login_challenge__isnull=True),
                name="webauthn_challenge_login_challenge_iff_second_factor",
            ),
        ]


class SecurityEvent(models.Model):
    """One entry of an account's security log (accounts/security_log.py), readable by its owner.

    Never any secret: no token, code, key or password material, not even hashed. `session` is
    the public id of the session the event came from (or, for a sign-in, the one it started).
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="security_events")
    kind = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=256, blank=True)
    # Browser and OS read from the user agent when the event was written ("Chrome 131 on Linux").
    device = models.CharField(max_length=128, blank=True)
    session = models.UUIDField(null=True)
    details = models.JSONField(default=dict)
    # How many failed sign-ins this entry stands for (1 for every other kind).
    count = models.PositiveIntegerField(default=1)
    # The owner answered "this wasn't me" about this sign-in.
    disowned_at = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "-id"], name="securityevent_user_id_idx"),
            models.Index(fields=["created_at"], name="securityevent_created_idx"),
        ]


class SignInFailure(models.Model):
    """A failed sign-in, waiting for the relay to count it into the security log
    (accounts/security_log.py). Written alike whether or not the account exists (user null), so
    neither the answer nor its time tells them apart; the relay drops the unknown ones."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, null=True, related_name="+")
    # sign_in_failed, or reauthentication_failed (a session's wrong password or code).
    kind = models.CharField(max_length=32, default="sign_in_failed")
    method = models.CharField(max_length=16)
    ip = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=256, blank=True)
    session = models.UUIDField(null=True)
    created_at = models.DateTimeField(default=timezone.now)


class KnownDevice(models.Model):
    """A device the account has signed in from (accounts/devices.py): a browser's device cookie,
    or an API client's user-agent family and network. Only a keyed hash of it is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="known_devices")
    fingerprint = models.CharField(max_length=64)
    device = models.CharField(max_length=128, blank=True)
    first_seen = models.DateTimeField(default=timezone.now)
    last_seen = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "fingerprint"], name="knowndevice_user_fingerprint")]


class SignInAlert(models.Model):
    """The key of a new-device alert's links, "Yes, it was me" and "This wasn't me"
    (accounts/sign_in_alerts.py): only its SHA-256 is stored, it works once and expires."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_in_alerts")
    event = models.OneToOneField(SecurityEvent, on_delete=models.CASCADE, related_name="alert")
    # The address the alert went to: holding the key proves control of it ("this wasn't me"
    # gives it back to the account if an intruder changed it since).
    email = models.EmailField(max_length=254)
    # The new device (KnownDevice.fingerprint): forgotten again if the sign-in is disowned.
    fingerprint = models.CharField(max_length=64)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)
    used_at = models.DateTimeField(null=True)
    # "yes" or "no", once used.
    answer = models.CharField(max_length=3, blank=True)
