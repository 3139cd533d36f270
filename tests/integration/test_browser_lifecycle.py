"""The issue-3 account lifecycle clicked through in Chromium (Python Playwright, Debian's browser):
password reset by link and by code, password and email change, sessions, account deletion and
an admin deactivating a user. Emails are read from the mail catcher, as a user would."""

import re
import shutil
import subprocess
import uuid

import pytest
from playwright.sync_api import expect

from tests.integration.conftest import PASSWORD, emails_matching, extract_link, promote_admin, register_confirmed

NEW_PASSWORD = "a different integration passphrase"

RESET_LINK = re.compile(r"(http://(?:localhost|127\.0\.0\.1):\d+/reset-password/([\w-]+)/([\w-]+))")
CODE_LINE = re.compile(r"^\s*(\d{6})\s*$", re.MULTILINE)
SIX_DIGITS = re.compile(r"\b(\d{6})\b")


@pytest.fixture(autouse=True)
def fresh_throttle_counters(stack):
    """This module logs in and registers a lot from 127.0.0.1: each test starts and ends with the
    throttle counters at zero, so it neither trips them nor leaves other suites near their limits."""
    reset_throttle_counters(stack)
    yield
    reset_throttle_counters(stack)


def reset_throttle_counters(stack):
    redis_cli = shutil.which("redis-cli")
    if redis_cli is None:
        return
    base = [
        redis_cli,
        "-h",
        "127.0.0.1",
        "-p",
        str(stack.ports["REDIS_PORT"]),
        "--no-auth-warning",
        "-a",
        stack.env["REDIS_PASSWORD"],
    ]
    keys = subprocess.run(
        [*base, "--scan", "--pattern", "*throttle_*"], capture_output=True, text=True, timeout=10
    ).stdout.split()
    if keys:
        subprocess.run([*base, "DEL", *keys], capture_output=True, timeout=10, check=True)


def another_address():
    return f"user-{uuid.uuid4().hex[:10]}@example.com"


def log_in(page, identifier, password=PASSWORD):
    page.goto("/login")
    page.get_by_label("Email or username").fill(identifier)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()


def login_is_refused(page, identifier, password):
    page.goto("/login")
    page.get_by_label("Email or username").fill(identifier)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login"))


def expect_logged_out(page):
    """The next navigation to a protected page ends on the login page."""
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))
    expect(page.get_by_role("heading", name="Log in")).to_be_visible()


def request_reset(page, address):
    page.goto("/login")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page).to_have_url(re.compile(r"/forgot-password$"))
    page.get_by_label("Email", exact=True).fill(address)
    page.get_by_role("button", name="Send reset instructions").click()
    expect(page.get_by_role("status")).to_contain_text("reset")
    expect(page.get_by_role("link", name="Enter a code")).to_be_visible()


def reset_code(message):
    text = RESET_LINK.sub(" ", message["text"])  # no digits from the link or its port
    text = re.sub(r"http://\S+", " ", text)
    match = CODE_LINE.search(text) or SIX_DIGITS.search(text)
    assert match, message["text"]
    return match.group(1)


def test_reset_password_by_link(page, mailbox, gateway, new_address):
    register_confirmed(gateway, mailbox, new_address)
    request_reset(page, new_address)

    (message,) = emails_matching(mailbox, new_address, r"/reset-password/[\w-]+/[\w-]+")
    match = RESET_LINK.search(message["text"])
    assert match, message["text"]
    link, _uid, token = match.groups()

    # The token goes to the API in request bodies only: no Referer, no other URL carries it.
    leaks = []
    page.on(
        "request",
        lambda request: leaks.append(request.url)
        if (token in (request.headers.get("referer") or "") or (token in request.url and request.url != link))
        else None,
    )
    page.goto(link)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", name="Password reset")).to_be_visible()
    assert token not in page.title()
    page.get_by_role("link", name="Log in").click()
    assert leaks == [], leaks

    log_in(page, new_address, NEW_PASSWORD)
    # The link works once.
    page.goto(link)
    expect(page.get_by_role("heading", name="This reset link is invalid or has expired")).to_be_visible()
    expect(page.get_by_role("link", name="Ask for a new one")).to_have_attribute("href", "/forgot-password")


def test_reset_password_by_code(page, mailbox, gateway, new_address):
    register_confirmed(gateway, mailbox, new_address)
    request_reset(page, new_address)
    (message,) = emails_matching(mailbox, new_address, r"/reset-password/")
    code = reset_code(message)

    page.get_by_role("link", name="Enter a code").click()
    expect(page).to_have_url(re.compile(r"/reset-password/code$"))
    expect(page.get_by_label("Email", exact=True)).to_have_value(new_address)
    page.get_by_label("Code").fill(code)
    page.get_by_label("New password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set new password").click()
    expect(page.get_by_role("heading", name="Password reset")).to_be_visible()

    page.get_by_role("link", name="Log in").click()
    login_is_refused(page, new_address, PASSWORD)
    log_in(page, new_address, NEW_PASSWORD)


def test_change_password_logs_out_the_other_sessions(open_page, mailbox, gateway, new_address):
    register_confirmed(gateway, mailbox, new_address)
    here, elsewhere = open_page(), open_page()
    log_in(here, new_address)
    log_in(elsewhere, new_address)

    here.goto("/security")
    form = here.get_by_role("form", name="Change password")
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_label("New password").fill(NEW_PASSWORD)
    form.get_by_role("button", name="Change password").click()
    expect(form.get_by_role("status")).to_contain_text("changed")

    expect_logged_out(elsewhere)
    # This session stays.
    here.goto("/dashboard")
    expect(here.get_by_role("heading", name="Dashboard")).to_be_visible()
    login_is_refused(elsewhere, new_address, PASSWORD)
    log_in(elsewhere, new_address, NEW_PASSWORD)


