"""Checks a queue payload against the mail message contract, versions 1 and 2 (docs/contracts/mail-message-v*.md).

Hand-written so the worker needs no schema library at run time; tests/test_contract.py checks it
against the contract's JSON schema. Patterns are matched whole (ECMA-262 `$` semantics), so a
trailing newline never slips into a header.
"""

import re
import unicodedata
from datetime import datetime
from typing import Any

import idna

# Each version's fields, by version: the versions the mailer accepts. Version 2 is version 1 plus
# `language`; each payload is checked by its own version's rules, so a v1 one may not carry it.
_V1_REQUIRED = frozenset({"version", "id", "kind", "to", "subject", "text", "created_at", "expires_at"})
REQUIRED = {1: _V1_REQUIRED, 2: _V1_REQUIRED | {"language"}}
OPTIONAL = {1: frozenset({"html"}), 2: frozenset({"html"})}

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
KIND = re.compile(r"[a-z][a-z0-9_]{0,63}")
# The address rule ("Addresses" in the contract): a dot-atom local part of ASCII atext, at most
# 64 characters; a domain of two or more LDH labels (U-labels checked in their IDNA form), the
# last not all digits; at most 254 characters in all. The API applies the same rule to every
# address it accepts, so a refusal here means a sender that broke the contract.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
LOCAL_PART = re.compile(rf"{ATOM}(?:\.{ATOM})*")
LDH_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
MAX_LOCAL_LENGTH = 64
MAX_DOMAIN_LENGTH = 253
ONE_LINE = re.compile(r"[^\r\n]*")
# A BCP 47 tag with a lower-case primary subtag ("Language" in contract v2). Letters, digits and
# hyphens only: it goes into the Content-Language header as it is.
LANGUAGE = re.compile(r"[a-z]{2,3}(?:-[A-Za-z0-9]{1,8})*")
MAX_LANGUAGE_LENGTH = 35
# RFC 3339 date-time (what JSON Schema's "date-time" format means); the offset is mandatory.
DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})", re.ASCII | re.IGNORECASE)


class InvalidMessage(Exception):
    """The payload breaks the contract: retrying cannot help.

    `code` is a short machine-readable reason for logs; the text names fields, never their values.
    """

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code


def _string(
    payload: dict[str, Any],
    name: str,
    min_length: int = 0,
    max_length: int | None = None,
    pattern: re.Pattern[str] | None = None,
) -> str:
    value = payload[name]
    if not isinstance(value, str):
        raise InvalidMessage("bad_type", f"{name} must be a string")
    if len(value) < min_length or (max_length is not None and len(value) > max_length):
        raise InvalidMessage("bad_length", f"{name} must have {min_length} to {max_length} characters")
    if pattern is not None and not pattern.fullmatch(value):
        raise InvalidMessage("bad_format", f"{name} does not match {pattern.pattern}")
    return value


class _BadAddress(Exception):
    pass


def _ascii_label(label: str) -> str:
    """The label's ASCII (IDNA) form, if it is a valid LDH label in that form."""
    if not label.isascii():
        # Symbols, dots, spaces and invisible characters would be mapped or dropped by ToASCII.
        if any(unicodedata.category(char)[0] not in "LMN" and char != "-" for char in label):
            raise _BadAddress("a domain label holds a character that is not a letter, mark, digit or hyphen")
        try:
            # IDNA 2008 with UTS 46 (non-transitional), as the API normalises addresses: Python's
            # encodings.idna (IDNA 2003) maps ß to "ss", sending mail to another domain.
            label = idna.encode(label, uts46=True, transitional=False).decode("ascii")
        except (idna.IDNAError, UnicodeError):
            raise _BadAddress("a domain label has no IDNA form") from None
    if not LDH_LABEL.fullmatch(label):
        raise _BadAddress("a domain label is empty, over 63 characters, or not letters, digits and inner hyphens")
    return label


def _check_address(address: str) -> None:
    local, at, domain = address.partition("@")
    if not at:
        raise _BadAddress("no @")
    if len(local) > MAX_LOCAL_LENGTH:
        raise _BadAddress(f"the local part has more than {MAX_LOCAL_LENGTH} characters")
    if not LOCAL_PART.fullmatch(local):
        raise _BadAddress("the local part is not a dot-atom of ASCII letters, digits and !#$%&'*+-/=?^_`{|}~")
    labels = [_ascii_label(label) for label in domain.split(".")]
    if len(labels) < 2:
        raise _BadAddress("the domain has a single label")
    if labels[-1].isdigit():
        raise _BadAddress("the domain's last label is all digits (an IP address)")
    if len(".".join(labels)) > MAX_DOMAIN_LENGTH:
        raise _BadAddress(f"the domain has more than {MAX_DOMAIN_LENGTH} characters in its ASCII form")


def ascii_address(address: str) -> str:
    """A valid address with its domain in ASCII (IDNA) form. The local part is ASCII by the rule,
    so every email can go out without SMTPUTF8, to any relay, and shows the same in every client."""
    local, _, domain = address.rpartition("@")
    return f"{local}@{'.'.join(_ascii_label(label) for label in domain.split('.'))}"


def address_problem(address: str) -> str | None:
    """Why `address` breaks the contract's address rule, or None if it follows it.

    The reason names no part of the address: it ends up in a log line.
    """
    try:
        _check_address(address)
    except _BadAddress as exc:
        return str(exc)
    return None


def _address(payload: dict[str, Any], name: str) -> str:
    value = _string(payload, name, 3, 254)
    if problem := address_problem(value):
        raise InvalidMessage("bad_format", f"{name} is not a valid address: {problem}")
    return value


def _date_time(payload: dict[str, Any], name: str) -> datetime:
    value = _string(payload, name, pattern=DATE_TIME)
    try:
        # Python 3.11 reads "Z" but not "z"/"t", which RFC 3339 allows.
        return datetime.fromisoformat(value.upper())
    except ValueError:
        raise InvalidMessage("bad_format", f"{name} is not a valid date-time") from None


def validate(payload: object) -> datetime | None:
    """Return the payload's expiry (an aware datetime, or None) if it follows contract v1 or v2.

    Raises InvalidMessage otherwise.
    """
    if not isinstance(payload, dict):
        raise InvalidMessage("not_an_object", f"payload is a {type(payload).__name__}")
    if "version" not in payload:
        raise InvalidMessage("missing_field", "version")
    version = payload["version"]
    # bool is an int in Python, but `true` is not the JSON number 1.
    if type(version) is not int or version not in REQUIRED:
        raise InvalidMessage("unknown_version", f"only versions {', '.join(map(str, REQUIRED))} are understood")
    required, optional = REQUIRED[version], OPTIONAL[version]
    keys = set(payload)
    if missing := required - keys:
        raise InvalidMessage("missing_field", ", ".join(sorted(missing)))
    if unexpected := keys - required - optional:
        # Sorted and truncated: the names come from the sender and end up in a log line.
        raise InvalidMessage("unexpected_field", ", ".join(sorted(map(repr, unexpected)))[:200])

    _string(payload, "id", pattern=UUID)
    _string(payload, "kind", pattern=KIND)
    _address(payload, "to")
    if "language" in required:
        _string(payload, "language", 2, MAX_LANGUAGE_LENGTH, pattern=LANGUAGE)
    _string(payload, "subject", 1, 200, pattern=ONE_LINE)
    _string(payload, "text", 1, 100_000)
    if payload.get("html") is not None:
        _string(payload, "html", 0, 200_000)
    _date_time(payload, "created_at")
    if payload["expires_at"] is None:
        return None
    return _date_time(payload, "expires_at")
