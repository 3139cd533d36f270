"""Languages through the gateway, the real mailer and the mail catcher: a German sign-up gets its
emails in German, as multipart/alternative with Content-Language; the HTML email opened in a
browser renders and its button leads to the right page; the web app in German shows German
errors for the same codes."""

import os
import re
from pathlib import Path

from playwright.sync_api import expect

from tests.integration.conftest import PASSWORD, extract_link

GERMAN = {"Accept-Language": "de-DE,de;q=0.9"}
NEW = "ein ganz neues Passwort bitte"
# Screenshots a person may look at after a run (not committed: .run/ is ignored).
ARTIFACTS = Path(os.environ.get("TEST_ARTIFACTS_DIR", Path(__file__).resolve().parents[2] / ".run" / "artifacts"))


def one(messages, subject):
    found = [message for message in messages if message["subject"] == subject]
    assert len(found) == 1, [message["subject"] for message in messages]
    return found[0]


def header(message, name):
    return (message.get("headers") or {}).get(name.lower())


def test_a_german_sign_up_gets_german_confirmation_and_reset_emails_through_the_mailer(gateway, mailbox, new_address):
    answer = gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD}, headers=GERMAN)
    assert answer.status_code == 201 and answer.json()["detail"].startswith("Sehen Sie in Ihrem Posteingang nach")
    confirmation = one(mailbox.wait_for(new_address), "Bestätigen Sie Ihre E-Mail-Adresse")
    assert confirmation["text"].startswith("Guten Tag,") and "Der Link funktioniert einmal" in confirmation["text"]
    assert header(confirmation, "Content-Language") == "de"
    assert header(confirmation, "Auto-Submitted") == "auto-generated"
    assert "multipart/alternative" in header(confirmation, "Content-Type")
    assert '<html lang="de">' in confirmation["html"] and ">Link öffnen</a>" in confirmation["html"]
    link = extract_link(confirmation, "confirm-email")
    assert f'href="{link}"' in confirmation["html"]  # the same link in both parts
    confirmed = gateway.post("/api/auth/email/confirm/", json={"key": link.rsplit("/", 1)[1]}, headers=GERMAN)
    assert confirmed.status_code == 200 and confirmed.json()["detail"] == "Ihre E-Mail-Adresse ist bestätigt."

    me = gateway.post("/api/auth/login/", json={"email": new_address, "password": PASSWORD}).json()
    profile = gateway.get("/api/auth/me/", headers={"Authorization": f"Token {me['token']}"}).json()
    assert profile["language"] == "de"

    # A reset asked for in English still comes in the account's language.
    assert gateway.post("/api/auth/password/reset/", json={"email": new_address}).status_code == 202
    reset = one(mailbox.wait_for(new_address, count=2), "Setzen Sie Ihr Passwort zurück")
    assert "Oder geben Sie diesen Code unter" in reset["text"]
    found = re.search(r"^(\d{6})\s*$", reset["text"], re.M)
    assert found, reset["text"]
    code = found.group(1)
    assert code in reset["html"]
    wrong = gateway.post(
        "/api/auth/password/reset/confirm/",
        json={"email": new_address, "code": "000000" if code != "000000" else "111111", "new_password": NEW},
        headers=GERMAN,
    )
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_reset"
    assert wrong.json()["detail"] == "Dieser Link oder Code zum Zurücksetzen ist ungültig oder abgelaufen."
    done = gateway.post(
        "/api/auth/password/reset/confirm/", json={"email": new_address, "code": code, "new_password": NEW}
    )
    assert done.status_code == 200
    notice = one(mailbox.wait_for(new_address, count=3), "Ihr Passwort wurde geändert")
    assert "/forgot-password" in notice["text"] and header(notice, "Content-Language") == "de"


