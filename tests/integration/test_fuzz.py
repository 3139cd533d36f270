"""Schema-driven fuzzing of the running stack through the gateway (schemathesis), bounded.

Every generated request, anonymous, as a member and as an admin, must get an answer that the
OpenAPI schema allows: no 5xx, only documented status codes, content types, headers and bodies,
and protected operations refused without a token. Both directions of "the schema says what the
API does" are checked:
- negative_data_rejection: a request the schema forbids is refused (4xx);
- schema_valid_requests_are_accepted (tests/integration/fuzz_checks.py): a request the schema
  allows is not refused as malformed. It is schemathesis' positive_data_acceptance, which it
  replaces, except for the refusals the schema documents but cannot express: well-formed
  credentials, keys, links or codes that do not exist, and a password the password rules refuse.

unsupported_method is left out: nginx refuses TRACE before any routing, so its 405 cannot carry
an Allow header (the API's own 405s do).
Operations that would end the fuzzer's own session are left out of the member run; account
deletion gets a run of its own, with a throwaway account; the others' hostile inputs are
covered by the anonymous run and the API tests.
"""

import json
import os
import re
import subprocess
from collections import Counter
from pathlib import Path

from tests.integration.conftest import PASSWORD, promote_admin, register_confirmed

HERE = Path(__file__).resolve().parent
SCHEMATHESIS = HERE.parents[1] / ".venv" / "bin" / "schemathesis"
CHECKS = ["all"]  # every built-in check, negative_data_rejection included, and ours (fuzz_checks.py)
SKIPPED_CHECKS = ["positive_data_acceptance", "unsupported_method"]
OUR_CHECKS = HERE / "fuzz_checks.py"
SESSION_ENDING = [
    "POST /api/auth/logout/",
    "POST /api/auth/logout-all/",
    "POST /api/auth/token/refresh/",
    "DELETE /api/auth/me/",
    "POST /api/auth/password/change/",
]


def case_modes(events_path):
    """How many generated cases were schema-valid ("positive") and schema-invalid ("negative"),
    from schemathesis' NDJSON event stream."""
    modes: Counter[str] = Counter()
    for line in events_path.read_text().splitlines():
        event = json.loads(line)
        for case in event.get("ScenarioFinished", {}).get("recorder", {}).get("cases", {}).values():
            modes[case["value"]["meta"]["generation"]["mode"]] += 1
    return modes


def fuzz(stack, tmp_path, *extra):
    events = tmp_path / "schemathesis-events.ndjson"
    command = [
        str(SCHEMATHESIS),
        "run",
        f"{stack.gateway_url}/api/schema/?format=json",
        "--url",
        stack.gateway_url,
        "--checks",
        ",".join(CHECKS),
        "--exclude-checks",
        ",".join(SKIPPED_CHECKS),
        "--max-examples",
        "25",
        "--generation-deterministic",
        "--request-timeout",
        "10",
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(events),
        *extra,
    ]
    result = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=400,
        cwd=tmp_path,
        env={**os.environ, "SCHEMATHESIS_HOOKS": str(OUR_CHECKS)},
    )
    assert result.returncode == 0, result.stdout[-8000:]
    summary = re.search(r"(\d+) generated, (\d+) passed", result.stdout)
    assert summary, result.stdout[-8000:]
    generated, passed = map(int, summary.groups())
    assert generated == passed, result.stdout[-2000:]
    modes = case_modes(events)
    assert sum(modes.values()) == generated, (modes, generated)
    print(f"{generated} cases: {modes['positive']} schema-valid, {modes['negative']} schema-invalid")  # pytest -rP
    return modes


def token_for(gateway, mailbox, address):
    register_confirmed(gateway, mailbox, address)
    response = gateway.post("/api/auth/login/", json={"email": address, "password": PASSWORD})
    assert response.status_code == 200, response.text
    return response.json()["token"]


def exclude(operations):
    return [arg for operation in operations for arg in ("--exclude-name", operation)]


