"""Serializer fields that refuse anything but a JSON string (DRF would coerce numbers)."""
from rest_framework import serializers

from accounts.models import normalize_email


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class NormalizedEmailField(serializers.EmailField):
    """An address in its canonical form (see normalize_email), validated after normalising."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(normalize_email(data))


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """A related object named by a string. NUL characters are refused before the lookup:
    PostgreSQL cannot even compare them, so they would otherwise turn into a 500."""

    default_error_messages = {"null_characters": "Null characters are not allowed."}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("null_characters")
        return super().to_internal_value(data)
