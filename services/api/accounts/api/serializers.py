"""Input validation and output shapes of the account endpoints. No business rules here."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from accounts import devices
from accounts.models import USERNAME_PATTERN, User, WebAuthnCredential, username_validator
from accounts.passwords import password_problems
from core import languages
from core.email_address import normalize_email
from core.fields import NormalizedEmailField, StrictBooleanField, StrictCharField, WholeValueRegexValidator
from core.schema import OneOfShapes

_DATE_TIME = serializers.DateTimeField(read_only=True)


class UserSerializer(serializers.ModelSerializer):
    """The account as the API shows it (GET /api/auth/me/ and every answer that returns the user).

    `fields` is what the schema shows and what DRF would represent field by field; the
    representation below gives the same (test_serializers.py compares them for every kind of
    account) without building the nine fields from the model on every call: that was about a
    third of an authenticated GET's time in-process (docs/performance.md).
    """

    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "username",
            "first_name",
            "last_name",
            "language",
            "email_confirmed",
            "date_joined",
            "roles",
        ]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return user.roles

    def to_representation(self, instance):
        return {
            "id": instance.id,
            "email": instance.email,
            "username": instance.username,
            "first_name": instance.first_name,
            "last_name": instance.last_name,
            "language": instance.language,
            "email_confirmed": instance.email_confirmed,
            "date_joined": _DATE_TIME.to_representation(instance.date_joined),
            "roles": instance.roles,
        }


class PasswordField(StrictCharField):
    """An existing password: only checked against its hash, so any length up to the cap (older
    accounts may predate the length rule)."""

    def __init__(self, **kwargs):
        # trim_whitespace=False: spaces are part of a password. max_length is checked before any
        # hashing, so a megabyte password is refused cheaply.
        kwargs.setdefault("max_length", settings.PASSWORD_MAX_LENGTH)
        super().__init__(trim_whitespace=False, style={"input_type": "password"}, **kwargs)


class NewPasswordField(PasswordField):
    """A password being chosen: the one password policy (accounts.passwords), wherever one is set.

    Its length limits are field limits, so the schema states them (minLength/maxLength). Then the
    policy runs against the account the password is for, which the serializer names with
    `password_owner()`. Where the owner is only known once other input is checked (a reset: the
    link or code), the serializer has no `password_owner` and the flow applies the policy.
    """

    def __init__(self, **kwargs):
        super().__init__(
            min_length=settings.PASSWORD_MIN_LENGTH,
            error_messages={
                "min_length": _("This password is too short. It must contain at least {min_length} characters.")
            },
            help_text=f"{settings.PASSWORD_MIN_LENGTH} to {settings.PASSWORD_MAX_LENGTH} characters; spaces count. "
            "Also refused, as a `validation_error` on this field: a common password, or one too similar "
            "to, or containing, the email address's local part or the username.",
            **kwargs,
        )

    def run_validation(self, data=empty):
        value = super().run_validation(data)  # the length limits first: nothing long gets hashed
        password_owner = getattr(self.parent, "password_owner", None)
        if password_owner is not None and (problems := password_problems(value, password_owner())):
            raise serializers.ValidationError(problems)
        return value


class LanguageField(serializers.ChoiceField):
    """One of settings.LANGUAGES: the language of the account's emails (and of the web app)."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text",
            "The account's language: its emails are written in it. At sign-up, without it, the "
            "request's Accept-Language decides (English when it names none of ours).",
        )
        super().__init__(choices=settings.LANGUAGES, **kwargs)
        # A fixed message: never the refused value echoed back (attack finding: 100 KB came back).
        self.error_messages["invalid_choice"] = format_lazy(
            _("Choose one of: {languages}."), languages=", ".join(code for code, _name in settings.LANGUAGES)
        )


USERNAME_HELP = "3 to 30 characters: ASCII letters, digits, and . _ - inside. Unique, whatever the case."


