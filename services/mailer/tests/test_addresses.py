"""The mailer's side of the address rule in docs/contracts/mail-message-v1.md ("Addresses"), v2's too.

The examples are kept here as well as in the contract's table (the API keeps its own copy), and
a test checks that this copy still matches the table. A refused `to` is a broken contract: the
message is dropped without a retry, like any other invalid payload, in either version.
"""

import jsonschema
import pytest

from mailer.contract import InvalidMessage, validate
from tests import contract_docs
from tests.helpers import make_payload, make_v2_payload

SCHEMAS = {1: contract_docs.schema(1), 2: contract_docs.schema(2)}
MAKE = {1: make_payload, 2: make_v2_payload}

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


def test_our_examples_are_the_contracts_table():
    assert contract_docs.table(1, "address-examples") == ADDRESSES


@pytest.mark.parametrize("version", MAKE)
@pytest.mark.parametrize("address", VALID, ids=range(len(VALID)))
def test_valid_addresses_are_accepted(address, version):
    validate(MAKE[version](to=address))


@pytest.mark.parametrize("version", MAKE)
@pytest.mark.parametrize("address", INVALID, ids=range(len(INVALID)))
def test_invalid_addresses_are_refused_without_quoting_them(address, version):
    with pytest.raises(InvalidMessage) as caught:
        validate(MAKE[version](to=address))
    assert caught.value.code in ("bad_format", "bad_length")
    assert address not in str(caught.value)


@pytest.mark.parametrize("version", MAKE)
@pytest.mark.parametrize("address", VALID, ids=range(len(VALID)))
def test_the_json_schema_accepts_every_valid_address(address, version):
    # The schema's pattern cannot express IDNA, so it is a necessary condition only: every
    # valid address passes it, and the validator refuses the rest.
    jsonschema.validate(MAKE[version](to=address), SCHEMAS[version])


def test_both_versions_have_one_address_rule():
    assert SCHEMAS[1]["properties"]["to"]["pattern"] == SCHEMAS[2]["properties"]["to"]["pattern"]


@pytest.mark.parametrize("version", MAKE)
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
def test_the_json_schema_refuses_what_a_pattern_can_see(address, version):
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(MAKE[version](to=address), SCHEMAS[version])
