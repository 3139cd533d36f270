"""Serializer fields that refuse anything but a JSON string (DRF would coerce numbers)."""

import re
from typing import cast

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.email_address import MAX_LENGTH, address_problem, normalize_email

EMAIL_HELP = (
    "`local@domain` (docs/contracts/mail-message-v1.md, Addresses): before the @ at most 64 ASCII "
    "letters, digits, single dots and !#$%&'*+-/=?^_`{|}~ (no quotes, comments or spaces); after it "
    "a domain name of two or more labels, IDN allowed, no IP address. Compared and stored "
    "NFKC-normalised, trimmed and lower-cased, the domain in its ASCII form (IDNA 2008)."
)


class StrictCharField(serializers.CharField):
    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class NormalizedEmailField(serializers.EmailField):
    """An address in its canonical form (see normalize_email), validated after normalising by
    the rule both sides of the mail contract share (core.email_address)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", MAX_LENGTH)
        kwargs.setdefault("help_text", EMAIL_HELP)
        super().__init__(**kwargs)
        # The contract's rule replaces Django's EmailValidator, which is laxer (quoted local
        # parts, IP literals, localhost). The length validator stays, for the schema's maxLength:
        # the rule, applied in to_internal_value before any validator, covers it already.
        self.validators = [validator for validator in self.validators if not isinstance(validator, EmailValidator)]

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        value = super().to_internal_value(normalize_email(data))
        if problem := address_problem(value):
            raise serializers.ValidationError(problem, code="invalid")
        return value


class StrictSlugRelatedField(serializers.SlugRelatedField):
    """A related object named by a string. NUL characters are refused before the lookup:
    PostgreSQL cannot even compare them, so they would otherwise turn into a 500."""

    default_error_messages = {"null_characters": _("Null characters are not allowed.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        if "\x00" in data:
            self.fail("null_characters")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only (DRF's BooleanField also takes "yes", "1", 0 and more)."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class WholeValueRegexValidator(RegexValidator):
    """A RegexValidator whose pattern must match the whole value. Python's `$` also matches before
    a final newline, JSON Schema's (ECMA's) does not: this keeps the API to the schema's meaning."""

    def __call__(self, value):
        if not cast(re.Pattern[str], self.regex).fullmatch(str(value)):
            raise ValidationError(self.message, code=self.code, params={"value": value})
