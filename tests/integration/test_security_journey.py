"""Issue 17's journeys through the gateway, with the real emails: the security log, a sign-in from a
new device and its alert, "this wasn't me" ending a live session and blocking the password until
the reset email's code is used, and the data export."""

import re
import time

from tests.integration.conftest import ISSUED_SECRETS, PASSWORD, emails_matching, register_confirmed

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
ALERT_LINK = r"/sign-in-alert/([A-Za-z0-9_-]{43})/(yes|no)\b"


def login(gateway, address, password=PASSWORD, **headers):
    return gateway.post("/api/auth/login/", json={"email": address, "password": password}, headers=headers)


def bearer(token):
    return {"Authorization": f"Token {token}"}


def log_of(gateway, token):
    response = gateway.get("/api/auth/security-log/", headers=bearer(token))
    assert response.status_code == 200, response.text
    return response.json()["results"]


def alert_key(mailbox, address):
    (alert,) = emails_matching(mailbox, address, ALERT_LINK)
    found = re.findall(ALERT_LINK, alert["text"])
    assert [answer for _, answer in found] == ["yes", "no"] and found[0][0] == found[1][0]
    ISSUED_SECRETS.add(found[0][0])  # no log may hold it (test_zz_logs_hold_no_secrets.py)
    return alert, found[0][0]


def test_a_new_device_mails_an_alert_and_this_wasnt_me_secures_the_account(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    mine = login(gateway, new_address).json()["token"]
    # The same client again: not new.
    login(gateway, new_address)
    intruder = login(gateway, new_address, **{"User-Agent": FIREFOX}).json()["token"]
    alert, key = alert_key(mailbox, new_address)
    assert "Device: Firefox 133 on Windows" in alert["text"] and "Network: 127.0.0.0/24" in alert["text"]
    assert [r["address"] for r in alert["to"]] == [new_address]

    events = log_of(gateway, mine)
    assert [e["kind"] for e in events] == ["signed_in"] * 3
    assert [e["details"]["new_device"] for e in events] == [True, False, False]
    assert events[0]["device"] == "Firefox 133 on Windows" and events[0]["ip"] == "127.0.0.1"
    assert events[-1]["current_session"] is True

    denied = gateway.post("/api/auth/device-alerts/deny/", json={"key": key})
    assert denied.status_code == 200, denied.text
    # Every live session is over, the intruder's and the owner's.
    for token in (intruder, mine):
        assert gateway.get("/api/auth/me/", headers=bearer(token)).status_code == 401
    blocked = login(gateway, new_address)
    assert blocked.status_code == 403 and blocked.json()["code"] == "password_reset_required"
    emails_matching(mailbox, new_address, r"You told us a recent sign-in to your account was not you")
    (reset,) = emails_matching(mailbox, new_address, r"/reset-password/")
    # The link works once.
    again = gateway.post("/api/auth/device-alerts/deny/", json={"key": key})
    assert again.status_code == 400 and again.json()["code"] == "invalid_key"

    # The code stands on its own line: six digits inside the link's token must not be taken for it.
    found = re.search(r"(?m)^\s*(\d{6})\s*$", reset["text"])
    assert found, reset["text"]
    code = found.group(1)
    new_password = "a fresh passphrase after the scare"
    body = {"email": new_address, "code": code, "new_password": new_password}
    assert gateway.post("/api/auth/password/reset/confirm/", json=body).status_code == 200
    assert login(gateway, new_address).status_code == 400  # the old password is gone
    after = login(gateway, new_address, password=new_password)
    assert after.status_code == 200, after.text
    kinds = [e["kind"] for e in log_of(gateway, after.json()["token"])]
    assert kinds[:4] == ["signed_in", "password_reset_completed", "password_reset_requested", "sign_in_disowned"]
    assert [e["disowned"] for e in log_of(gateway, after.json()["token"]) if e["kind"] == "signed_in"][-3:] == [
        True,
        False,
        False,
    ]


def test_yes_it_was_me_keeps_the_sessions(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    mine = login(gateway, new_address).json()["token"]
    login(gateway, new_address, **{"User-Agent": FIREFOX})
    _, key = alert_key(mailbox, new_address)
    assert gateway.post("/api/auth/device-alerts/confirm/", json={"key": key}).status_code == 200
    assert gateway.get("/api/auth/me/", headers=bearer(mine)).status_code == 200
    assert gateway.post("/api/auth/device-alerts/deny/", json={"key": key}).json()["code"] == "invalid_key"
    assert log_of(gateway, mine)[0]["kind"] == "new_device_confirmed"


def test_failed_sign_ins_reach_the_log_counted(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    token = login(gateway, new_address).json()["token"]
    for _ in range(3):
        assert login(gateway, new_address, password="not the password at all").status_code == 400
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the relay counts them within a round or two
        failed = [e for e in log_of(gateway, token) if e["kind"] == "sign_in_failed"]
        if failed and failed[0]["count"] == 3:
            break
        time.sleep(0.3)
    assert [(e["count"], e["details"]["method"]) for e in failed] == [(3, "password")]


def test_the_data_export_downloads_every_part_after_a_recent_sign_in(gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    token = login(gateway, new_address).json()["token"]
    response = gateway.get("/api/auth/me/export/", headers=bearer(token))
    assert response.status_code == 200, response.text
    assert response.headers["Content-Disposition"] == 'attachment; filename="account-data.json"'
    assert response.headers["Cache-Control"] == "no-store"
    data = response.json()
    assert data["profile"]["email"] == new_address
    assert {"sessions", "security_log", "known_devices", "recovery_codes", "email_confirmations"} <= set(data)
    assert token not in response.text and PASSWORD not in response.text
