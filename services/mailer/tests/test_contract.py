"""The mailer's side of docs/contracts/mail-message-v1 and -v2: each JSON schema and our validator agree."""

from datetime import UTC, datetime

import jsonschema
import pytest

from mailer.contract import OPTIONAL, REQUIRED, InvalidMessage, validate
from tests import contract_docs
from tests.helpers import make_payload, make_v2_payload

SCHEMA_VALIDATORS = {version: contract_docs.schema_validator(version) for version in contract_docs.VERSIONS}
LANGUAGES = contract_docs.language_examples()
FIRST_V2_EXAMPLE = contract_docs.valid_examples()[0]


def without(field, payload=None):
    return {key: value for key, value in (payload or make_payload()).items() if key != field}


def with_language(language):
    return {**FIRST_V2_EXAMPLE, "language": language}


VALID = {
    "documented example": contract_docs.documented_example(1),
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
    **{f"v2 documented example {number}": example for number, example in enumerate(contract_docs.valid_examples())},
    **{f"v2 language {language!r}": with_language(language) for language, valid in LANGUAGES if valid},
    "v2 defaults": make_v2_payload(),
    "v2 html absent": without("html", make_v2_payload(language="de")),
    "v2 no expiry": make_v2_payload(expires_at=None),
    "v2 unicode": make_v2_payload(language="de", subject="Passwort zurücksetzen 🔐", text="ü" * 100),
}

INVALID = {
    "missing field": without("to"),
    "missing version": without("version"),
    "missing expires_at": without("expires_at"),
    "extra field": {**make_payload(), "cc": "eve@example.com"},
    "version 2 without language": make_payload(version=2),
    "version 3": make_payload(version=3),
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
    **{f"v2 documented invalid {number}": example for number, example in enumerate(contract_docs.invalid_examples())},
    **{f"v2 language {language!r}": with_language(language) for language, valid in LANGUAGES if not valid},
    "v1 with language": make_payload(language="en"),
    "v2 missing language": without("language", make_v2_payload()),
    "v2 extra field": {**make_v2_payload(), "locale": "de_DE"},
    "v2 subject with newline": make_v2_payload(subject="Hello\nBcc: victim@example.com"),
    "v2 to with a name": make_v2_payload(to="Ada <ada@example.com>"),
    "v2 bad expires_at": make_v2_payload(expires_at="tomorrow"),
}


@pytest.mark.parametrize("payload", VALID.values(), ids=VALID.keys())
def test_valid_examples_pass_their_versions_schema_and_the_validator(payload):
    SCHEMA_VALIDATORS[payload["version"]].validate(payload)
    validate(payload)


def _python_reads_dollar_before_a_final_newline(payload):
    # Python's jsonschema uses re.search, where `$` also matches before a final newline, so it
    # accepts such a value; the schema's patterns (ECMA-262 `$`) do not, and neither do we.
    return isinstance(payload, dict) and any(
        isinstance(value, str) and value.endswith("\n") for value in payload.values()
    )


@pytest.mark.parametrize("payload", INVALID.values(), ids=INVALID.keys())
def test_invalid_examples_fail_every_schema_and_the_validator(payload):
    # Invalid is valid by no version: the mailer accepts a payload that one of its versions accepts.
    if not _python_reads_dollar_before_a_final_newline(payload):
        for schema_validator in SCHEMA_VALIDATORS.values():
            with pytest.raises(jsonschema.ValidationError):
                schema_validator.validate(payload)
    with pytest.raises(InvalidMessage):
        validate(payload)


def test_the_documented_examples_are_there():
    # What the API is told it may and may not send: these must not drop out of the document unnoticed.
    assert len(contract_docs.valid_examples()) >= 2 and len(contract_docs.invalid_examples()) >= 3
    invalid = [language for language, valid in LANGUAGES if not valid]
    assert {"en", "de"} <= {language for language, valid in LANGUAGES if valid}
    for language in ("EN", "de CH", "de\r\nBcc: eve@example.com", "zh-abcdefgh-abcdefgh-abcdefgh-abcdef", None):
        assert language in invalid
    assert [example["version"] for example in contract_docs.invalid_examples()] == [2, 1, 3]


