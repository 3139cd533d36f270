"""Schemathesis checks of our own for tests/integration/test_fuzz.py (loaded with SCHEMATHESIS_HOOKS).

`schema_valid_requests_are_accepted` is schemathesis' positive_data_acceptance with the
refusals the schema documents and cannot express: a well-formed request may still name an
account, key, link or code that does not exist, a password the password rules refuse, a
username someone else has, or an admin's change to their own account. Anything else, a
`validation_error` or `parse_error` on schema-valid input above all, fails.
"""

import schemathesis
from schemathesis.specs.openapi.checks import positive_data_acceptance

# 400s about the content of a well-formed request (docs/api.md, "Errors").
CONTENT_REFUSALS = {
    "invalid_credentials",
    "invalid_key",
    "invalid_reset",
    "invalid_password",
    # Second factors: a well-formed code, challenge or WebAuthn response that is not right, or an
    # account whose factors are in another state than the request needs.
    "invalid_code",
    "invalid_challenge",
    "invalid_credential",
    "too_many_credentials",
    "totp_not_set_up",
    "totp_already_enabled",
    "totp_not_enabled",
    "mfa_not_enabled",
}
# The password rules beyond the length (AUTH_PASSWORD_VALIDATORS), documented on each new-password
# field: no schema can say "not a common password".
PASSWORD_RULES = (
    "This password is too common.",
    "The password is too similar to the ",
    "The password must not contain your ",
)
# `validation_error` messages, by field, that depend on the data, not on the request's form
# (each one documented in docs/api.md); a message is matched by its start.
DATA_DEPENDENT = {
    "password": PASSWORD_RULES,
    "new_password": PASSWORD_RULES,
    "username": ("This username is taken.",),
    "is_active": ("You cannot deactivate your own account.",),
    "roles": ("You cannot remove your own admin role.",),
}


def documented_refusal(response):
    if response.status_code != 400:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    if body.get("code") in CONTENT_REFUSALS:
        return True
    fields = body.get("fields") or {}
    return (
        body.get("code") == "validation_error"
        and bool(fields)
        and all(
            message.startswith(DATA_DEPENDENT.get(field, ()))
            for field, messages in fields.items()
            for message in messages
        )
    )


def holds_nul(case):
    """Every string of the schema has the pattern NO_NUL (core/schema.py): a request holding a NUL
    character is not schema-valid, whatever the generator took it for (its stateful phase sends
    values from links without checking them against the schema)."""
    return any(_has_nul(part) for part in (case.query, case.path_parameters, case.headers, case.body))


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return any(_has_nul(item) for item in value)
    return False


@schemathesis.check
def schema_valid_requests_are_accepted(ctx, response, case):
    if documented_refusal(response) or holds_nul(case):
        return None
    return positive_data_acceptance(ctx, response, case)
