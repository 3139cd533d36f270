"""The mailer's side of docs/contracts/mail-message-v1: the JSON schema and our validator agree."""

import json
from datetime import UTC, datetime
from pathlib import Path

import jsonschema
import pytest

from mailer.contract import OPTIONAL, REQUIRED, InvalidMessage, validate
from tests.helpers import make_payload

CONTRACTS = Path(__file__).resolve().parent.parent.parent.parent / "docs" / "contracts"
SCHEMA = json.loads((CONTRACTS / "mail-message-v1.schema.json").read_text())
# With a format checker (and rfc3339-validator installed) "uuid" and "date-time" are enforced too.
SCHEMA_VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def documented_example():
    text = (CONTRACTS / "mail-message-v1.md").read_text()
    return json.loads(text.split("```json", 1)[1].split("```", 1)[0])


def without(field):
    return {key: value for key, value in make_payload().items() if key != field}


VALID = {
    "documented example": documented_example(),
    "defaults": make_payload(),
    "html alternative": make_payload(html="<p>Hello</p>"),
    "html absent": without("html"),
    "html empty": make_payload(html=""),
    "no expiry": make_payload(expires_at=None),
    "Z offset and fraction": make_payload(created_at="2026-11-21T18:00:00.123Z", expires_at="2026-11-24T18:00:00Z"),
    "lower-case t and z": make_payload(expires_at="2026-11-24t18:00:00z"),
    "negative offset": make_payload(expires_at="2026-11-24T13:00:00-05:00"),
    "longest subject": make_payload(subject="x" * 200),
    "unicode": make_payload(kind="password_reset", subject="Réinitialisez 🔐", text="é" * 100),
    "longest text": make_payload(text="a" * 100_000),
}

INVALID = {
    "missing field": without("to"),
    "missing version": without("version"),
    "missing expires_at": without("expires_at"),
    "extra field": {**make_payload(), "cc": "eve@example.com"},
    "version 2": make_payload(version=2),
    "version as string": make_payload(version="1"),
    "version true": make_payload(version=True),
    "subject with newline": make_payload(subject="Hello\nBcc: victim@example.com"),
    "subject with CR": make_payload(subject="Hello\rthere"),
    "empty subject": make_payload(subject=""),
    "subject too long": make_payload(subject="x" * 201),
    "bad uuid": make_payload(id="not-a-uuid"),
    "upper-case uuid": make_payload(id="6F1C1F1E-8A55-4C55-9D43-0F2F8C3F8B10"),
    "uuid without dashes": make_payload(id="6f1c1f1e8a554c559d430f2f8c3f8b10"),
    "to as a list": make_payload(to=["ada@example.com"]),
    "to with CRLF": make_payload(to="ada@example.com\r\nBcc: x@example.com"),
    "to without @": make_payload(to="no-at-sign"),
    "to with two addresses": make_payload(to="ada@example.com,eve@example.com"),
    "to with a name": make_payload(to="Ada <ada@example.com>"),
    "html wrong type": make_payload(html=5),
    "html too long": make_payload(html="a" * 200_001),
    "empty text": make_payload(text=""),
    "text wrong type": make_payload(text=None),
    "text too long": make_payload(text="a" * 100_001),
    "bad kind": make_payload(kind="Bad Kind"),
    "created_at not a date": make_payload(created_at="yesterday"),
    "created_at without offset": make_payload(created_at="2026-11-21T18:00:00"),
    "created_at date only": make_payload(created_at="2026-11-21"),
    "created_at impossible day": make_payload(created_at="2026-02-30T18:00:00+00:00"),
    "expires_at a number": make_payload(expires_at=12),
    "not an object": "not an object",
    "a list": [make_payload()],
}


@pytest.mark.parametrize("payload", VALID.values(), ids=VALID.keys())
def test_valid_examples_pass_the_schema_and_the_validator(payload):
    SCHEMA_VALIDATOR.validate(payload)
    validate(payload)


@pytest.mark.parametrize("payload", INVALID.values(), ids=INVALID.keys())
def test_invalid_examples_fail_the_schema_and_the_validator(payload):
    with pytest.raises(jsonschema.ValidationError):
        SCHEMA_VALIDATOR.validate(payload)
    with pytest.raises(InvalidMessage):
        validate(payload)


@pytest.mark.parametrize(
    "field, value",
    [
        ("subject", "Hello\n"),
        ("to", "ada@example.com\n"),
        ("kind", "confirm_email\n"),
        ("expires_at", "2026-11-24T18:00:00+00:00\n"),
    ],
)
def test_a_trailing_newline_is_refused(field, value):
    # Python's jsonschema uses re.search, where `$` also matches before a final newline, so it
    # accepts these; the schema's patterns (ECMA-262 `$`) do not, and neither do we.
    with pytest.raises(InvalidMessage):
        validate(make_payload(**{field: value}))


def test_the_validator_knows_exactly_the_schemas_fields():
    assert REQUIRED == set(SCHEMA["required"])
    assert REQUIRED | OPTIONAL == set(SCHEMA["properties"])
    assert SCHEMA["additionalProperties"] is False


@pytest.mark.parametrize(
    "payload, code",
    [
        (make_payload(version=2), "unknown_version"),
        ({"version": 2, "anything": "else"}, "unknown_version"),
        (without("subject"), "missing_field"),
        ({**make_payload(), "cc": "x"}, "unexpected_field"),
        (make_payload(to=["ada@example.com"]), "bad_type"),
        (make_payload(subject="x" * 201), "bad_length"),
        (make_payload(id="nope"), "bad_format"),
        ("text", "not_an_object"),
    ],
)
def test_refusals_carry_a_code_for_the_logs(payload, code):
    with pytest.raises(InvalidMessage) as caught:
        validate(payload)
    assert caught.value.code == code


def test_refusals_never_quote_the_body():
    with pytest.raises(InvalidMessage) as caught:
        validate(make_payload(text="secret-code-123456", html=7))
    assert "secret-code-123456" not in str(caught.value)


def test_validate_returns_the_expiry_as_an_aware_datetime():
    assert validate(make_payload(expires_at="2026-11-24T18:00:00+02:00")) == datetime(2026, 11, 24, 16, tzinfo=UTC)
    assert validate(make_payload(expires_at=None)) is None
