"""Issue 16 in Chromium: passkeys registered and used for a passwordless login for real (Chromium's
virtual authenticator, through the DevTools protocol's WebAuthn domain), an authenticator app set
up by reading its secret off the page, logins with a code, a recovery code and an emailed code,
and a sensitive action that asks for reauthentication.

On their own stack: make run's SQLite database, and a thirty-second reauthentication timeout so a
session can go stale within the test."""

import re
import time

import pyotp
import pytest
from playwright.sync_api import Page, expect

from tests.integration.conftest import (
    PASSWORD,
    Gateway,
    Mailbox,
    emails_matching,
    page_factory,
    register_confirmed,
    start_stack,
    stop_stack,
)

SIGN_IN_CODE = r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$"


@pytest.fixture(scope="module")
def mfa_stack():
    stack = start_stack(database="sqlite", REAUTHENTICATION_TIMEOUT_MINUTES="0.5")
    yield stack
    stop_stack(stack)


@pytest.fixture
def mfa_gateway(mfa_stack):
    with Gateway(mfa_stack.gateway_url) as session:
        yield session


@pytest.fixture
def mfa_mailbox(mfa_stack):
    return Mailbox(mfa_stack.mail_ui_url)


@pytest.fixture
def new_page(browser, mfa_stack):
    with page_factory(browser, mfa_stack, accept_downloads=True) as open_page:
        yield open_page