@pytest.mark.parametrize(
    "field, value",
    [
        ("subject", "Hello\n"),
        ("to", "ada@example.com\n"),
        ("kind", "confirm_email\n"),
        ("expires_at", "2026-11-24T18:00:00+00:00\n"),
        ("language", "de\n"),
    ],
)
def test_a_trailing_newline_is_refused(field, value):
    with pytest.raises(InvalidMessage):
        validate(make_v2_payload(**{field: value}))


@pytest.mark.parametrize("version", contract_docs.VERSIONS)
def test_the_validator_knows_exactly_each_schemas_fields(version):
    schema = contract_docs.schema(version)
    assert REQUIRED[version] == set(schema["required"])
    assert REQUIRED[version] | OPTIONAL[version] == set(schema["properties"])
    assert schema["additionalProperties"] is False
    assert schema["properties"]["version"] == {"const": version}


def test_the_validator_knows_every_version_the_contract_has():
    assert contract_docs.VERSIONS == (1, 2)
    assert set(REQUIRED) == set(OPTIONAL) == set(contract_docs.VERSIONS)


def test_version_2_is_version_1_and_language():
    v1, v2 = contract_docs.schema(1), contract_docs.schema(2)
    assert set(v2["required"]) == set(v1["required"]) | {"language"}
    unchanged = {name: rule for name, rule in v2["properties"].items() if name not in ("version", "language")}
    assert {name: {**rule, "description": None} for name, rule in unchanged.items()} == {
        name: {**rule, "description": None} for name, rule in v1["properties"].items() if name != "version"
    }
    assert v2["properties"]["language"]["pattern"] == "^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
    assert v2["properties"]["language"]["maxLength"] == 35


@pytest.mark.parametrize(
    "payload, code",
    [
        (make_payload(version=3), "unknown_version"),
        ({"version": 3, "anything": "else"}, "unknown_version"),
        (make_payload(version=0), "unknown_version"),
        (without("version"), "missing_field"),
        (without("subject"), "missing_field"),
        (make_payload(version=2), "missing_field"),
        ({**make_payload(), "cc": "x"}, "unexpected_field"),
        (make_payload(language="de"), "unexpected_field"),
        (make_payload(to=["ada@example.com"]), "bad_type"),
        (make_v2_payload(language=None), "bad_type"),
        (make_payload(subject="x" * 201), "bad_length"),
        (make_v2_payload(language="de-" + "x" * 33), "bad_length"),
        (make_payload(id="nope"), "bad_format"),
        (make_v2_payload(language="de\r\nBcc: eve@example.com"), "bad_format"),
        ("text", "not_an_object"),
    ],
)
def test_refusals_carry_a_code_for_the_logs(payload, code):
    with pytest.raises(InvalidMessage) as caught:
        validate(payload)
    assert caught.value.code == code


def test_refusals_never_quote_the_body_or_the_language():
    with pytest.raises(InvalidMessage) as caught:
        validate(make_payload(text="secret-code-123456", html=7))
    assert "secret-code-123456" not in str(caught.value)
    with pytest.raises(InvalidMessage) as caught:
        validate(make_v2_payload(language="de\nX-Injected: yes"))
    assert "X-Injected" not in str(caught.value)


@pytest.mark.parametrize("make", [make_payload, make_v2_payload])
def test_validate_returns_the_expiry_as_an_aware_datetime(make):
    assert validate(make(expires_at="2026-11-24T18:00:00+02:00")) == datetime(2026, 11, 24, 16, tzinfo=UTC)
    assert validate(make(expires_at=None)) is None