class RegisterSerializer(serializers.Serializer):
    email = NormalizedEmailField()
    password = NewPasswordField()
    # Omitted or null: no username. "" is refused: it means nothing that omitting does not.
    username = StrictCharField(
        required=False, allow_null=True, max_length=30, validators=[username_validator], help_text=USERNAME_HELP
    )
    language = LanguageField(required=False, default=languages.current)

    def validate_username(self, value):
        return value or None

    def password_owner(self):
        # The account does not exist yet: the similarity check compares with the raw email and
        # username input, whatever their validity, so its errors show with the other fields'.
        email, username = self.initial_data.get("email"), self.initial_data.get("username")
        return User(
            email=normalize_email(email) if isinstance(email, str) else "",
            username=username if isinstance(username, str) else None,
        )


class ConfirmEmailSerializer(serializers.Serializer):
    key = StrictCharField(max_length=128)


# The shapes of the requests that come in two ("email or username", "link or code"), for the
# schema (core.schema.OneOfShapes). The serializers that validate those requests decide alike;
# tests/test_schema_agrees_with_api.py holds them to it.


@extend_schema_field({"not": {}})
class AbsentField(serializers.Field):
    """Schema only: a property that this shape of the request must not have."""

    def __init__(self, **kwargs):
        super().__init__(required=False, help_text="Not with this shape.", **kwargs)


def login_email_field(**kwargs):
    return StrictCharField(max_length=254, help_text="The account's email address, in any case.", **kwargs)


def login_username_field(**kwargs):
    return StrictCharField(max_length=254, help_text="The account's username, in any case.", **kwargs)


class EmailLoginSerializer(serializers.Serializer):
    email = login_email_field()
    password = PasswordField()
    username = AbsentField()


class UsernameLoginSerializer(serializers.Serializer):
    username = login_username_field()
    password = PasswordField()
    email = AbsentField()


class LoginSerializer(OneOfShapes, serializers.Serializer):
    """Either {email, password} or {username, password}."""

    shapes = (EmailLoginSerializer, UsernameLoginSerializer)

    email = login_email_field(required=False)
    username = login_username_field(required=False)
    password = PasswordField()

    def validate(self, attrs):
        if bool(attrs.get("email")) == bool(attrs.get("username")):
            raise serializers.ValidationError(_("Give either an email or a username, with the password."))
        return attrs


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LoginResponseSerializer(serializers.Serializer):
    token = serializers.CharField(
        required=False, help_text="The knox token. Absent with `X-Auth-Transport: cookie`: it is in the cookie."
    )
    expiry = serializers.DateTimeField()
    user = UserSerializer()


class TokenRefreshResponseSerializer(serializers.Serializer):
    token = serializers.CharField(required=False, help_text="The new token (absent with the cookie transport).")
    expiry = serializers.DateTimeField()


class SessionSerializer(serializers.Serializer):
    """One active login (knox token) of the user, as the sessions page shows it."""

    # A session keeps its id and start time across refreshes (a refresh swaps only its token).
    id = serializers.UUIDField(source="public_id")
    created = serializers.DateTimeField(source="session_started_at", help_text="When the login happened.")
    expiry = serializers.DateTimeField()
    last_seen = serializers.DateTimeField(allow_null=True, help_text="Coarse: updated at most every few minutes.")
    user_agent = serializers.CharField(allow_blank=True)
    ip = serializers.IPAddressField(allow_null=True)
    auth_method = serializers.ChoiceField(
        choices=["password", "passkey", "email_code"], help_text="How the session signed in: its first factor."
    )
    second_factor = serializers.SerializerMethodField(help_text="The second factor of the login, if it had one.")
    current = serializers.SerializerMethodField()

    @extend_schema_field({"type": "string", "enum": ["totp", "recovery_code", "webauthn"], "nullable": True})
    def get_second_factor(self, token) -> str | None:
        return token.second_factor or None

    def get_current(self, token) -> bool:
        return token.pk == self.context["current_token"].pk


class DashboardSerializer(serializers.Serializer):
    message = serializers.CharField()
    user = UserSerializer()
    server_time = serializers.DateTimeField()


class EmailSerializer(serializers.Serializer):
    email = NormalizedEmailField()