class VirtualAuthenticator:
    """A platform authenticator with resident keys and user verification, in Chromium itself
    (DevTools protocol, domain WebAuthn): the browser runs the real WebAuthn ceremonies."""

    def __init__(self, page: Page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("WebAuthn.enable", {"enableUI": False})
        options = {
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": True,
            "hasUserVerification": True,
            "isUserVerified": True,
            "automaticPresenceSimulation": True,
        }
        self.id = self.cdp.send("WebAuthn.addVirtualAuthenticator", {"options": options})["authenticatorId"]

    def credentials(self) -> list[dict]:
        return self.cdp.send("WebAuthn.getCredentials", {"authenticatorId": self.id})["credentials"]


def log_in_with_password(page: Page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email or username").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def expect_dashboard(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out", exact=True).click()
    expect(page).to_have_url(re.compile(r"/login"))


def save_recovery_codes(page: Page) -> list[str]:
    """The codes shown once after the first factor; downloaded as a text file, then dismissed."""
    with page.expect_download() as download:
        page.get_by_role("button", name="Download codes").click()
    text = open(download.value.path()).read()
    codes = re.findall(r"\b[A-Z2-7]{4}-[A-Z2-7]{4}-[A-Z2-7]{4}\b", text)
    assert len(codes) == 10, text
    for code in codes:
        expect(page.get_by_text(code)).to_be_visible()
    page.get_by_role("button", name="I have saved them").click()
    return codes


def set_up_authenticator_app(page: Page) -> tuple[pyotp.TOTP, int, list[str]]:
    """Through the security page: read the secret off the page, as a person types it into an app."""
    page.goto("/security")
    page.get_by_role("button", name="Set up authenticator app").click()
    expect(page.get_by_role("img", name=re.compile("QR code", re.I))).to_be_visible()
    secret = page.get_by_label("Secret key").input_value().replace(" ", "")
    totp = pyotp.TOTP(secret)
    step = int(time.time()) // 30
    page.get_by_label("Code from the app").fill(totp.generate_otp(step))
    page.get_by_role("button", name="Turn on").click()
    codes = save_recovery_codes(page)
    return totp, step, codes


def test_passkey_registration_and_passwordless_login(new_page, mfa_gateway, mfa_mailbox, new_address):
    register_confirmed(mfa_gateway, mfa_mailbox, new_address)
    page = new_page()
    authenticator = VirtualAuthenticator(page)
    log_in_with_password(page, new_address)
    expect_dashboard(page)

    page.goto("/security")
    page.get_by_label("Passkey name").fill("This laptop")
    page.get_by_role("button", name="Add a passkey").click()
    save_recovery_codes(page)  # the account's first factor: its recovery codes, shown once
    expect(page.get_by_role("cell", name="This laptop", exact=True)).to_be_visible()
    (credential,) = authenticator.credentials()
    assert credential["isResidentCredential"] and credential["rpId"] == "localhost"
    emails_matching(mfa_mailbox, new_address, r"passkey")

    # Usernameless: nothing typed, the authenticator picks the account.
    log_out(page)
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect_dashboard(page)
    assert authenticator.credentials()[0]["signCount"] >= 1
    page.goto("/security")  # the sessions list says how this one signed in
    sessions = page.get_by_role("group", name="Sessions table")
    expect(sessions.get_by_role("cell", name="Passkey", exact=True)).to_be_visible()

    # The password alone no longer signs in: the passkey is a second factor too.
    log_out(page)
    log_in_with_password(page, new_address)
    expect(page).to_have_url(re.compile(r"/login/verify"))
    page.get_by_role("button", name="Use a security key or passkey").click()
    expect_dashboard(page)


def test_authenticator_app_setup_and_login_with_a_code_then_a_recovery_code(
    new_page, mfa_gateway, mfa_mailbox, new_address
):
    register_confirmed(mfa_gateway, mfa_mailbox, new_address)
    page = new_page()
    log_in_with_password(page, new_address)
    expect_dashboard(page)
    totp, step, codes = set_up_authenticator_app(page)
    expect(page.get_by_text("You have 10 unused recovery codes.")).to_be_visible()

    log_out(page)
    log_in_with_password(page, new_address)
    expect(page).to_have_url(re.compile(r"/login/verify"))
    page.get_by_label("Authentication code").fill(totp.generate_otp(step + 1))  # this step's is used
    page.get_by_role("button", name="Verify").click()
    expect_dashboard(page)

    log_out(page)
    log_in_with_password(page, new_address)
    page.get_by_role("button", name="Use a recovery code").click()
    page.get_by_label("Recovery code").fill(codes[0])
    page.get_by_role("button", name="Verify").click()
    expect_dashboard(page)
    emails_matching(mfa_mailbox, new_address, r"You have 9 recovery codes left\.")


def test_login_by_emailed_code(new_page, mfa_gateway, mfa_mailbox, new_address):
    register_confirmed(mfa_gateway, mfa_mailbox, new_address)
    page = new_page()
    page.goto("/login")
    page.get_by_role("button", name="Email me a code").click()
    expect(page).to_have_url(re.compile(r"/login/code"))
    page.get_by_label("Email", exact=True).fill(new_address)
    page.get_by_role("button", name="Email me a code").click()
    (email,) = emails_matching(mfa_mailbox, new_address, r"(?m)" + SIGN_IN_CODE)
    found = re.search(SIGN_IN_CODE, email["text"], re.MULTILINE)
    assert found, email["text"]
    page.get_by_role("textbox", name="Sign-in code").fill(found.group(1))
    page.get_by_role("button", name="Verify").click()
    expect_dashboard(page)


@pytest.fixture(scope="module", autouse=True)
def aging_session(browser, mfa_stack):
    """A browser signed in when the module starts, so its session is stale by the last test
    without a minute's sleep of its own: the other tests run meanwhile."""
    with Gateway(mfa_stack.gateway_url) as gateway:
        address = f"aging-{int(time.time() * 1000)}@example.com"
        register_confirmed(gateway, Mailbox(mfa_stack.mail_ui_url), address)
    with page_factory(browser, mfa_stack) as open_page:
        page = open_page()
        log_in_with_password(page, address)
        expect_dashboard(page)
        yield page, time.monotonic()


def test_a_sensitive_action_asks_for_reauthentication_then_goes_on(aging_session):
    page, signed_in_at = aging_session
    # Past this stack's REAUTHENTICATION_TIMEOUT_MINUTES=0.5 (what is left of it after the other tests).
    time.sleep(max(0.0, signed_in_at + 31 - time.monotonic()))
    page.goto("/security")
    page.get_by_role("button", name="Log out everywhere").click()
    dialog = page.get_by_role("dialog", name="Confirm it's you")
    expect(dialog).to_be_visible()
    dialog.get_by_label("Password", exact=True).fill(PASSWORD)
    dialog.get_by_role("button", name="Confirm").click()
    # The action went on once the session proved itself: every session ended, this one too.
    expect(page).to_have_url(re.compile(r"/login"))
