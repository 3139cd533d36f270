"""Issue 17 in Chromium: the security activity page shows the sign-ins just made, a second browser
context is a new device and gets the account an alert email, its "This wasn't me" page secures
the account, and "Download my data" downloads the JSON export."""

import json
import re

from playwright.sync_api import Page, expect

from tests.integration.conftest import ISSUED_SECRETS, PASSWORD, emails_matching, register_confirmed

ALERT_LINK = r"(http://localhost:\d+/sign-in-alert/([A-Za-z0-9_-]{43})/(?:yes|no))\b"


def log_in(page: Page, address: str) -> None:
    page.goto("/login")
    page.get_by_label("Email or username").fill(address)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_activity_page_new_device_alert_and_data_download(open_page, gateway, mailbox, new_address):
    register_confirmed(gateway, mailbox, new_address)
    first = open_page()
    log_in(first, new_address)
    # Another browser context: its own cookie jar, so a device this account has not used.
    second = open_page()
    log_in(second, new_address)
    (alert,) = emails_matching(mailbox, new_address, ALERT_LINK)
    links = dict((link.rsplit("/", 1)[1], link) for link, _ in re.findall(ALERT_LINK, alert["text"]))
    ISSUED_SECRETS.update(key for _, key in re.findall(ALERT_LINK, alert["text"]))
    assert set(links) == {"yes", "no"}

    first.goto("/security-activity")
    expect(first.get_by_role("heading", name="Security activity")).to_be_visible()
    items = first.get_by_role("listitem").filter(has_text=re.compile("Signed in", re.I))
    expect(items).to_have_count(2)
    expect(first.get_by_text("This session")).to_be_visible()
    expect(first.get_by_text("New device")).to_be_visible()
    expect(items.first).to_contain_text("Chrome")

    first.goto("/profile")
    with first.expect_download() as download:
        first.get_by_role("button", name="Download my data").click()
    assert download.value.suggested_filename == "account-data.json"
    data = json.loads(open(download.value.path()).read())
    assert data["profile"]["email"] == new_address
    assert [e["kind"] for e in data["security_log"]][:2] == ["signed_in", "signed_in"]

    # "This wasn't me", from the email's link: nothing happens until the button is pressed.
    landing = open_page()
    landing.goto(links["no"])
    button = landing.get_by_role("button", name=re.compile("This wasn't me", re.I))
    expect(button).to_be_visible()
    first.reload()
    expect(first.get_by_role("heading", name="Profile")).to_be_visible()  # still signed in
    button.click()
    expect(landing.get_by_role("heading", name="Your account is secured")).to_be_visible()
    emails_matching(mailbox, new_address, r"/reset-password/")
    # Both browsers are signed out.
    for page in (first, second):
        page.goto("/dashboard")
        expect(page).to_have_url(re.compile(r"/login"))
