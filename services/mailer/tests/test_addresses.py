"""The mailer's side of the address rule in docs/contracts/mail-message-v1.md ("Addresses").

The examples are kept here as well as in the contract's table (the API keeps its own copy), and
a test checks that this copy still matches the table. A refused `to` is a broken contract: the
message is dropped without a retry, like any other invalid payload.
"""

import json
import re
from pathlib import Path

import jsonschema
import pytest

from mailer.contract import InvalidMessage, validate
from tests.helpers import make_payload

CONTRACTS = Path(__file__).resolve().parents[3] / "docs" / "contracts"
SCHEMA = json.loads((CONTRACTS / "mail-message-v1.schema.json").read_text())

X64 = "x" * 64
ADDRESSES = [
    ("ada@example.com", True),
    ("ada.lovelace@example.com", True),
    ("ada+newsletter@example.com", True),
    ("o'brien@example.com", True),
    ("!#$%&'*+-/=?^_`{|}~@example.com", True),
    ("1234567890@example.com", True),
    ("a@b.co", True),
    ("ada@mail.example.co.uk", True),
    ("ada@ex-ample.com", True),
    ("ada@123.example.com", True),
    ("ada@exämple.com", True),
    ("ada@xn--exmple-cua.com", True),
    ("ada@例え.jp", True),
    (X64 + "@example.com", True),
    (X64 + "@" + "a" * 63 + "." + "b" * 63 + "." + "c" * 57 + ".com", True),
    ('"q"@example.com', False),
    ('"ada lovelace"@example.com', False),
    ("ada(comment)@example.com", False),
    ("ada@(comment)example.com", False),
    ("ada lovelace@example.com", False),
    ("ada\t@example.com", False),
    ("ada\x00@example.com", False),
    ("ada\x07@example.com", False),
    ("ada@exam\x7fple.com", False),
    ("ada@example.com\r\nbcc: eve@example.com", False),
    ("jörg@example.com", False),
    ("ада@example.com", False),
    (".ada@example.com", False),
    ("ada.@example.com", False),
    ("ada..lovelace@example.com", False),
    ("ada@example.com.", False),
    ("ada@.example.com", False),
    ("ada@example..com", False),
    ("ada@localhost", False),
    ("ada@[192.0.2.1]", False),
    ("ada@[ipv6:2001:db8::1]", False),
    ("ada@192.0.2.1", False),
    ("x" * 65 + "@example.com", False),
    (X64 + "@" + "a" * 63 + "." + "b" * 63 + "." + "c" * 58 + ".com", False),
    ("ada@" + "a" * 64 + ".com", False),
    ("ada@-example.com", False),
    ("ada@example-.com", False),
    ("ada@ex_ample.com", False),
    ("ada@b@example.com", False),
    ("@example.com", False),
    ("ada@", False),
    ("ada", False),
    ("ada lovelace <ada@example.com>", False),
    ("ada@example.com,eve@example.com", False),
    ("ada@i❤.ws", False),
    ("ada@example\u3002com", False),
    ("ada@ex\u00adample.com", False),
]
VALID = [address for address, valid in ADDRESSES if valid]
INVALID = [address for address, valid in ADDRESSES if not valid]
ROW = re.compile(r'^\| `(".*")` \| (yes|no) \| .+ \|$')


def contract_examples():
    text = (CONTRACTS / "mail-message-v1.md").read_text()
    table = text.split("<!-- address-examples: start -->", 1)[1].split("<!-- address-examples: end -->", 1)[0]
    lines = table.strip().splitlines()[2:]
    rows = [row for row in map(ROW.match, lines) if row is not None]
    assert len(rows) == len(lines), 'every row of the table is `"json string"` | yes/no | why'
    return [(json.loads(row.group(1)), row.group(2) == "yes") for row in rows]


def test_our_examples_are_the_contracts_table():
    assert contract_examples() == ADDRESSES


@pytest.mark.parametrize("address", VALID, ids=range(len(VALID)))
def test_valid_addresses_are_accepted(address):
    validate(make_payload(to=address))


@pytest.mark.parametrize("address", INVALID, ids=range(len(INVALID)))
def test_invalid_addresses_are_refused_without_quoting_them(address):
    with pytest.raises(InvalidMessage) as caught:
        validate(make_payload(to=address))
    assert caught.value.code in ("bad_format", "bad_length")
    assert address not in str(caught.value)


@pytest.mark.parametrize("address", VALID, ids=range(len(VALID)))
def test_the_json_schema_accepts_every_valid_address(address):
    # The schema's pattern cannot express IDNA, so it is a necessary condition only: every
    # valid address passes it, and the validator refuses the rest.
    jsonschema.validate(make_payload(to=address), SCHEMA)


@pytest.mark.parametrize(
    "address",
    [
        '"q"@example.com',
        "ada lovelace@example.com",
        "jörg@example.com",
        "ada..lovelace@example.com",
        "ada@[192.0.2.1]",
        "ada@localhost",
        "x" * 65 + "@example.com",
    ],
)
def test_the_json_schema_refuses_what_a_pattern_can_see(address):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(make_payload(to=address), SCHEMA)