def test_our_checks_load_and_know_the_documented_refusals():
    # The hooks file is loaded by schemathesis' own process; this checks it imports and sorts
    # the answers as intended, so a typo cannot silently switch the check off.
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_checks", OUR_CHECKS)
    assert spec is not None and spec.loader is not None, OUR_CHECKS
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    class Answer:
        def __init__(self, status_code, body):
            self.status_code, self.body = status_code, body

        def json(self):
            return self.body

    refused = module.documented_refusal
    assert refused(Answer(400, {"code": "invalid_credentials", "detail": "…"}))
    assert refused(Answer(400, {"code": "validation_error", "fields": {"password": ["This password is too common."]}}))
    assert not refused(
        Answer(
            400,
            {
                "code": "validation_error",
                "fields": {"password": ["This password is too short. It must contain at least 12 characters."]},
            },
        )
    )
    assert refused(Answer(400, {"code": "validation_error", "fields": {"username": ["This username is taken."]}}))
    assert not refused(
        Answer(
            400,
            {
                "code": "validation_error",
                "fields": {"password": ["This password is too common."], "username": ["This field may not be blank."]},
            },
        )
    )
    assert not refused(Answer(400, {"code": "validation_error", "fields": {"email": ["This username is taken."]}}))
    assert not refused(Answer(400, {"code": "parse_error", "detail": "…"}))
    assert not refused(Answer(422, {"code": "invalid_key"}))
    assert refused(Answer(400, {"code": "invalid_challenge", "detail": "…"}))

    class Case:
        def __init__(self, query=None, body=None):
            self.query, self.path_parameters, self.headers, self.body = query, None, None, body

    assert module.holds_nul(Case(query={"search": "a\x00"})) and module.holds_nul(Case(body={"a": ["\x00"]}))
    assert not module.holds_nul(Case(query={"search": "a"}, body={"a": ["b", 1]}))


def test_fuzz_anonymous_requests_get_answers_the_schema_allows(stack, tmp_path):
    modes = fuzz(stack, tmp_path)
    assert modes["positive"] >= 450 and modes["negative"] >= 600, modes


def test_fuzz_member_requests_get_answers_the_schema_allows(stack, gateway, mailbox, new_address, tmp_path):
    token = token_for(gateway, mailbox, new_address)
    modes = fuzz(stack, tmp_path, "--header", f"Authorization: Token {token}", *exclude(SESSION_ENDING))
    assert modes["positive"] >= 350 and modes["negative"] >= 450, modes
    # The fuzzer's token still works: the run really was authenticated to the end.
    me = gateway.get("/api/auth/me/", headers={"Authorization": f"Token {token}"})
    assert me.status_code == 200 and me.json()["email"] == new_address


def test_fuzz_account_deletion_with_the_body_the_schema_shows(stack, gateway, mailbox, new_address, tmp_path):
    # The schema used to show no body for DELETE me/, so the fuzzer (and any generated client)
    # could only send the bodiless request that is always refused.
    token = token_for(gateway, mailbox, new_address)
    modes = fuzz(stack, tmp_path, "--header", f"Authorization: Token {token}", "--include-name", "DELETE /api/auth/me/")
    assert modes["positive"] >= 5 and modes["negative"] >= 30, modes
    # No generated password was the account's: it is still there.
    me = gateway.get("/api/auth/me/", headers={"Authorization": f"Token {token}"})
    assert me.status_code == 200 and me.json()["email"] == new_address


def test_fuzz_admin_requests_get_answers_the_schema_allows(stack, gateway, mailbox, new_address, tmp_path):
    token = token_for(gateway, mailbox, new_address)
    promote_admin(stack, new_address)
    modes = fuzz(stack, tmp_path, "--header", f"Authorization: Token {token}", "--include-path-regex", "^/api/admin/")
    assert modes["positive"] >= 150 and modes["negative"] >= 60, modes
    me = gateway.get("/api/auth/me/", headers={"Authorization": f"Token {token}"})
    assert me.status_code == 200 and "admin" in me.json()["roles"]


def test_admin_role_names_with_nul_are_refused_not_a_500(stack, gateway, mailbox, new_address):
    # Found by the admin fuzz run on PostgreSQL, which cannot compare strings holding NUL.
    token = token_for(gateway, mailbox, new_address)
    promote_admin(stack, new_address)
    me = gateway.get("/api/auth/me/", headers={"Authorization": f"Token {token}"}).json()
    response = gateway.patch(
        f"/api/admin/users/{me['id']}/",
        json={"roles": ["admin", "mem\x00ber"]},
        headers={"Authorization": f"Token {token}"},
    )
    assert response.status_code == 400 and response.json()["fields"]["roles"] == ["Null characters are not allowed."]
