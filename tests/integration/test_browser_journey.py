"""The issue-2 journey clicked through in Chromium (Python Playwright, Debian's browser)."""

import re
from urllib.parse import quote

import pytest
import requests
from playwright.sync_api import expect

from tests.integration.conftest import PASSWORD, extract_link


def test_register_confirm_login_dashboard_reload_logout(page, stack, mailbox, new_address):
    # A protected URL while logged out goes to the login page, remembering where we wanted to go.
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))

    page.goto("/register")
    page.get_by_label("Email", exact=True).fill(new_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    # Follow the link from the real email, as delivered over SMTP to the mail catcher.
    (message,) = mailbox.wait_for(new_address)
    page.goto(extract_link(message, "confirm-email"))
    expect(page.get_by_role("heading", name="Email confirmed")).to_be_visible()

    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email or username").fill(new_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text(new_address)).to_be_visible()

    # Still logged in after a reload.
    page.reload()
    expect(page.get_by_role("heading", name="Dashboard")).to_be_visible()
    expect(page.get_by_text(new_address)).to_be_visible()

    # The token is an HttpOnly cookie: invisible to JavaScript, absent from web storage.
    cookies = {c["name"]: c for c in page.context.cookies()}
    token_cookie = cookies["auth_token"]
    assert token_cookie["httpOnly"] and token_cookie["sameSite"] == "Lax"
    assert "auth_token" not in page.evaluate("document.cookie")
    assert token_cookie["value"] not in page.content()
    storage = page.evaluate("JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])")
    assert storage == "[[],[]]"

    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/login"))
    page.goto("/dashboard")
    expect(page).to_have_url(re.compile(r"/login\?next=%2Fdashboard$"))

    # The old token works nowhere: neither as a cookie nor as a header.
    as_header = requests.get(
        f"{stack.gateway_url}/api/auth/me/", headers={"Authorization": f"Token {token_cookie['value']}"}, timeout=10
    )
    as_cookie = requests.get(
        f"{stack.gateway_url}/api/auth/me/", cookies={"auth_token": token_cookie["value"]}, timeout=10
    )
    assert as_header.status_code == as_cookie.status_code == 401


def test_login_sends_the_user_back_where_they_wanted_to_go(page, stack, gateway, mailbox, new_address):
    gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD})
    (message,) = mailbox.wait_for(new_address)
    key = extract_link(message, "confirm-email").rsplit("/", 1)[1]
    assert gateway.post("/api/auth/email/confirm/", json={"key": key}).status_code == 200

    page.goto("/dashboard?tab=details")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("Email or username").fill(new_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.keyboard.press("Enter")  # keyboard alone submits the form
    expect(page).to_have_url(re.compile(r"/dashboard\?tab=details$"))


@pytest.mark.parametrize(
    "next_param", ["//evil.example", "/\\evil.example", "javascript:alert(1)", "https://evil.example/"]
)
def test_next_parameter_cannot_leave_the_app(page, stack, gateway, mailbox, new_address, next_param):
    gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD})
    (message,) = mailbox.wait_for(new_address)
    key = extract_link(message, "confirm-email").rsplit("/", 1)[1]
    gateway.post("/api/auth/email/confirm/", json={"key": key})

    page.goto("/login?next=" + quote(next_param, safe=""))
    page.get_by_label("Email or username").fill(new_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{stack.app_url}/dashboard")


def test_unconfirmed_login_shows_a_clear_message(page, gateway, new_address):
    gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD})
    page.goto("/login")
    page.get_by_label("Email or username").fill(new_address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_contain_text("confirm your email")
    expect(page.get_by_label("Email or username")).to_have_value(new_address)
