"""The user journey through a running compose stack: only the published gateway port and the
mail catcher's API, like a user with a browser and the mail UI.

It reads mail with MailHog's own API (GET /api/v2/messages, each item's Raw.Data is the message
as received), so it runs unchanged against the real mailhog/mailhog image and against the
stand-in (standins/mailhog). Run it by hand against your own `docker compose up`:

    .venv/bin/python -m tests.compose.journey            # http://127.0.0.1:8080, :8025
"""

from __future__ import annotations

import argparse
import email
import email.policy
import re
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass

import requests

PASSWORD = "compose journey passphrase"
NEW_PASSWORD = "compose journey passphrase, reset"
MAIL_TIMEOUT_S = 30.0


class JourneyFailed(AssertionError):
    pass


def expect(condition: bool, what: str, detail: object = "") -> None:
    if not condition:
        raise JourneyFailed(f"{what}: {detail}" if detail != "" else what)


@dataclass
class Email:
    to: list[str]
    subject: str
    message_id: str
    sender: str
    text: str


class MailHog:
    """MailHog's HTTP API (v2 list of messages), the part every MailHog version serves."""

    def __init__(self, base_url: str):
        self.base_url = base_url.rstrip("/")

    def messages(self, to: str) -> list[Email]:
        response = requests.get(f"{self.base_url}/api/v2/messages", params={"limit": 1000}, timeout=10)
        response.raise_for_status()
        found = []
        for item in response.json()["items"]:
            if to.lower() not in (address.lower() for address in item["Raw"]["To"]):
                continue
            message = email.message_from_string(item["Raw"]["Data"], policy=email.policy.default)
            body = message.get_body(("plain",))
            found.append(
                Email(
                    to=item["Raw"]["To"],
                    subject=str(message["Subject"]),
                    message_id=str(message["Message-ID"]),
                    sender=str(message["From"]),
                    text=body.get_content() if body is not None else "",
                )
            )
        return found

    def wait_for(self, to: str, subject: str, timeout: float = MAIL_TIMEOUT_S) -> Email:
        deadline = time.monotonic() + timeout
        while True:
            matching = [m for m in self.messages(to) if m.subject == subject]
            if matching:
                return matching[0]
            if time.monotonic() > deadline:
                subjects = [m.subject for m in self.messages(to)]
                raise JourneyFailed(f"no email {subject!r} to {to} within {timeout:.0f} s (got {subjects})")
            time.sleep(0.25)


class Gateway(requests.Session):
    def __init__(self, base_url: str):
        super().__init__()
        self.base_url = base_url.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 15)
        return super().request(method, self.base_url + url, *args, **kwargs)


def link_in(message: Email, frontend_url: str, route: str) -> str:
    match = re.search(rf"({re.escape(frontend_url)}/{route}/\S+)", message.text)
    expect(match is not None, f"a {route} link in {message.subject!r}", message.text)
    assert match is not None
    return match.group(1)


def login(gateway: Gateway, address: str, password: str) -> str:
    response = gateway.post("/api/auth/login/", json={"email": address, "password": password})
    expect(response.status_code == 200, f"login of {address}", f"{response.status_code} {response.text}")
    return response.json()["token"]


def check_account(gateway_url: str, address: str, password: str) -> None:
    """The account exists and logs in (after the stack was taken down and up again)."""
    with Gateway(gateway_url) as gateway:
        token = login(gateway, address, password)
        me = gateway.get("/api/auth/me/", headers={"Authorization": f"Token {token}"})
        expect(me.status_code == 200 and me.json()["email"] == address, "me after login", me.text)


# The app's public URL in .env.example (FRONTEND_URL): emails link there, and it is the browser's origin.
FRONTEND_URL = "http://localhost:8080"


