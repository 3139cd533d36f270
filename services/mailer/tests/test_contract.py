"""The mailer's side of docs/contracts/mail-message-v1: the JSON schema and our validator agree."""
import json
from pathlib import Path

import jsonschema
import pytest
from mailer.contract import InvalidMessage, validate

from tests.conftest import make_payload

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[3] / "docs" / "contracts" / "mail-message-v1.schema.json").read_text()
)

VALID = [
    make_payload(),
    make_payload(html="<p>Hello</p>"),
    make_payload(expires_at=None),
    make_payload(kind="password_reset", subject="x" * 200, text="é" * 100),
    {k: v for k, v in make_payload().items() if k != "html"},
]

INVALID = [
    {k: v for k, v in make_payload().items() if k != "to"},
    {**make_payload(), "extra": 1},
    make_payload(version=2),
    make_payload(version="1"),
    make_payload(subject="Hello\nBcc: victim@example.com"),
    make_payload(subject=""),
    make_payload(subject="x" * 201),
    make_payload(id="not-a-uuid"),
    make_payload(id="6F1C1F1E-8A55-4C55-9D43-0F2F8C3F8B10"),
    make_payload(to=["ada@example.com"]),
    make_payload(to="ada@example.com\r\nBcc: x@example.com"),
    make_payload(to="no-at-sign"),
    make_payload(html=5),
    make_payload(text=""),
    make_payload(kind="Bad Kind"),
    make_payload(expires_at=12),
    "not an object",
]


@pytest.mark.parametrize("payload", VALID)
def test_valid_examples_pass_the_schema_and_the_validator(payload):
    jsonschema.validate(payload, SCHEMA)
    validate(payload)


@pytest.mark.parametrize("payload", INVALID)
def test_invalid_examples_fail_the_schema_and_the_validator(payload):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(payload, SCHEMA)
    with pytest.raises(InvalidMessage):
        validate(payload)


def test_the_documented_example_is_valid():
    doc = (Path(__file__).resolve().parents[3] / "docs" / "contracts" / "mail-message-v1.md").read_text()
    example = json.loads(doc.split("```json", 1)[1].split("```", 1)[0])
    jsonschema.validate(example, SCHEMA)
    validate(example)


def test_the_actor_name_and_queue_are_the_contracts():
    from mailer.actors import send_email

    assert send_email.actor_name == "send_email" and send_email.queue_name == "emails"
