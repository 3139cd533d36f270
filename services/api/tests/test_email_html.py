"""Every email kind has an HTML part made from its text: the same links and codes, valid HTML,
nothing remote, a one-line subject."""

import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from outbox.models import OutboxEmail

from accounts import mail

pytestmark = pytest.mark.django_db

# What a reader's mail client would take for a link: up to the sentence's punctuation.
URL = re.compile(r"https?://[^\s<>\"']*[^\s<>\"'.,:;!?)]")
CODE = re.compile(r"(?m)^\s*(\d{6}|[A-Z0-9]{4}-[A-Z0-9]{4})\s*$")
# Every page of the web app that an email may link to (services/web/src/app/router.tsx).
PAGES = re.compile(
    r"/(login|login/code|forgot-password|security|security-activity|reset-password/code"
    r"|confirm-email/[\w-]+|reset-password/[\w-]+/[\w-]+|sign-in-alert/[\w-]+/(yes|no))"
)
LANGUAGES = ["en", "de"]


def every_kind(user):
    ttl = timedelta(minutes=30)
    mail.send_confirmation_email(user, "confirm-key-123")
    mail.send_account_exists_email(user)
    mail.send_password_reset_email(user, "MQ", "reset-token-456", "123456", ttl)
    mail.send_login_code_email(user, "ABCD-2345", ttl)
    mail.send_password_changed_email(user)
    mail.send_email_change_confirmation(user, "ada.new@example.com", "change-key-789")
    mail.send_email_change_requested_email(user, "ada.new@example.com")
    mail.send_email_changed_email("ada@example.com", "ada.new@example.com", user.language)
    mail.send_account_deleted_email("ada@example.com", user.language)
    mail.send_factor_added_email(user, "passkey", passwordless=True)
    mail.send_factor_removed_email(user, "security_key")
    mail.send_recovery_codes_regenerated_email(user)
    mail.send_recovery_code_used_email(user, 3)
    mail.send_mfa_reset_email(user)
    when = datetime(2027, 3, 1, 9, tzinfo=UTC)
    firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
    mail.send_new_device_email(user, "alert-key-abc", when, firefox, "203.0.113.0/24", ttl)
    mail.send_sign_in_disowned_email("ada@example.com", user.language, ["passkey"], restored=False, reset_sent=True)
    return {email.kind: email.payload for email in OutboxEmail.objects.filter(to__startswith="ada")}


def use_directory(settings, directory):
    """An operator's EMAIL_TEMPLATES_DIR, as settings.TEMPLATES puts it first."""
    engines = [dict(engine) for engine in settings.TEMPLATES]
    emails = next(engine for engine in engines if engine.get("NAME") == "emails")
    emails["DIRS"] = [directory, *emails["DIRS"]]
    settings.TEMPLATES = engines


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


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_kind_has_an_html_part_with_the_same_links_and_codes(make_user, settings, language):
    payloads = every_kind(make_user(email="ada@example.com", language=language))
    assert len(payloads) == 16
    for kind, payload in payloads.items():
        assert payload["language"] == language
        assert "\n" not in payload["subject"] and payload["subject"], kind
        assert f'<html lang="{language}">' in payload["html"], kind
        parsed = Collector()
        parsed.feed(payload["html"])
        parsed.close()
        assert parsed.stack == [], (kind, parsed.stack)  # every element closed: well formed
        assert parsed.srcs == [], kind  # no image, script or frame: nothing remote, nothing that tracks
        text_links = set(URL.findall(payload["text"]))
        assert set(parsed.hrefs) == text_links, kind
        for link in text_links:
            assert link.startswith(settings.FRONTEND_URL + "/"), (kind, link)
            assert PAGES.fullmatch(link.removeprefix(settings.FRONTEND_URL)), (kind, link)  # a page that exists
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


def test_an_operators_directory_replaces_one_template_one_subject_and_the_layout_the_rest_fall_back(
    make_user, settings, tmp_path
):
    (tmp_path / "password_reset.txt").write_text(
        "{% autoescape off %}Hi from Example Corp,\n\n{{ link }}\n\nCode: {{ code }}\n{% endautoescape %}\n"
    )
    (tmp_path / "confirm_email_subject.txt").write_text("Welcome to Example Corp: confirm your address\n")
    (tmp_path / "base.html").write_text(
        '<!DOCTYPE html><html lang="{{ language }}"><body style="background:#fef3c7"><h1>{{ subject }}</h1>'
        '{% for block in blocks %}<p>{% if block.url %}<a href="{{ block.url|safe }}">{{ block.url|safe }}</a>'
        "{% elif block.html %}{{ block.html|safe }}{% else %}{{ block.text|safe }}{% endif %}</p>{% endfor %}"
        "</body></html>"
    )
    use_directory(settings, tmp_path)
    payloads = every_kind(make_user())
    reset = payloads["password_reset"]
    assert reset["subject"] == "Reset your password"  # its subject was not replaced: ours
    assert reset["text"].startswith("Hi from Example Corp,") and "Code: 123456" in reset["text"]
    assert "background:#fef3c7" in reset["html"] and "/reset-password/MQ/reset-token-456" in reset["html"]
    confirm = payloads["confirm_email"]
    assert confirm["subject"] == "Welcome to Example Corp: confirm your address"
    assert "/confirm-email/confirm-key-123" in confirm["text"] and "Someone (hopefully you)" in confirm["text"]
    # The others: our wording, in the operator's layout.
    assert payloads["login_code"]["subject"] == "Your sign-in code"
    assert "background:#fef3c7" in payloads["login_code"]["html"]