def run_journey(
    gateway_url: str, mail_url: str, step: Callable[[str], None] = print, frontend_url: str = FRONTEND_URL
) -> tuple[str, str]:
    """Register, confirm by email, log in over both transports, me, log out, reset the password
    by its link, and the web app at /. Calls step(name) after each step; returns the account."""
    frontend = frontend_url.rstrip("/")
    mailbox = MailHog(mail_url)
    address = f"compose-{uuid.uuid4().hex[:10]}@example.com"

    with Gateway(gateway_url) as gateway:
        page = gateway.get("/")
        expect(
            page.status_code == 200
            and page.headers["Content-Type"].startswith("text/html")
            and '<div id="root">' in page.text,
            "the web app at /",
            f"{page.status_code} {page.text[:200]}",
        )
        scripts = re.findall(r'src="(/assets/[^"]+\.js)"', page.text)
        expect(bool(scripts), "a script of the web app's build in index.html", page.text[:500])
        asset = gateway.get(scripts[0])
        expect(
            asset.status_code == 200 and "javascript" in asset.headers["Content-Type"],
            f"GET {scripts[0]}",
            asset.status_code,
        )
        deep_link = gateway.get("/dashboard")
        expect(deep_link.status_code == 200 and '<div id="root">' in deep_link.text, "the app's routes (/dashboard)")
        step("web app served at / (index.html, its hashed script, client-side routes)")

        ready = gateway.get("/api/health/ready/")
        expect(
            ready.status_code == 200 and ready.json()["checks"] == {"database": "ok", "redis": "ok", "outbox": "ok"},
            "readiness through the gateway",
            ready.text,
        )
        step("readiness through the gateway: database, redis and outbox ok")

        registered = gateway.post("/api/auth/register/", json={"email": address, "password": PASSWORD})
        expect(registered.status_code == 201, "register", f"{registered.status_code} {registered.text}")
        early = gateway.post("/api/auth/login/", json={"email": address, "password": PASSWORD})
        expect(
            early.status_code == 403 and early.json().get("code") == "email_not_confirmed",
            "login before confirming is refused",
            early.text,
        )
        step(f"registered {address}; login refused until confirmed")

        confirmation = mailbox.wait_for(address, "Confirm your email address")
        expect(
            confirmation.message_id.endswith("@auth-platform.local>"),
            "Message-ID of the mailer",
            confirmation.message_id,
        )
        expect("no-reply@auth-platform.local" in confirmation.sender, "From of the mailer", confirmation.sender)
        key = link_in(confirmation, frontend, "confirm-email").rsplit("/", 1)[1]
        confirmed = gateway.post("/api/auth/email/confirm/", json={"key": key})
        expect(confirmed.status_code == 200, "confirm with the emailed key", confirmed.text)
        step("confirmation email read from MailHog's API (mailer over SMTP), link followed")

        token = login(gateway, address, PASSWORD)
        header = {"Authorization": f"Token {token}"}
        me = gateway.get("/api/auth/me/", headers=header)
        expect(
            me.status_code == 200 and me.json()["email"] == address and me.json()["email_confirmed"] is True,
            "me with the header token",
            me.text,
        )
        step("login with the header transport; me")

    with Gateway(gateway_url) as browser:
        cookie_mode = {"X-Auth-Transport": "cookie"}
        expect(browser.get("/api/auth/csrf/", headers=cookie_mode).status_code == 204, "GET csrf")
        csrf = {**cookie_mode, "X-CSRFToken": browser.cookies["csrftoken"], "Origin": frontend}
        logged_in = browser.post("/api/auth/login/", headers=csrf, json={"email": address, "password": PASSWORD})
        expect(
            logged_in.status_code == 200 and "token" not in logged_in.json(),
            "login with the cookie transport",
            logged_in.text,
        )
        set_cookie = logged_in.headers.get("Set-Cookie", "")
        expect("auth_token=" in set_cookie and "HttpOnly" in set_cookie, "HttpOnly token cookie", set_cookie)
        expect(browser.get("/api/auth/me/", headers=cookie_mode).status_code == 200, "me with the cookie")
        csrf["X-CSRFToken"] = browser.cookies["csrftoken"]  # rotated at login
        out = browser.post("/api/auth/logout/", headers=csrf)
        expect(out.status_code == 204, "logout with the cookie", out.text)
        after = browser.get("/api/auth/me/", headers=cookie_mode)
        expect(after.status_code == 401, "me after the cookie logout", after.status_code)
        step("login with the cookie transport (CSRF); me; logout")

    with Gateway(gateway_url) as gateway:
        out = gateway.post("/api/auth/logout/", headers=header)
        expect(out.status_code == 204, "logout with the header token", out.text)
        gone = gateway.get("/api/auth/me/", headers=header)
        expect(gone.status_code == 401, "me after logout", gone.status_code)
        step("logout with the header token; the token is refused afterwards")

        asked = gateway.post("/api/auth/password/reset/", json={"email": address})
        expect(asked.status_code == 202, "password reset request", asked.text)
        started = time.monotonic()
        reset = mailbox.wait_for(address, "Reset your password")
        waited = time.monotonic() - started
        reset_link = link_in(reset, frontend, "reset-password")
        parts = re.search(r"/reset-password/([^/\s]+)/(\S+)", reset_link)
        expect(parts is not None, "password reset link with a uid and a token", reset_link)
        assert parts is not None
        uid, reset_token = parts.groups()
        verified = gateway.post("/api/auth/password/reset/verify/", json={"uid": uid, "token": reset_token})
        expect(verified.status_code == 200, "reset link verifies", verified.text)
        done = gateway.post(
            "/api/auth/password/reset/confirm/", json={"uid": uid, "token": reset_token, "new_password": NEW_PASSWORD}
        )
        expect(done.status_code == 200, "new password by the reset link", done.text)
        old = gateway.post("/api/auth/login/", json={"email": address, "password": PASSWORD})
        expect(old.status_code == 400, "the old password no longer logs in", old.status_code)
        login(gateway, address, NEW_PASSWORD)
        mailbox.wait_for(address, "Your password was changed")
        step(
            f"password reset by the emailed link (email {waited:.1f} s after the request, by the relay); "
            "new password logs in, old one refused, change notice sent"
        )
    return address, NEW_PASSWORD


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--gateway", default="http://127.0.0.1:8080")
    parser.add_argument("--mail", default="http://127.0.0.1:8025")
    parser.add_argument("--frontend", default=FRONTEND_URL, help="FRONTEND_URL of the stack (the links' origin)")
    args = parser.parse_args()
    address, _ = run_journey(
        args.gateway, args.mail, step=lambda name: print(f"ok: {name}"), frontend_url=args.frontend
    )
    print(f"journey passed with {address}")


if __name__ == "__main__":
    main()
