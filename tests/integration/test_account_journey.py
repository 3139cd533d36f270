"""The issue-2 journey through the gateway: register, confirm by email, log in, me, log out."""

import re
import time

import pytest

from tests.integration.conftest import PASSWORD, extract_link


def register(gateway, email, **extra):
    return gateway.post("/api/auth/register/", json={"email": email, "password": PASSWORD, **extra})


def confirm_from_mailbox(gateway, mailbox, email):
    (message,) = mailbox.wait_for(email)
    link = extract_link(message, "confirm-email")
    key = link.rsplit("/", 1)[1]
    return link, key, gateway.post("/api/auth/email/confirm/", json={"key": key})


def test_register_confirm_login_me_logout(stack, gateway, mailbox, new_address):
    response = register(gateway, new_address, username=new_address.split("@")[0])
    assert response.status_code == 201

    early = gateway.post("/api/auth/login/", json={"email": new_address, "password": PASSWORD})
    assert early.status_code == 403 and early.json()["code"] == "email_not_confirmed"
    assert "token" not in early.json()

    link, key, confirmed = confirm_from_mailbox(gateway, mailbox, new_address)
    assert link.startswith(stack.app_url + "/confirm-email/")
    assert confirmed.status_code == 200
    reused = gateway.post("/api/auth/email/confirm/", json={"key": key})
    assert reused.status_code == 400 and reused.json()["code"] == "invalid_key"

    login = gateway.post("/api/auth/login/", json={"email": new_address.upper(), "password": PASSWORD})
    assert login.status_code == 200
    token = login.json()["token"]
    auth = {"Authorization": f"Token {token}"}
    me = gateway.get("/api/auth/me/", headers=auth)
    assert me.status_code == 200
    assert me.json()["email"] == new_address and me.json()["email_confirmed"] is True
    assert me.json()["roles"] == ["member"]

    by_username = gateway.post("/api/auth/login/", json={"username": new_address.split("@")[0], "password": PASSWORD})
    assert by_username.status_code == 200

    assert gateway.post("/api/auth/logout/", headers=auth).status_code == 204
    gone = gateway.get("/api/auth/me/", headers=auth)
    assert gone.status_code == 401 and gone.json()["code"] == "authentication_failed"


def test_confirmation_email_is_delivered_by_the_worker_over_smtp(gateway, mailbox, new_address):
    register(gateway, new_address)
    (message,) = mailbox.wait_for(new_address)
    assert message["subject"] == "Confirm your email address"
    assert message["headers"]["message-id"].endswith("@auth-platform.local>")
    assert "no-reply@auth-platform.local" in message["from"][0]["address"]


def test_registering_an_existing_address_answers_the_same_and_mails_the_owner(gateway, mailbox, new_address):
    first = register(gateway, new_address)
    mailbox.wait_for(new_address)
    again = register(gateway, new_address.upper())
    other = register(gateway, "fresh-" + new_address)
    assert first.status_code == again.status_code == other.status_code == 201
    assert first.content == again.content == other.content
    emails = mailbox.wait_for(new_address, count=2)
    assert sorted(e["subject"] for e in emails) == [
        "Confirm your email address",
        "Someone tried to sign up with your email address",
    ]


def test_wrong_password_and_unknown_account_answer_identically(gateway, mailbox, new_address):
    register(gateway, new_address)
    wrong = gateway.post("/api/auth/login/", json={"email": new_address, "password": "wrong password here"})
    unknown = gateway.post("/api/auth/login/", json={"email": "no-" + new_address, "password": "wrong password here"})
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.content == unknown.content
    assert set(wrong.headers) - {"Date", "X-Request-ID"} == set(unknown.headers) - {"Date", "X-Request-ID"}


def test_browser_cookie_transport_with_csrf(gateway, mailbox, new_address):
    register(gateway, new_address)
    confirm_from_mailbox(gateway, mailbox, new_address)
    browser = {"X-Auth-Transport": "cookie"}
    assert gateway.get("/api/auth/csrf/", headers=browser).status_code == 204
    csrf = gateway.cookies["csrftoken"]

    refused = gateway.post("/api/auth/login/", headers=browser, json={"email": new_address, "password": PASSWORD})
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"

    login = gateway.post(
        "/api/auth/login/",
        headers={**browser, "X-CSRFToken": csrf, "Origin": gateway.base_url},
        json={"email": new_address, "password": PASSWORD},
    )
    assert login.status_code == 200 and "token" not in login.json()
    set_cookie = login.headers["Set-Cookie"]
    assert "auth_token=" in set_cookie and "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    assert "sessionid" not in set_cookie
    assert gateway.get("/api/auth/me/", headers=browser).status_code == 200

    csrf = gateway.cookies["csrftoken"]  # rotated at login
    no_csrf = gateway.post("/api/auth/logout/", headers=browser)
    assert no_csrf.status_code == 403 and no_csrf.json()["code"] == "csrf_failed"
    token = gateway.cookies["auth_token"]
    out = gateway.post("/api/auth/logout/", headers={**browser, "X-CSRFToken": csrf, "Origin": gateway.base_url})
    assert out.status_code == 204
    assert gateway.get("/api/auth/me/", headers={"Authorization": f"Token {token}"}).status_code == 401


