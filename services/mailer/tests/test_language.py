"""Contract v2's `language`, end to end: the actor takes v1 and v2 payloads, each by its own rules; a v2
email carries its language as Content-Language (RFC 3282), a v1 email none; a bad one is refused without
a retry. The examples are the contract's own (docs/contracts/mail-message-v2.md)."""

import email
import email.policy
from datetime import UTC, datetime, timedelta

import pytest

from mailer import deadletters, smtp
from tests import contract_docs
from tests.helpers import make_message, make_payload, make_v2_payload

VALID_EXAMPLES = contract_docs.valid_examples()
INVALID_EXAMPLES = contract_docs.invalid_examples()
VALID_LANGUAGES = [language for language, valid in contract_docs.language_examples() if valid]
INVALID_LANGUAGES = [language for language, valid in contract_docs.language_examples() if not valid]


def now(example):
    """A documented example as the API would send it now: the document's dates are fixed, and past."""
    created = datetime.now(UTC)
    expires = None if example["expires_at"] is None else (created + timedelta(hours=1)).isoformat()
    return {**example, "created_at": created.isoformat(), "expires_at": expires}


def with_language(language):
    return now({**VALID_EXAMPLES[0], "language": language})


def parse(envelope):
    return email.message_from_bytes(envelope.original_content, policy=email.policy.default)


def outcomes(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "mailer"]


def delivered_once(smtp_server, stub_broker):
    assert stub_broker.dead_letters == []
    (envelope,) = smtp_server.handler.messages
    return parse(envelope)


def refused_without_a_retry(smtp_server, stub_broker, caplog):
    assert smtp_server.handler.attempts == 0
    (dead,) = stub_broker.dead_letters
    assert dead.options.get("retries", 0) == 0
    (line,) = outcomes(caplog)
    assert "outcome=invalid" in line and "\n" not in line and "\r" not in line
    return line


@pytest.mark.parametrize("example", VALID_EXAMPLES, ids=[example["language"] for example in VALID_EXAMPLES])
def test_every_valid_v2_example_is_delivered_with_its_language(smtp_server, sent_log, stub_broker, run, example):
    payload = now(example)

    run(payload)

    message = delivered_once(smtp_server, stub_broker)
    assert message["Content-Language"] == example["language"]
    assert len(message.get_all("Content-Language")) == 1
    assert message["Message-ID"] == f"<{example['id']}@auth-platform.local>"
    assert message["Subject"] == example["subject"]
    # The email package ends a body without a final line break with one.
    assert message.get_body(("plain",)).get_content().replace("\r\n", "\n").rstrip("\n") == example["text"].rstrip("\n")
    assert (message.get_body(("html",)) is not None) == bool(example.get("html"))


@pytest.mark.parametrize("language", VALID_LANGUAGES)
def test_every_valid_language_goes_out_as_it_is(smtp_server, sent_log, stub_broker, run, language):
    run(with_language(language))
    assert delivered_once(smtp_server, stub_broker)["Content-Language"] == language


@pytest.mark.parametrize("example", INVALID_EXAMPLES, ids=["v2 without language", "v1 with language", "version 3"])
def test_every_invalid_v2_example_is_refused_without_a_retry(smtp_server, sent_log, stub_broker, run, caplog, example):
    caplog.set_level("INFO", logger="mailer")
    run(now(example))
    line = refused_without_a_retry(smtp_server, stub_broker, caplog)
    code = {1: "unexpected_field", 2: "missing_field", 3: "unknown_version"}[example["version"]]
    assert f"code={code}" in line


@pytest.mark.parametrize("language", INVALID_LANGUAGES, ids=map(repr, INVALID_LANGUAGES))
def test_every_invalid_language_is_refused_without_a_retry(smtp_server, sent_log, stub_broker, run, caplog, language):
    caplog.set_level("INFO", logger="mailer")
    run(with_language(language))
    line = refused_without_a_retry(smtp_server, stub_broker, caplog)
    assert any(f"code={code}" in line for code in ("bad_type", "bad_length", "bad_format"))


@pytest.mark.parametrize(
    "payload",
    [
        {**make_v2_payload(), "language": "de\r\nBcc: eve@example.com"},
        {**make_v2_payload(), "language": "de\nBcc: eve@example.com"},
        {**make_v2_payload(), "language": "de\rBcc: eve@example.com"},
        {**make_v2_payload(), "language": "de\n"},
        {**make_v2_payload(), "language": "de CH"},
        {**make_v2_payload(), "language": "DE"},
        {**make_v2_payload(), "language": "de-" + "a" * 32},  # 35 characters would pass: 36
        make_payload(version=2),  # v1's fields under version 2: language missing
        make_payload(language="de"),  # language in a v1 message
        make_v2_payload(version=3),
    ],
    ids=["CRLF", "LF", "CR", "final LF", "space", "upper case", "too long", "v2 missing", "in v1", "version 3"],
)
def test_the_required_refusals(smtp_server, sent_log, stub_broker, run, caplog, payload):
    # The cases the mailer must refuse whatever the document's tables come to hold.
    caplog.set_level("INFO", logger="mailer")
    run(payload)
    refused_without_a_retry(smtp_server, stub_broker, caplog)


@pytest.mark.parametrize(
    "payload",
    [now(contract_docs.documented_example(1)), make_payload(), make_payload(html="<p>Hallo</p>")],
    ids=["documented example", "plain", "with html"],
)
def test_v1_is_still_delivered_without_content_language(smtp_server, sent_log, stub_broker, run, payload):
    run(payload)
    message = delivered_once(smtp_server, stub_broker)
    assert message["Content-Language"] is None
    assert all(part["Content-Language"] is None for part in message.walk())


@pytest.mark.parametrize("html", [None, "<p>Hallo</p>"])
def test_content_language_is_the_whole_emails(smtp_server, html):
    # Set on the top-level message, plain or multipart/alternative, and on no part of it alone.
    smtp.send(make_v2_payload(language="de", html=html), smtp_server.settings)
    message = parse(smtp_server.handler.messages[0])
    assert message["Content-Language"] == "de"
    assert message.get_content_type() == ("multipart/alternative" if html else "text/plain")
    if html:
        assert all(part["Content-Language"] is None for part in message.iter_parts())


def test_a_line_break_could_not_reach_the_header_even_unvalidated(smtp_server):
    # The header is only ever set from a validated value; if it were not, the email package would still
    # refuse to write a CR or LF into it rather than start a new header.
    with pytest.raises(ValueError, match="linefeed or carriage return"):
        smtp.build_message(make_v2_payload(language="de\r\nBcc: eve@example.com"), smtp_server.settings)


def test_v1_and_v2_side_by_side_on_the_real_queue(redis_broker, redis_worker, redis_client, smtp_server):
    # What the queue holds while the API switches: v1 and v2 messages, as the API enqueues them.
    v1, v2 = make_payload(), make_v2_payload(language="de")
    bad = make_v2_payload(language="de\r\nBcc: eve@example.com")
    for payload in (v1, v2, bad):
        redis_broker.enqueue(make_message(payload))

    redis_worker()

    languages = {
        parse(envelope)["Message-ID"].strip("<>").split("@")[0]: parse(envelope)["Content-Language"]
        for envelope in smtp_server.handler.messages
    }
    assert languages == {v1["id"]: None, v2["id"]: "de"}
    (dead,) = deadletters.dead_letters(redis_client)
    assert dead.message.message_id == bad["id"] and dead.summary()["attempts"] == 1
