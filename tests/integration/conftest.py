"""Starts the native stack once per run, on PostgreSQL and free ports, and talks to it only
through the gateway and the mail catcher's HTTP API, like a user would."""

import os
import re
import shutil
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
import requests.adapters
from playwright.sync_api import sync_playwright

from deploy.native.stack import Stack, free_port, free_ports

PASSWORD = "integration test passphrase"


def start_stack(database="postgresql", **settings):
    """A whole native stack on free ports with its own PostgreSQL (or, with database="sqlite",
    the embedded SQLite database of `make run`); stop it with stop_stack."""
    run_dir = Path(tempfile.mkdtemp(prefix="auth-stack-"))
    run_dir.chmod(0o755)  # the postgres user must reach its data directory
    ports = free_ports()
    # Every test request comes from 127.0.0.1: per-IP limits are raised; per-account and
    # per-address limits keep their defaults.
    rates = "login_ip=10000/m,register_ip=10000/m,email_ip=10000/m,key_guess_ip=10000/m,mfa_ip=10000/m"
    overrides = {
        **ports,
        "GUNICORN_WORKERS": "2",
        "LOG_LEVEL": "INFO",
        "THROTTLE_RATES": rates,
        "GATEWAY_AUTH_RATE": "10000r/s",
        **settings,
    }
    postgres_port = free_port() if database == "postgresql" else None
    return Stack(run_dir, overrides=overrides, postgres_port=postgres_port, quiet=True).start()


def fresh_window(period_s, need_s):
    """Wait, if need be, until the API's fixed throttle windows of `period_s` (aligned to the
    epoch, accounts/throttling.py) have at least `need_s` left, so that a test's burst falls in
    one window."""
    left = period_s - time.time() % period_s
    if left < need_s:
        time.sleep(left + 0.05)


def stop_stack(stack):
    stack.stop()
    if os.environ.get("KEEP_STACK_LOGS"):
        print(f"stack logs kept in {stack.run_dir}/logs")
    else:
        shutil.rmtree(stack.run_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def stack():
    stack = start_stack()
    yield stack
    stop_stack(stack)


# Every token the tests were given, for test_zz_logs_hold_no_secrets.py.
ISSUED_TOKENS = set()
ISSUED_SECRETS: set[str] = set()  # TOTP seeds, recovery codes, login challenges


class Gateway(requests.Session):
    """A requests session whose relative URLs go to the gateway."""

    def __init__(self, base_url):
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        kwargs.setdefault("timeout", 15)
        response = super().request(method, self.base_url + url, *args, **kwargs)
        if "/api/auth/" in url and response.headers.get("Content-Type", "").startswith("application/json"):
            body = response.json()
            if isinstance(body, dict) and isinstance(body.get("token"), str):
                ISSUED_TOKENS.add(body["token"])
            if isinstance(body, dict):
                # Second factors' secrets, shown once: no log may hold them either.
                ISSUED_SECRETS.update(v for k, v in body.items() if k in ("secret", "challenge") and isinstance(v, str))
                ISSUED_SECRETS.update(c for c in body.get("recovery_codes") or () if isinstance(c, str))
        if cookie := response.cookies.get("auth_token"):
            ISSUED_TOKENS.add(cookie)
        return response


class FromAddress(requests.adapters.HTTPAdapter):
    """Connects from a given loopback address (127.0.0.x): another peer, as far as the gateway
    knows, the way another machine would be."""

    def __init__(self, source_ip):
        self.source_ip = source_ip
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.source_ip, 0)
        super().init_poolmanager(*args, **kwargs)


@pytest.fixture
def gateway(stack):
    with Gateway(stack.gateway_url) as session:
        yield session


class Mailbox:
    """The mail catcher's REST API (MailDev here, MailHog in compose)."""

    def __init__(self, base_url):
        self.base_url = base_url

    def messages(self, to=None):
        emails = requests.get(f"{self.base_url}/email", timeout=10).json()
        if to is not None:
            emails = [e for e in emails if any(r["address"] == to for r in e["to"])]
        return emails

    def wait_for(self, to, count=1, timeout=30.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            emails = self.messages(to)
            if len(emails) >= count:
                return emails
            time.sleep(0.2)
        raise AssertionError(f"expected {count} email(s) to {to}, got {len(self.messages(to))}")


@pytest.fixture
def mailbox(stack):
    return Mailbox(stack.mail_ui_url)


@pytest.fixture
def new_address():
    return f"user-{uuid.uuid4().hex[:10]}@example.com"


def extract_link(email, route):
    match = re.search(rf"(http://(?:localhost|127\.0\.0\.1):\d+/{route}/\S+)", email["text"])
    assert match, email["text"]
    return match.group(1)


def emails_matching(mailbox, to, pattern, count=1, timeout=30.0):
    """The emails to `to` whose text matches `pattern`, waiting until there are `count`."""
    deadline = time.monotonic() + timeout
    while True:
        found = [e for e in mailbox.messages(to) if re.search(pattern, e.get("text") or "")]
        if len(found) >= count or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert len(found) >= count, f"expected {count} email(s) to {to} matching {pattern!r}, got {len(found)}"
    return found


def register_confirmed(gateway, mailbox, address, password=PASSWORD):
    """An account ready to log in, made through the API (the UI path is the journey test's)."""
    response = gateway.post("/api/auth/register/", json={"email": address, "password": password})
    assert response.status_code == 201, response.text
    (message,) = emails_matching(mailbox, address, r"/confirm-email/")
    key = extract_link(message, "confirm-email").rsplit("/", 1)[1]
    response = gateway.post("/api/auth/email/confirm/", json={"key": key})
    assert response.status_code == 200, response.text


def promote_admin(stack, address):
    """There is no API for the first admin: the lead's management command makes one."""
    result = stack.manage("promote_admin", address, timeout=120)
    assert result.returncode == 0, f"promote_admin failed:\n{result.stdout}\n{result.stderr}"


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
# Debian's Chromium as root, with no background traffic to the (closed) outside network.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def page_factory(browser, stack, **context_options):
    """Yields a factory of pages on `stack`'s app URL, each in its own browser context (its own
    cookies: another device). Any uncaught JavaScript error on any of them fails the test."""
    contexts = []
    errors = []

    def open_page():
        # The app's own URL (localhost): where its emails link, and a valid WebAuthn relying party.
        context = browser.new_context(base_url=stack.app_url, **context_options)
        contexts.append(context)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield open_page
    for context in contexts:
        context.close()
    assert errors == [], errors


@pytest.fixture
def open_page(browser, stack):
    with page_factory(browser, stack) as open_page:
        yield open_page


@pytest.fixture
def page(open_page):
    return open_page()
