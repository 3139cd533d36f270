"""Every email kind has an HTML part made from its text: the same links and codes, valid HTML,
nothing remote, a one-line subject."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from outbox.models import OutboxEmail

from accounts import mail

pytestmark = pytest.mark.django_db

URL = re.compile(r"https?://[^\s<>\"']+")
CODE = re.compile(r"(?m)^\s*(\d{6}|[A-Z0-9]{4}-[A-Z0-9]{4})\s*$")


def every_kind(user):
    ttl = timedelta(minutes=30)
    mail.send_confirmation_email(user, "confirm-key-123")
    mail.send_account_exists_email(user)
    mail.send_password_reset_email(user, "MQ", "reset-token-456", "123456", ttl)
    mail.send_login_code_email(user, "ABCD-2345", ttl)
    mail.send_password_changed_email(user)
    mail.send_email_change_confirmation(user, "ada.new@example.com", "change-key-789")
    mail.send_email_change_requested_email(user, "ada.new@example.com")
    mail.send_email_changed_email("ada@example.com", "ada.new@example.com")
    mail.send_account_deleted_email("ada@example.com")
    mail.send_factor_added_email(user, "a passkey", passwordless=True)
    mail.send_factor_removed_email(user, "a security key")
    mail.send_recovery_codes_regenerated_email(user)
    mail.send_recovery_code_used_email(user, 3)
    mail.send_mfa_reset_email(user)
    when = datetime(2027, 3, 1, 9, tzinfo=UTC)
    mail.send_new_device_email(user, "alert-key-abc", when, "Firefox 133 on Windows", "203.0.113.0/24", ttl)
    mail.send_sign_in_disowned_email("ada@example.com", ["a passkey"], restored=False, reset_sent=True)
    return {email.kind: email.payload for email in OutboxEmail.objects.all()}


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.srcs, self.text, self.stack = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag not in ("br", "meta"):
            self.stack.append(tag)
        if "href" in attributes:
            self.hrefs.append(attributes["href"])
        if "src" in attributes:
            self.srcs.append(attributes["src"])

    def handle_endtag(self, tag):
        assert self.stack and self.stack.pop() == tag, f"</{tag}> closes nothing open"

    def handle_data(self, data):
        self.text.append(data)


def test_every_kind_has_an_html_part_with_the_same_links_and_codes(make_user, settings):
    payloads = every_kind(make_user())
    assert len(payloads) == 16
    for kind, payload in payloads.items():
        assert "\n" not in payload["subject"] and payload["subject"], kind
        parsed = Collector()
        parsed.feed(payload["html"])
        parsed.close()
        assert parsed.stack == [], (kind, parsed.stack)  # every element closed: well formed
        assert parsed.srcs == [], kind  # no image, script or frame: nothing remote, nothing that tracks
        text_links = set(URL.findall(payload["text"]))
        assert set(parsed.hrefs) == text_links, kind
        assert all(link.startswith(settings.FRONTEND_URL + "/") for link in text_links), kind
        html_text = " ".join(parsed.text)
        for code in CODE.findall(payload["text"]):
            assert code in html_text, (kind, code)
        assert payload["subject"] in html_text
        assert len(payload["html"]) < 20_000, kind  # small


def test_a_link_alone_on_its_line_is_a_button_with_the_link_written_out(make_user):
    payload = every_kind(make_user())["password_reset"]
    link = "http://127.0.0.1:8080/reset-password/MQ/reset-token-456"
    assert payload["html"].count(f'href="{link}"') == 2  # the button, and the link written out
    assert ">Open the link</a>" in payload["html"] and f">{link}</a>" in payload["html"]
    assert 'name="color-scheme" content="light dark"' in payload["html"]


def test_text_is_escaped_in_the_html(make_user):
    user = make_user()
    mail.send_email_change_requested_email(user, "<b>x</b>@example.com")
    payload = OutboxEmail.objects.get().payload
    assert payload is not None  # not handed over yet
    assert "<b>x</b>" not in payload["html"] and "&lt;b&gt;x&lt;/b&gt;" in payload["html"]


def test_an_operators_directory_replaces_one_template_and_the_layout_the_rest_fall_back(make_user, settings, tmp_path):
    (tmp_path / "password_reset.txt").write_text(
        "{% autoescape off %}Reset your Example Corp password\nHi from Example Corp,\n\n{{ link }}\n\n"
        "Code: {{ code }}\n{% endautoescape %}\n"
    )
    (tmp_path / "base.html").write_text(
        '<!DOCTYPE html><html lang="en"><body style="background:#fef3c7"><h1>{{ subject }}</h1>'
        '{% for block in blocks %}<p>{% if block.url %}<a href="{{ block.url|safe }}">{{ block.url|safe }}</a>'
        "{% elif block.html %}{{ block.html|safe }}{% else %}{{ block.text|safe }}{% endif %}</p>{% endfor %}"
        "</body></html>"
    )
    engines = [dict(engine) for engine in settings.TEMPLATES]
    emails = next(engine for engine in engines if engine.get("NAME") == "emails")
    emails["DIRS"] = [tmp_path, *emails["DIRS"]]
    settings.TEMPLATES = engines
    payloads = every_kind(make_user())
    reset = payloads["password_reset"]
    assert reset["subject"] == "Reset your Example Corp password"
    assert reset["text"].startswith("Hi from Example Corp,") and "Code: 123456" in reset["text"]
    assert "background:#fef3c7" in reset["html"] and "/reset-password/MQ/reset-token-456" in reset["html"]
    # The others: our wording, in the operator's layout.
    assert payloads["confirm_email"]["subject"] == "Confirm your email address"
    assert "background:#fef3c7" in payloads["confirm_email"]["html"]
