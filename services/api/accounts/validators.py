"""Password rules beyond Django's own validators."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MIN_PART_LENGTH = 3  # "al@example.com" must not forbid every password containing "al"


class ContainsIdentityValidator:
    """Refuse a password that contains the email's local part or the username (ASVS 5.0 6.2.11).

    Django's UserAttributeSimilarityValidator compares whole strings, so it lets
    "ada.lovelace-2024!" through for ada.lovelace@example.com; this checks containment.
    """

    def validate(self, password, user=None):
        if user is None:
            return
        folded = password.casefold()
        local_part = (getattr(user, "email", "") or "").rpartition("@")[0]
        for message, part in (
            (_("The password must not contain your email address."), local_part),
            (_("The password must not contain your username."), getattr(user, "username", "") or ""),
        ):
            if len(part) >= MIN_PART_LENGTH and part.casefold() in folded:
                raise ValidationError(message, code="password_contains_identity")

    def get_help_text(self):
        return _("Your password must not contain your username or the part of your email address before the @.")