def test_revoke_another_session(open_page, mailbox, gateway, new_address):
    register_confirmed(gateway, mailbox, new_address)
    here, elsewhere = open_page(), open_page()
    log_in(elsewhere, new_address)
    log_in(here, new_address)

    here.goto("/security")
    sessions = here.get_by_role("region", name="Sessions")
    expect(sessions.get_by_role("row")).to_have_count(3)  # header + two sessions
    expect(sessions.get_by_text("This device")).to_have_count(1)
    revoke = sessions.get_by_role("button", name=re.compile(r"^Revoke session "))
    expect(revoke).to_have_count(1)
    expect(revoke).to_have_text("Revoke")
    revoke.click()
    expect(sessions.get_by_role("row")).to_have_count(2)
    expect(revoke).to_have_count(0)

    expect_logged_out(elsewhere)
    here.goto("/dashboard")
    expect(here.get_by_role("heading", name="Dashboard")).to_be_visible()


def test_log_out_everywhere(open_page, mailbox, gateway, new_address):
    register_confirmed(gateway, mailbox, new_address)
    here, elsewhere = open_page(), open_page()
    log_in(elsewhere, new_address)
    log_in(here, new_address)
    here.goto("/security")
    here.get_by_role("button", name="Log out everywhere").click()
    expect(here).to_have_url(re.compile(r"/login$"))
    expect_logged_out(here)
    expect_logged_out(elsewhere)


def test_change_email(open_page, mailbox, gateway, new_address):
    register_confirmed(gateway, mailbox, new_address)
    page = open_page()
    log_in(page, new_address)
    changed_to = another_address()

    page.goto("/security")
    form = page.get_by_role("form", name="Change email")
    form.get_by_label("New email").fill(changed_to)
    form.get_by_label("Password", exact=True).fill(PASSWORD)
    form.get_by_role("button", name="Change email").click()
    expect(form.get_by_role("status")).to_contain_text("confirmation link")

    (message,) = emails_matching(mailbox, changed_to, r"/confirm-email/")
    page.goto(extract_link(message, "confirm-email"))
    expect(page.get_by_role("heading", name="Email confirmed")).to_be_visible()

    other = open_page()
    login_is_refused(other, new_address, PASSWORD)
    log_in(other, changed_to)
    expect(other.get_by_text(changed_to)).to_be_visible()


def test_delete_account(page, mailbox, gateway, new_address):
    register_confirmed(gateway, mailbox, new_address)
    log_in(page, new_address)
    page.get_by_role("navigation", name="Account").get_by_role("link", name="Security", exact=True).click()
    page.get_by_role("link", name=re.compile(r"^Delete your account")).click()
    expect(page).to_have_url(re.compile(r"/delete-account$"))
    expect(page.get_by_role("heading", name="Delete account")).to_be_visible()

    page.get_by_label("Password", exact=True).fill("not the password at all")
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_label("Password", exact=True)).to_have_attribute("aria-invalid", "true")

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page).to_have_url(re.compile(r"/login$"))
    expect(page.get_by_role("status").filter(has_text="Your account has been deleted.")).to_be_visible()

    expect_logged_out(page)
    login_is_refused(page, new_address, PASSWORD)


def test_resend_confirmation_email(page, mailbox, new_address):
    page.goto("/register")
    page.get_by_label("Email", exact=True).fill(new_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    emails_matching(mailbox, new_address, r"/confirm-email/")
    page.get_by_role("button", name="Resend email").click()
    expect(page.get_by_role("status")).to_contain_text("new link")
    emails_matching(mailbox, new_address, r"/confirm-email/", count=2)


def test_admin_deactivates_a_user(open_page, stack, mailbox, gateway, new_address):
    target = another_address()
    register_confirmed(gateway, mailbox, new_address)
    register_confirmed(gateway, mailbox, target)
    promote_admin(stack, new_address)

    victim = open_page()
    log_in(victim, target)
    # A member has no Users link and no access.
    expect(victim.get_by_role("navigation", name="Account").get_by_role("link", name="Users")).to_have_count(0)
    victim.goto("/manage/users")
    expect(victim.get_by_text("You do not have access to this page.")).to_be_visible()

    admin = open_page()
    log_in(admin, new_address)
    admin.get_by_role("navigation", name="Account").get_by_role("link", name="Users").click()
    expect(admin).to_have_url(re.compile(r"/manage/users$"))
    expect(admin.get_by_role("heading", name="Users")).to_be_visible()
    admin.get_by_label("Search users").fill(target)
    admin.get_by_role("button", name="Search", exact=True).click()
    row = admin.get_by_role("row").filter(has=admin.get_by_role("cell", name=target, exact=True))
    expect(row).to_have_count(1)
    row.get_by_role("button", name=f"Deactivate {target}").click()
    expect(row.get_by_role("button", name=f"Activate {target}")).to_be_visible()
    expect(row.get_by_role("cell").nth(2)).to_have_text("No")

    expect_logged_out(victim)
    login_is_refused(victim, target, PASSWORD)
