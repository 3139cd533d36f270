"""Input validation and output shapes of the account endpoints. No business rules here."""
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import serializers

from accounts.models import User, normalize_email, username_validator
from core.fields import NormalizedEmailField, StrictCharField


class UserSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "email", "username", "first_name", "last_name", "email_confirmed", "date_joined", "roles"]
        read_only_fields = fields

    def get_roles(self, user) -> list[str]:
        return user.roles


def password_field():
    # trim_whitespace=False: spaces are part of a password. max_length is checked before any
    # hashing, so a megabyte password is refused cheaply.
    return StrictCharField(
        trim_whitespace=False, max_length=settings.PASSWORD_MAX_LENGTH, style={"input_type": "password"}
    )


class RegisterSerializer(serializers.Serializer):
    email = NormalizedEmailField(max_length=254)
    password = password_field()
    username = StrictCharField(
        required=False, allow_null=True, allow_blank=True, max_length=30, validators=[username_validator]
    )

    def validate_username(self, value):
        return value or None

    def validate_password(self, value):
        # Field-level, so its errors show together with the other fields' errors. The
        # similarity check compares with the raw email/username input, whatever their validity.
        email, username = self.initial_data.get("email"), self.initial_data.get("username")
        candidate = User(
            email=normalize_email(email) if isinstance(email, str) else "",
            username=username if isinstance(username, str) else None,
        )
        try:
            password_validation.validate_password(value, user=candidate)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from None
        return value


class ConfirmEmailSerializer(serializers.Serializer):
    key = StrictCharField(max_length=128)


class LoginSerializer(serializers.Serializer):
    email = StrictCharField(required=False, max_length=254)
    username = StrictCharField(required=False, max_length=254)
    password = password_field()

    def validate(self, attrs):
        if bool(attrs.get("email")) == bool(attrs.get("username")):
            raise serializers.ValidationError("Give either an email or a username, with the password.")
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

    id = serializers.UUIDField(source="public_id")
    created = serializers.DateTimeField()
    expiry = serializers.DateTimeField()
    last_seen = serializers.DateTimeField(allow_null=True, help_text="Coarse: updated at most every few minutes.")
    user_agent = serializers.CharField(allow_blank=True)
    ip = serializers.IPAddressField(allow_null=True)
    current = serializers.SerializerMethodField()

    def get_current(self, token) -> bool:
        return token.pk == self.context["current_token"].pk


class DashboardSerializer(serializers.Serializer):
    message = serializers.CharField()
    user = UserSerializer()
    server_time = serializers.DateTimeField()


def new_password_field_validator(user_from):
    """Run Django's password validators against the user the password is for."""

    def validate(self, value):
        try:
            password_validation.validate_password(value, user=user_from(self))
        except DjangoValidationError as exc:
            raise serializers.ValidationError(list(exc.messages)) from None
        return value

    return validate


class EmailSerializer(serializers.Serializer):
    email = NormalizedEmailField(max_length=254)


class ProfileSerializer(serializers.Serializer):
    username = StrictCharField(
        required=False, allow_null=True, allow_blank=True, max_length=30, validators=[username_validator]
    )
    first_name = StrictCharField(required=False, allow_blank=True, max_length=150)
    last_name = StrictCharField(required=False, allow_blank=True, max_length=150)


class PasswordSerializer(serializers.Serializer):
    password = password_field()


class PasswordChangeSerializer(serializers.Serializer):
    current_password = password_field()
    new_password = password_field()

    validate_new_password = new_password_field_validator(lambda self: self.context["user"])


class EmailChangeSerializer(serializers.Serializer):
    new_email = NormalizedEmailField(max_length=254)
    password = password_field()


class ResetVerifySerializer(serializers.Serializer):
    """Either {uid, token} (the link) or {email, code} (the code)."""

    uid = StrictCharField(required=False, max_length=64)
    token = StrictCharField(required=False, max_length=128)
    email = StrictCharField(required=False, max_length=254)
    code = serializers.RegexField(r"^\d{6}$", required=False, max_length=6,
                                  error_messages={"invalid": "Enter the 6-digit code from the email."})

    def validate(self, attrs):
        link = "uid" in attrs or "token" in attrs
        code = "email" in attrs or "code" in attrs
        if link == code:
            raise serializers.ValidationError("Give either uid and token, or email and code.")
        needed = ("uid", "token") if link else ("email", "code")
        missing = {name: ["This field is required."] for name in needed if name not in attrs}
        if missing:
            raise serializers.ValidationError(missing)
        return attrs


class ResetConfirmSerializer(ResetVerifySerializer):
    new_password = password_field()

    def validate_new_password(self, value):
        # Similarity is checked against the account once it is known (in the view).
        return value