def test_an_english_email_says_so_too(gateway, mailbox, new_address):
    gateway.post(
        "/api/auth/register/", json={"email": new_address, "password": PASSWORD, "language": "en"}, headers=GERMAN
    )
    confirmation = one(mailbox.wait_for(new_address), "Confirm your email address")
    assert header(confirmation, "Content-Language") == "en" and '<html lang="en">' in confirmation["html"]


def test_the_html_email_renders_in_a_browser_and_its_button_opens_the_right_page(
    gateway, mailbox, new_address, open_page, stack
):
    gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD}, headers=GERMAN)
    (confirmation,) = mailbox.wait_for(new_address)
    link = extract_link(confirmation, "confirm-email")
    page = open_page()
    page.goto(f"{stack.mail_ui_url}/email/{confirmation['id']}/html")
    page.get_by_role("heading", name="Bestätigen Sie Ihre E-Mail-Adresse").wait_for()
    button = page.get_by_role("link", name="Link öffnen")
    assert button.get_attribute("href") == link
    box = button.bounding_box()
    assert box and box["width"] > 60 and box["height"] > 30  # drawn as a button, not a bare link
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "email-confirm-de.png"), full_page=True)
    button.click()
    page.wait_for_url(re.compile(re.escape(link.split("/confirm-email/")[1]) + "$"))
    assert "/confirm-email/" in page.url
    page.get_by_text(re.compile("confirmed|bestätigt", re.I)).first.wait_for()


def test_the_html_email_fits_a_phone_whatever_the_address(gateway, mailbox, open_page, stack):
    """Attack finding: a legal 247-character address made the confirmation email 2,407 px wide,
    and the new-device alert's links 427 px, on a 360 px screen."""
    address = f"{'a' * 64}@{'b' * 60}.{'c' * 60}.{'d' * 50}.example.com"
    assert len(address) <= 254
    gateway.post("/api/auth/register/", json={"email": address, "password": PASSWORD}, headers=GERMAN)
    (confirmation,) = mailbox.wait_for(address)
    page = open_page()
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(f"{stack.mail_ui_url}/email/{confirmation['id']}/html")
    page.get_by_role("link", name="Link öffnen").wait_for()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_the_web_app_in_german_signs_up_in_german_and_shows_german_errors_for_the_same_codes(
    page, mailbox, new_address
):
    page.goto("/register")
    page.get_by_label("Language").select_option("de")
    expect(page.get_by_role("heading", name="Konto erstellen")).to_be_visible()
    assert page.evaluate("document.documentElement.lang") == "de"
    page.get_by_label("E-Mail-Adresse", exact=True).fill(new_address)
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Registrieren").click()
    expect(page.get_by_role("heading", name="Prüfen Sie Ihr Postfach")).to_be_visible()
    # The account took the page's language: its email is German.
    confirmation = one(mailbox.wait_for(new_address), "Bestätigen Sie Ihre E-Mail-Adresse")
    page.goto("/" + extract_link(confirmation, "confirm-email").split("/", 3)[3])
    expect(page.get_by_role("heading", name="E-Mail-Adresse bestätigt")).to_be_visible()

    page.reload()  # the choice is kept
    page.goto("/login")
    expect(page.get_by_role("heading", name="Anmelden")).to_be_visible()
    page.get_by_label("E-Mail-Adresse oder Benutzername").fill(new_address)
    page.get_by_label("Passwort", exact=True).fill("not the password at all")
    with page.expect_response(lambda response: response.url.endswith("/api/auth/login/")) as answer:
        page.get_by_role("button", name="Anmelden", exact=True).click()
    refused = answer.value
    assert refused.status == 400 and refused.json()["code"] == "invalid_credentials"
    assert refused.request.headers.get("accept-language") == "de"
    expect(page.get_by_text("Mit diesen Anmeldedaten ist keine Anmeldung möglich.")).to_be_visible()
    page.get_by_label("Passwort", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Anmelden", exact=True).click()
    expect(page.get_by_role("heading", name="Übersicht")).to_be_visible()
