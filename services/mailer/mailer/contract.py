"""Checks a queue message against the mail message contract, version 1.

The contract is docs/contracts/mail-message-v1.md; the tests check this code against its JSON
schema. Hand-written so the worker needs no schema library at run time.
"""
import re
import uuid
from datetime import datetime

FIELDS = {"version", "id", "kind", "to", "subject", "text", "html", "created_at", "expires_at"}
REQUIRED = FIELDS - {"html"}
KIND = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
ADDRESS = re.compile(r'^[^\s@<>,;"]+@[^\s@<>,;"]+$')
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


class InvalidMessage(Exception):
    """The message breaks the contract: retrying cannot help."""


def _string(payload, name, min_length=0, max_length=None, nullable=False):
    value = payload.get(name)
    if value is None and nullable:
        return
    if not isinstance(value, str):
        raise InvalidMessage(f"{name} must be a string")
    if len(value) < min_length or (max_length is not None and len(value) > max_length):
        raise InvalidMessage(f"{name} has a bad length")


def _datetime(payload, name, nullable=False):
    value = payload.get(name)
    if value is None and nullable:
        return None
    _string(payload, name)
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise InvalidMessage(f"{name} is not an ISO 8601 date-time") from None
    if parsed.tzinfo is None:
        raise InvalidMessage(f"{name} has no UTC offset")
    return parsed


def validate(payload):
    """Return the payload's expiry (or None) if it follows the contract, else raise InvalidMessage."""
    if not isinstance(payload, dict):
        raise InvalidMessage("payload must be an object")
    keys = set(payload)
    if not REQUIRED <= keys or not keys <= FIELDS:
        raise InvalidMessage(f"missing {sorted(REQUIRED - keys)}, unexpected {sorted(keys - FIELDS)}")
    if payload["version"] != 1 or isinstance(payload["version"], bool):
        raise InvalidMessage(f"unknown version {payload['version']!r}")
    _string(payload, "id")
    if not UUID.match(payload["id"]) or str(uuid.UUID(payload["id"])) != payload["id"]:
        raise InvalidMessage("id must be a lower-case UUID")
    _string(payload, "kind")
    if not KIND.match(payload["kind"]):
        raise InvalidMessage("bad kind")
    _string(payload, "to", 3, 254)
    if not ADDRESS.match(payload["to"]):
        raise InvalidMessage("bad recipient address")
    _string(payload, "subject", 1, 200)
    if "\r" in payload["subject"] or "\n" in payload["subject"]:
        raise InvalidMessage("subject must be one line")
    _string(payload, "text", 1, 100_000)
    _string(payload, "html", 0, 200_000, nullable=True)
    _datetime(payload, "created_at")
    return _datetime(payload, "expires_at", nullable=True)