@extend_schema_field(
    {
        "type": "string",
        "nullable": True,
        "maxLength": 30,
        "pattern": f"^$|{USERNAME_PATTERN}",
        "description": f'{USERNAME_HELP} `null` or `""` removes it.',
    }
)
class ClearableUsernameField(StrictCharField):
    """A new username, or null or "" to remove it (the web app sends "" for an emptied field).
    DRF runs no validators on "", so the schema's pattern allows it too."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, allow_blank=True, max_length=30, validators=[username_validator], **kwargs)


class ProfileSerializer(serializers.Serializer):
    username = ClearableUsernameField(required=False)
    language = LanguageField(required=False)
    first_name = StrictCharField(required=False, allow_blank=True, max_length=150)
    last_name = StrictCharField(required=False, allow_blank=True, max_length=150)


class PasswordSerializer(serializers.Serializer):
    password = PasswordField()


class PasswordChangeSerializer(serializers.Serializer):
    current_password = PasswordField()
    new_password = NewPasswordField()

    def password_owner(self):
        return self.context["request"].user


class EmailChangeSerializer(serializers.Serializer):
    new_email = NormalizedEmailField()
    password = PasswordField()


def reset_uid_field(**kwargs):
    return StrictCharField(max_length=64, help_text="From the reset link.", **kwargs)


def reset_token_field(**kwargs):
    return StrictCharField(max_length=128, help_text="From the reset link.", **kwargs)


def reset_email_field(**kwargs):
    return StrictCharField(max_length=254, help_text="The address the code was sent to.", **kwargs)


# [0-9], not \d: Python's \d also takes other scripts' digits, the schema's (ECMA) does not.
SIX_DIGITS = RegexValidator(r"^[0-9]{6}$", _("Enter the 6-digit code from the email."))


def reset_code_field(**kwargs):
    return StrictCharField(
        max_length=6, validators=[SIX_DIGITS], help_text="The 6-digit code from the email.", **kwargs
    )


class ResetLinkSerializer(serializers.Serializer):
    uid = reset_uid_field()
    token = reset_token_field()
    email = AbsentField()
    code = AbsentField()


class ResetCodeSerializer(serializers.Serializer):
    email = reset_email_field()
    code = reset_code_field()
    uid = AbsentField()
    token = AbsentField()


class ResetConfirmLinkSerializer(ResetLinkSerializer):
    new_password = NewPasswordField()


class ResetConfirmCodeSerializer(ResetCodeSerializer):
    new_password = NewPasswordField()


class ResetVerifySerializer(OneOfShapes, serializers.Serializer):
    """Either {uid, token} (the link) or {email, code} (the code)."""

    shapes = (ResetLinkSerializer, ResetCodeSerializer)

    uid = reset_uid_field(required=False)
    token = reset_token_field(required=False)
    email = reset_email_field(required=False)
    code = reset_code_field(required=False)

    def validate(self, attrs):
        link = "uid" in attrs or "token" in attrs
        code = "email" in attrs or "code" in attrs
        if link == code:
            raise serializers.ValidationError(_("Give either uid and token, or email and code."))
        needed = ("uid", "token") if link else ("email", "code")
        missing = {name: [serializers.Field.default_error_messages["required"]] for name in needed if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class ResetConfirmSerializer(ResetVerifySerializer):
    shapes = (ResetConfirmLinkSerializer, ResetConfirmCodeSerializer)
    # No password_owner: the policy runs once the link or code names the account
    # (accounts.password_reset.confirm_reset), so a weak password does not use it up.
    new_password = NewPasswordField()


# Second factors (accounts/totp.py, accounts/recovery_codes.py, accounts/mfa_login.py).

TOTP_SIX_DIGITS = RegexValidator(r"^[0-9]{6}$", _("Enter the 6-digit code from your authenticator app."))


def totp_code_field(**kwargs):
    return StrictCharField(
        max_length=6,
        validators=[TOTP_SIX_DIGITS],
        help_text="The 6-digit code your authenticator app shows now.",
        **kwargs,
    )


def recovery_code_field(**kwargs):
    return StrictCharField(
        max_length=32,
        help_text="One of the account's recovery codes, like `ABCD-EFGH-IJKL`; case, spaces and hyphens do not matter.",
        **kwargs,
    )


def challenge_field(**kwargs):
    return StrictCharField(max_length=128, help_text="The `challenge` that the login's first step answered.", **kwargs)


class TOTPSetupSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="The base32 seed, for typing into an app by hand.")
    otpauth_uri = serializers.CharField(help_text="The `otpauth://totp/...` URI, for a QR code.")


class TOTPCodeSerializer(serializers.Serializer):
    code = totp_code_field()


class RecoveryCodesSerializer(serializers.Serializer):
    recovery_codes = serializers.ListField(
        child=serializers.CharField(), help_text="Ten single-use codes. Shown this once: they are stored hashed."
    )


class MFAStatusSerializer(serializers.Serializer):
    totp_enabled = serializers.BooleanField()
    totp_enabled_at = serializers.DateTimeField(allow_null=True)
    recovery_codes_remaining = serializers.IntegerField()
    webauthn_credentials = serializers.IntegerField(help_text="How many passkeys and security keys the account has.")


class MFARequiredSerializer(serializers.Serializer):
    mfa_required = serializers.BooleanField(help_text="Always true: the password was right, a second factor is needed.")
    challenge = serializers.CharField(help_text="Opaque; send it to POST /api/auth/login/mfa/ with a code.")
    methods = serializers.ListField(
        child=serializers.ChoiceField(choices=["totp", "recovery_code", "webauthn"]),
        help_text="The second factors this account has, in this order: `totp`, `recovery_code`, `webauthn`.",
    )


# WebAuthn (accounts/passkeys.py): the browser's responses in their JSON form (WebAuthn L3
# RegistrationResponseJSON and AuthenticationResponseJSON, as @simplewebauthn/browser sends them):
# binary values are base64url strings without padding. Only the shape is checked here (a wrong
# one is a `validation_error`); py_webauthn decides the rest (`invalid_credential`).

BASE64URL = WholeValueRegexValidator(r"^[A-Za-z0-9_-]+$", "Must be base64url (A-Z, a-z, 0-9, - and _, no padding).")


def base64url_field(max_length, **kwargs):
    return StrictCharField(max_length=max_length, validators=[BASE64URL], trim_whitespace=False, **kwargs)


def credential_id_field(**kwargs):
    return base64url_field(1366, **kwargs)  # at most 1023 bytes (WebAuthn L2 5.8.3)


def authenticator_attachment_field():
    return serializers.ChoiceField(choices=["platform", "cross-platform"], required=False, allow_null=True)


def client_extension_results_field():
    return serializers.DictField(required=False, help_text="The client's extension outputs; not used.")


class AttestationResponseSerializer(serializers.Serializer):
    clientDataJSON = base64url_field(8192)
    attestationObject = base64url_field(65536)
    transports = serializers.ListField(
        child=StrictCharField(max_length=32),
        required=False,
        max_length=16,
        help_text="What `getTransports()` said (`usb`, `nfc`, `ble`, `internal`, `hybrid`, ...); others are ignored.",
    )


class RegistrationCredentialSerializer(serializers.Serializer):
    """What `startRegistration()` resolves to (navigator.credentials.create()'s credential)."""

    id = credential_id_field()
    rawId = credential_id_field()
    type = serializers.ChoiceField(choices=["public-key"])
    response = AttestationResponseSerializer()
    authenticatorAttachment = authenticator_attachment_field()
    clientExtensionResults = client_extension_results_field()


class AssertionResponseSerializer(serializers.Serializer):
    clientDataJSON = base64url_field(8192)
    authenticatorData = base64url_field(8192)
    signature = base64url_field(2048)
    userHandle = base64url_field(
        88, required=False, allow_null=True, help_text="A passkey's user handle (at most 64 bytes)."
    )


class AuthenticationCredentialSerializer(serializers.Serializer):
    """What `startAuthentication()` resolves to (navigator.credentials.get()'s credential)."""

    id = credential_id_field()
    rawId = credential_id_field()
    type = serializers.ChoiceField(choices=["public-key"])
    response = AssertionResponseSerializer()
    authenticatorAttachment = authenticator_attachment_field()
    clientExtensionResults = client_extension_results_field()


# A credential's name: 1 to 64 characters, no control characters, no space at either end, and
# none of the invisible ones that can make a name look like another (zero-width characters,
# bidirectional overrides, line separators, byte-order marks: attack finding).
_INVISIBLE = r"\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff"
_NAME_CHAR = rf"[^{_INVISIBLE}]"
_NAME_EDGE = rf"[^\s{_INVISIBLE}]"
CREDENTIAL_NAME = WholeValueRegexValidator(
    rf"^{_NAME_EDGE}(?:{_NAME_CHAR}*{_NAME_EDGE})?$",
    _("Use 1 to 64 characters, without control or invisible characters or spaces at either end."),
)


def credential_name_field(**kwargs):
    return StrictCharField(
        max_length=64,
        trim_whitespace=False,
        validators=[CREDENTIAL_NAME],
        help_text="Your name for it, like `YubiKey 5` or `Phone`: 1 to 64 characters.",
        **kwargs,
    )


class WebAuthnCredentialSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebAuthnCredential
        fields = ["id", "name", "passwordless", "created_at", "last_used_at"]
        read_only_fields = fields
        extra_kwargs = {
            "passwordless": {"help_text": "A passkey (signs in by itself); false: a security key (second step only)."}
        }


class WebAuthnOptionsSerializer(serializers.Serializer):
    options = serializers.DictField(
        help_text="The WebAuthn options in their JSON form (PublicKeyCredentialCreationOptionsJSON or "
        "PublicKeyCredentialRequestOptionsJSON, binary values as base64url): give them to "
        "`startRegistration({optionsJSON})` or `startAuthentication({optionsJSON})`."
    )


class WebAuthnRegisterBeginSerializer(serializers.Serializer):
    passwordless = StrictBooleanField(
        help_text="true: a passkey (discoverable, with user verification: it signs in by itself); "
        "false: a security key, for the login's second step."
    )


class WebAuthnRegisterSerializer(serializers.Serializer):
    name = credential_name_field()
    credential = RegistrationCredentialSerializer()


class WebAuthnRegisteredSerializer(serializers.Serializer):
    credential = WebAuthnCredentialSerializer()
    recovery_codes = serializers.ListField(
        child=serializers.CharField(),
        help_text="Ten new recovery codes when this is the account's first second factor (shown this once), "
        "else empty.",
    )


class WebAuthnRenameSerializer(serializers.Serializer):
    name = credential_name_field()


class PasskeyLoginSerializer(serializers.Serializer):
    credential = AuthenticationCredentialSerializer()


class LoginChallengeSerializer(serializers.Serializer):
    challenge = challenge_field()


class LoginTOTPSerializer(serializers.Serializer):
    challenge = challenge_field()
    code = totp_code_field()
    recovery_code = AbsentField()
    credential = AbsentField()


class LoginRecoveryCodeSerializer(serializers.Serializer):
    challenge = challenge_field()
    recovery_code = recovery_code_field()
    code = AbsentField()
    credential = AbsentField()


class LoginWebAuthnSerializer(serializers.Serializer):
    challenge = challenge_field()
    credential = AuthenticationCredentialSerializer(
        help_text="The assertion for the options of POST /api/auth/login/mfa/webauthn/begin/."
    )
    code = AbsentField()
    recovery_code = AbsentField()


def _exactly_one(attrs, names, message):
    if sum(name in attrs for name in names) != 1:
        raise serializers.ValidationError(message)
    return attrs


def _code_or_recovery_code(attrs):
    return _exactly_one(attrs, ("code", "recovery_code"), _("Give either a code or a recovery code."))


class LoginMFASerializer(OneOfShapes, serializers.Serializer):
    """Either {challenge, code}, {challenge, recovery_code} or {challenge, credential}."""

    shapes = (LoginTOTPSerializer, LoginRecoveryCodeSerializer, LoginWebAuthnSerializer)

    challenge = challenge_field()
    code = totp_code_field(required=False)
    recovery_code = recovery_code_field(required=False)
    credential = AuthenticationCredentialSerializer(required=False)

    def validate(self, attrs):
        return _exactly_one(
            attrs, ("code", "recovery_code", "credential"), _("Give either a code, a recovery code or a credential.")
        )


class TOTPDisableCodeSerializer(serializers.Serializer):
    code = totp_code_field()
    recovery_code = AbsentField()


class TOTPDisableRecoveryCodeSerializer(serializers.Serializer):
    recovery_code = recovery_code_field()
    code = AbsentField()


class TOTPDisableSerializer(OneOfShapes, serializers.Serializer):
    """Either {code} or {recovery_code} (for a lost app); the session must have reauthenticated."""

    shapes = (TOTPDisableCodeSerializer, TOTPDisableRecoveryCodeSerializer)

    code = totp_code_field(required=False)
    recovery_code = recovery_code_field(required=False)

    def validate(self, attrs):
        return _code_or_recovery_code(attrs)


class ReauthenticatePasswordSerializer(serializers.Serializer):
    password = PasswordField()
    code = AbsentField()
    credential = AbsentField()


class ReauthenticateCodeSerializer(serializers.Serializer):
    code = totp_code_field()
    password = AbsentField()
    credential = AbsentField()


class ReauthenticateWebAuthnSerializer(serializers.Serializer):
    credential = AuthenticationCredentialSerializer(
        help_text="The assertion for the options of POST /api/auth/reauthenticate/webauthn/begin/."
    )
    password = AbsentField()
    code = AbsentField()


class ReauthenticateSerializer(OneOfShapes, serializers.Serializer):
    """Either {password}, {code} (a current authenticator code) or {credential} (a WebAuthn assertion)."""

    shapes = (ReauthenticatePasswordSerializer, ReauthenticateCodeSerializer, ReauthenticateWebAuthnSerializer)

    password = PasswordField(required=False)
    code = totp_code_field(required=False)
    credential = AuthenticationCredentialSerializer(required=False)

    def validate(self, attrs):
        return _exactly_one(
            attrs,
            ("password", "code", "credential"),
            _("Give either the password, an authenticator code or a passkey's or security key's credential."),
        )


class ReauthenticatedSerializer(serializers.Serializer):
    reauthenticated_until = serializers.DateTimeField(help_text="Sensitive actions need no new proof until then.")


class LoginCodeSerializer(serializers.Serializer):
    email = StrictCharField(max_length=254, help_text="The address the sign-in code was sent to.")
    code = StrictCharField(
        max_length=12,
        validators=[RegexValidator(r"^[A-Za-z0-9 -]+$", _("Enter the code from the email."))],
        help_text="The 8-character code from the email (any case; spaces and dashes are ignored).",
    )


class SecurityEventSerializer(serializers.Serializer):
    """One entry of the security log (accounts/security_log.py): never a secret."""

    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="signed_in, sign_in_failed, password_changed, ... (docs/security-log.md)")
    created_at = serializers.DateTimeField()
    ip = serializers.IPAddressField(allow_null=True)
    device = serializers.SerializerMethodField(
        help_text='Browser and OS, like "Chrome 131 on Linux", in the request\'s language.'
    )
    session = serializers.UUIDField(allow_null=True, help_text="The session it came from (or, signing in, started).")
    current_session = serializers.SerializerMethodField()
    count = serializers.IntegerField(help_text="How many failed sign-ins the entry counts; 1 for other kinds.")
    disowned = serializers.SerializerMethodField(help_text='The owner said "this wasn\'t me" about this sign-in.')
    details = serializers.DictField(help_text="What the kind adds: method, factor, name, remaining, new_email, ...")

    def get_device(self, event) -> str:
        return devices.describe(event.user_agent, languages.current()) if event.user_agent else event.device

    def get_current_session(self, event) -> bool:
        token = self.context.get("current_token")
        return token is not None and event.session is not None and event.session == token.public_id

    def get_disowned(self, event) -> bool:
        return event.disowned_at is not None


class SignInAlertKeySerializer(serializers.Serializer):
    key = StrictCharField(max_length=64)
