"""Schema-driven fuzzing of the running stack through the gateway (schemathesis), bounded.

Checks that no generated request, anonymous or authenticated, gets a 5xx. Operations that
would end the fuzzer's own session (logout, refresh, deleting the account) are left out of the
authenticated run; their hostile inputs are covered by the anonymous run and the API tests.
"""
import re
import subprocess
from pathlib import Path

import pytest

from tests.integration.conftest import PASSWORD, extract_link

SCHEMATHESIS = Path(__file__).resolve().parents[2] / ".venv" / "bin" / "schemathesis"
SESSION_ENDING = ["/api/auth/logout/", "/api/auth/logout-all/", "/api/auth/token/refresh/", "/api/auth/me/",
                  "/api/auth/password/change/"]


def fuzz(stack, *extra):
    command = [
        str(SCHEMATHESIS), "run", f"{stack.gateway_url}/api/schema/?format=json", "--url", stack.gateway_url,
        "--checks", "not_a_server_error", "--max-examples", "25", "--generation-deterministic",
        "--request-timeout", "10", *extra,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=400)


def assert_all_passed(result):
    assert result.returncode == 0, result.stdout[-5000:]
    generated, passed = map(int, re.search(r"(\d+) generated, (\d+) passed", result.stdout).groups())
    assert generated == passed and generated >= 100, result.stdout[-2000:]


def test_fuzz_anonymous_requests_get_no_5xx(stack):
    result = fuzz(stack)
    assert_all_passed(result)


@pytest.mark.parametrize("excluded", [SESSION_ENDING])
def test_fuzz_authenticated_requests_get_no_5xx(stack, gateway, mailbox, new_address, excluded):
    gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD})
    (message,) = mailbox.wait_for(new_address)
    gateway.post("/api/auth/email/confirm/", json={"key": extract_link(message, "confirm-email").rsplit("/", 1)[1]})
    token = gateway.post("/api/auth/login/", json={"email": new_address, "password": PASSWORD}).json()["token"]
    exclusions = [arg for path in excluded for arg in ("--exclude-path", path)]
    result = fuzz(stack, "--header", f"Authorization: Token {token}", *exclusions)
    assert_all_passed(result)
