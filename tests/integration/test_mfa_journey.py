"""Issue 16's journeys through the gateway, with the real emails: an authenticator app set up and
used to log in, recovery codes, login by emailed code, and reauthentication."""

import re
import time

import pyotp

from tests.integration.conftest import PASSWORD, emails_matching, register_confirmed

SIGN_IN_CODE = r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$"


def login(gateway, address, **extra):
    response = gateway.post("/api/auth/login/", json={"email": address, "password": PASSWORD}, **extra)
    assert response.status_code == 200, response.text
    return response.json()


def bearer(token):
    return {"Authorization": f"Token {token}"}


def code_at_step(secret, step):
    return pyotp.TOTP(secret).generate_otp(step)


def current_step():
    return int(time.time()) // 30


def test_authenticator_app_and_recovery_codes_journey(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    token = login(gateway, new_address)["token"]

    setup = gateway.post("/api/auth/mfa/totp/setup/", headers=bearer(token))
    assert setup.status_code == 200
    secret, uri = setup.json()["secret"], setup.json()["otpauth_uri"]
    assert uri.startswith("otpauth://totp/") and f"secret={secret}" in uri
    step = current_step()
    confirmed = gateway.post(
        "/api/auth/mfa/totp/confirm/", json={"code": code_at_step(secret, step)}, headers=bearer(token)
    )
    assert confirmed.status_code == 200, confirmed.text
    recovery_codes = confirmed.json()["recovery_codes"]
    assert len(recovery_codes) == 10 and len(set(recovery_codes)) == 10
    emails_matching(mailbox, new_address, r"authenticator app was just added|added to your account")

    # The password alone gives no token now, only a challenge.
    first = login(gateway, new_address)
    assert first["mfa_required"] is True and "token" not in first
    assert first["methods"] == ["totp", "recovery_code"]
    near = {code_at_step(secret, s) for s in range(step - 1, step + 3)}
    not_a_code = next(c for c in ("000000", "111111", "222222", "333333", "444444") if c not in near)
    wrong = gateway.post("/api/auth/login/mfa/", json={"challenge": first["challenge"], "code": not_a_code})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_code"
    # The next step's code (within the one-step drift window), since this step's is used up.
    next_code = code_at_step(secret, step + 1)
    second = gateway.post("/api/auth/login/mfa/", json={"challenge": first["challenge"], "code": next_code})
    assert second.status_code == 200, second.text
    mfa_token = second.json()["token"]
    sessions = gateway.get("/api/auth/sessions/", headers=bearer(mfa_token)).json()
    current = next(s for s in sessions if s["current"])
    assert (current["auth_method"], current["second_factor"]) == ("password", "totp")

    # A used challenge is gone, and a used code does not work twice.
    reused = gateway.post("/api/auth/login/mfa/", json={"challenge": first["challenge"], "code": next_code})
    assert reused.json()["code"] == "invalid_challenge"
    replay = gateway.post(
        "/api/auth/login/mfa/", json={"challenge": login(gateway, new_address)["challenge"], "code": next_code}
    )
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_code"

    # A recovery code logs in once, and the owner is told how many are left.
    challenge = login(gateway, new_address)["challenge"]
    by_recovery = gateway.post(
        "/api/auth/login/mfa/", json={"challenge": challenge, "recovery_code": recovery_codes[0].lower()}
    )
    assert by_recovery.status_code == 200, by_recovery.text
    emails_matching(mailbox, new_address, r"You have 9 recovery codes left\.")
    again = gateway.post(
        "/api/auth/login/mfa/",
        json={"challenge": login(gateway, new_address)["challenge"], "recovery_code": recovery_codes[0]},
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_code"
    status = gateway.get("/api/auth/mfa/", headers=bearer(mfa_token)).json()
    assert status["totp_enabled"] is True and status["recovery_codes_remaining"] == 9

    # Nothing secret is readable afterwards.
    assert secret not in gateway.get("/api/auth/mfa/", headers=bearer(mfa_token)).text


def test_the_second_step_in_cookie_mode_needs_csrf_and_sets_the_cookie(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    token = login(gateway, new_address)["token"]
    secret = gateway.post("/api/auth/mfa/totp/setup/", headers=bearer(token)).json()["secret"]
    step = current_step()
    gateway.post("/api/auth/mfa/totp/confirm/", json={"code": code_at_step(secret, step)}, headers=bearer(token))

    gateway.get("/api/auth/csrf/")
    csrf = {"X-CSRFToken": gateway.cookies["csrftoken"], "X-Auth-Transport": "cookie"}
    first = login(gateway, new_address, headers=csrf)
    assert first["mfa_required"] is True
    body = {"challenge": first["challenge"], "code": code_at_step(secret, step + 1)}
    refused = gateway.post("/api/auth/login/mfa/", json=body, headers={"X-Auth-Transport": "cookie"})
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    done = gateway.post("/api/auth/login/mfa/", json=body, headers=csrf)
    assert done.status_code == 200 and "token" not in done.json() and "auth_token" in done.cookies
    assert gateway.get("/api/auth/me/").json()["email"] == new_address


def test_login_by_emailed_code(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    unknown = gateway.post("/api/auth/login/code/", json={"email": "nobody-" + new_address})
    asked = gateway.post("/api/auth/login/code/", json={"email": new_address})
    assert asked.status_code == unknown.status_code == 202 and asked.json() == unknown.json()
    (email,) = emails_matching(mailbox, new_address, r"(?m)" + SIGN_IN_CODE)
    found = re.search(SIGN_IN_CODE, email["text"], re.MULTILINE)
    assert found, email["text"]
    code = found.group(1)
    wrong = gateway.post("/api/auth/login/code/confirm/", json={"email": new_address, "code": "AAAA-AAAA"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_code"
    done = gateway.post("/api/auth/login/code/confirm/", json={"email": new_address, "code": code})
    assert done.status_code == 200, done.text
    sessions = gateway.get("/api/auth/sessions/", headers=bearer(done.json()["token"])).json()
    assert [s["auth_method"] for s in sessions if s["current"]] == ["email_code"]
    used = gateway.post("/api/auth/login/code/confirm/", json={"email": new_address, "code": code})
    assert used.json()["code"] == "invalid_code"
    assert mailbox.messages("nobody-" + new_address) == []


def test_reauthentication_through_the_gateway(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    token = login(gateway, new_address)["token"]
    wrong = gateway.post("/api/auth/reauthenticate/", json={"password": "not the password"}, headers=bearer(token))
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_password"
    right = gateway.post("/api/auth/reauthenticate/", json={"password": PASSWORD}, headers=bearer(token))
    assert right.status_code == 200 and "reauthenticated_until" in right.json()