def test_an_override_for_one_language_leaves_the_others_alone(make_user, settings, tmp_path):
    (tmp_path / "de").mkdir()
    (tmp_path / "de" / "login_code_subject.txt").write_text("Ihr Code für Example Corp\n")
    use_directory(settings, tmp_path)
    mail.send_login_code_email(make_user(email="ada@example.com", language="de"), "ABCD-2345", timedelta(minutes=5))
    mail.send_login_code_email(make_user(email="bob@example.com", language="en"), "ABCD-2345", timedelta(minutes=5))
    subjects = dict(OutboxEmail.objects.values_list("to", "payload__subject"))
    assert subjects == {"ada@example.com": "Ihr Code für Example Corp", "bob@example.com": "Your sign-in code"}


def test_german_emails_are_written_in_german_through_and_through(make_user):
    english = every_kind(make_user(email="ada@example.com", language="en"))
    OutboxEmail.objects.all().delete()
    german = every_kind(make_user(email="ada.de@example.com", language="de"))
    assert german["confirm_email"]["subject"] == "Bestätigen Sie Ihre E-Mail-Adresse"
    assert german["password_reset"]["text"].startswith("Guten Tag,")
    assert ">Link öffnen</a>" in german["password_reset"]["html"]
    assert "ein Passkey" in german["sign_in_disowned"]["text"]  # the factor's name too
    for kind, payload in german.items():
        assert payload["subject"] != english[kind]["subject"], kind
        english_sentences = {
            line for line in english[kind]["text"].splitlines() if len(line) > 12 and not URL.search(line)
        }
        leaked = [line for line in payload["text"].splitlines() if line in english_sentences]
        assert leaked == [], (kind, leaked)  # every sentence translated


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_email_says_why_it_was_sent_and_what_to_do_if_it_was_not_you(make_user, settings, tmp_path, language):
    # Our base.txt, its three parts marked: each kind must fill them in.
    ours = (Path(mail.__file__).parent / "templates" / "accounts" / "email" / "base.txt").read_text()
    marked = ours
    for block in ("message", "if_not_you", "why"):
        marked = marked.replace(f"{{% block {block} %}}", f"[[{block}]]{{% block {block} %}}", 1)
        marked = re.sub(rf"({{% block {block} %}}.*?{{% endblock %}})", rf"\1[[/{block}]]", marked, count=1, flags=re.S)
    assert marked.count("[[") == 6, "base.txt has lost one of its blocks"
    (tmp_path / "base.txt").write_text(marked)
    use_directory(settings, tmp_path)
    user = make_user(email="ada@example.com", language=language)
    for kind, payload in every_kind(user).items():
        for block in ("message", "if_not_you", "why"):
            part = re.search(rf"\[\[{block}\]\](.*?)\[\[/{block}\]\]", payload["text"], re.S)
            assert part and len(part.group(1).strip()) > 20, (kind, block)
        why = re.search(r"\[\[why\]\](.*?)\[\[/why\]\]", payload["text"], re.S)
        assert why and settings.SITE_NAME in why.group(1) and payload["to"] in why.group(1), kind


# Notices about something that happened to the account: none may carry a link that signs in (or
# anything secret but the new-device alert's own answer links).
SECURITY_NOTICES = {
    "password_changed",
    "email_change_requested",
    "email_changed",
    "account_deleted",
    "mfa_factor_added",
    "mfa_factor_removed",
    "mfa_reset",
    "recovery_code_used",
    "recovery_codes_regenerated",
    "new_device_sign_in",
    "sign_in_disowned",
}
NOTICE_PAGES = re.compile(r"/(forgot-password|security|security-activity|sign-in-alert/[\w-]+/(yes|no))")


@pytest.mark.parametrize("language", LANGUAGES)
def test_security_notices_never_contain_a_link_that_signs_in(make_user, settings, language):
    payloads = every_kind(make_user(email="ada@example.com", language=language))
    assert SECURITY_NOTICES <= set(payloads)
    for kind in SECURITY_NOTICES:
        for link in URL.findall(payloads[kind]["text"]):
            assert NOTICE_PAGES.fullmatch(link.removeprefix(settings.FRONTEND_URL)), (kind, link)
