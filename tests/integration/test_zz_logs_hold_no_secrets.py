"""Checklist 38: after the whole run, no log of the stack holds a password, token, reset code or
one-time link that the tests used, nor a second factor's seed, recovery code, login challenge or
emailed sign-in code. Named to run last (pytest runs files in name order), so it
reads the logs of every flow above: registration, confirmation, login, reset by link and code,
email change, the browser journeys and the fuzz run."""

import re

from tests.integration.conftest import ISSUED_SECRETS, ISSUED_TOKENS, PASSWORD
from tests.integration.test_browser_lifecycle import NEW_PASSWORD


def secrets_from_the_mailbox(mailbox):
    """Every one-time link, key and code the stack mailed during the run."""
    found = set()
    for email in mailbox.messages():
        text = email.get("text") or ""
        for link in re.findall(r"https?://\S+/(?:confirm-email|reset-password|sign-in-alert)/\S+", text):
            found.add(link)
            found.update(part for part in link.split("/")[3:] if len(part) >= 20)  # keys and tokens
        if "reset-password" in text:
            found.update(re.findall(r"\b\d{6}\b", text))  # the reset code
        found.update(re.findall(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", text, re.MULTILINE))  # sign-in codes
    return found


def test_no_log_holds_a_secret_the_run_used(stack, mailbox):
    secrets = secrets_from_the_mailbox(mailbox) | ISSUED_TOKENS | ISSUED_SECRETS | {PASSWORD, NEW_PASSWORD}
    codes = {s for s in secrets if len(s) == 6 and s.isdigit()}
    assert len(ISSUED_TOKENS) >= 5 and codes and len(ISSUED_SECRETS) >= 10, "the run left nothing to look for"
    logs = {path.name: path.read_text(errors="replace") for path in stack.logs.glob("*.log")}
    assert {"api.log", "gateway.log", "mailer.log", "relay.log"} <= logs.keys()
    leaks = [(name, secret[:12]) for name, text in logs.items() for secret in secrets - codes if secret in text]
    # A 6-digit code only counts where it stands alone, not inside a timestamp, port or id.
    leaks += [
        (name, code)
        for name, text in logs.items()
        for code in codes
        if re.search(rf"(?<![\w.:-]){code}(?![\w.:-])", text)
    ]
    assert leaks == []
