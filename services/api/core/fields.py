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