def test_the_stack_runs_the_expired_token_cleanup(stack):
    # The launcher starts bin/start-token-cleanup.sh like the compose service; its first run
    # happens at start-up.
    log = stack.logs / "token-cleanup.log"
    deadline = time.monotonic() + 30
    while "expired tokens in" not in (log.read_text() if log.exists() else "") and time.monotonic() < deadline:
        time.sleep(0.2)
    assert re.search(r"deleted \d+ expired tokens in \d+ batches", log.read_text())
    assert stack.process("token-cleanup").poll() is None  # still running, waiting for the next round


def test_health_endpoints_through_the_gateway(gateway):
    assert gateway.get("/api/health/live/").json() == {"status": "ok"}
    ready = gateway.get("/api/health/ready/")
    assert ready.status_code == 200
    assert ready.json()["status"] == "ok"
    assert ready.json()["checks"] == {"database": "ok", "redis": "ok", "outbox": "ok"}


@pytest.mark.parametrize(
    "path, content_type",
    [
        ("/", "text/html"),
        ("/dashboard", "text/html"),
        ("/confirm-email/abc", "text/html"),
        ("/api/nope/", "application/json"),
    ],
)
def test_gateway_routes_and_security_headers(gateway, path, content_type):
    response = gateway.get(path)
    assert response.headers["Content-Type"].startswith(content_type)
    headers = response.headers
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "no-referrer"
    assert headers["Server"] == "nginx"  # no version
    if path.startswith("/api/"):
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        assert headers["Cache-Control"] == "no-store"
    else:
        assert response.status_code == 200 and '<div id="root">' in response.text


def test_gateway_caps_request_bodies_with_a_json_error(gateway):
    response = gateway.post(
        "/api/auth/register/", data=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_bad_input_through_the_gateway_is_json(gateway):
    malformed = gateway.post("/api/auth/login/", data=b'{"email": ', headers={"Content-Type": "application/json"})
    assert malformed.status_code == 400 and malformed.json()["code"] == "parse_error"
    plain = gateway.post("/api/auth/login/", data=b"{}", headers={"Content-Type": "text/plain"})
    assert plain.status_code == 415 and plain.json()["code"] == "unsupported_media_type"
    as_list = gateway.post("/api/auth/register/", json={"email": ["a@example.com"], "password": PASSWORD})
    assert as_list.status_code == 400 and "email" in as_list.json()["fields"]


@pytest.mark.parametrize("method, path", [("TRACE", "/api/auth/me/"), ("POST", "/index.html")])
def test_methods_the_gateway_refuses_get_a_json_405_with_security_headers(gateway, method, path):
    response = gateway.request(method, path)
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]


def test_methods_the_api_refuses_get_a_json_405_with_allow(gateway):
    response = gateway.put("/api/auth/register/", json={})
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    assert "POST" in response.headers["Allow"]


def test_unknown_host_gets_no_answer(stack):
    import socket

    with socket.create_connection(("127.0.0.1", stack.ports["GATEWAY_PORT"]), timeout=5) as sock:
        sock.sendall(b"GET / HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n")
        assert sock.recv(1024) == b""  # nginx closed the connection without a response


def test_gateway_log_never_holds_the_confirmation_key(stack, gateway, mailbox, new_address):
    register(gateway, new_address)
    (message,) = mailbox.wait_for(new_address)
    link = extract_link(message, "confirm-email")
    key = link.rsplit("/", 1)[1]
    assert gateway.get(link.removeprefix(stack.app_url)).status_code == 200  # the page a user opens
    assert gateway.post("/api/auth/email/confirm/", json={"key": key}).status_code == 200
    logs = "".join(path.read_text(errors="replace") for path in stack.logs.glob("*.log"))
    assert "/confirm-email/[redacted]" in logs
    assert key not in logs
