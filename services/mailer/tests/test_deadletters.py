"""`python -m mailer.deadletters` against a real redis-server, and a full refuse-list-replay-deliver trip."""

import json
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
import redis
from dramatiq import Message

from mailer import broker as broker_module
from mailer import deadletters, redis_keys
from tests.helpers import free_port, make_message, make_payload

SERVICE = Path(__file__).resolve().parent.parent
DIED_AT_MS = int(datetime(2026, 11, 21, 12, tzinfo=UTC).timestamp() * 1000)


def bury(client, payload, redis_id=None, died_at_ms=DIED_AT_MS, **options):
    """Put a dead letter where Dramatiq's nack would (dispatch.lua), as the message was last enqueued."""
    redis_id = redis_id or f"r-{payload['id']}"
    message = make_message(payload, redis_message_id=redis_id, **options)
    client.zadd(redis_keys.DEAD, {redis_id: died_at_ms})
    client.hset(redis_keys.DEAD_MESSAGES, redis_id, message.encode())
    return message


def cli(client, capsys, *argv):
    """Run the command against the test Redis; return (exit status, stdout, stderr)."""
    status = deadletters.main(list(argv), client=client)
    out, err = capsys.readouterr()
    return status, out, err


def ready_messages(client):
    return [
        Message.decode(client.hget(redis_keys.MESSAGES, redis_id))
        for redis_id in client.lrange(redis_keys.READY, 0, -1)
    ]


@pytest.mark.parametrize(
    "address, masked",
    [
        ("ada@example.com", "a***@example.com"),
        ("x@y.org", "x***@y.org"),
        ("first.last+tag@sub.example.com", "f***@sub.example.com"),
        ("jörg@exämple.com", "j***@exämple.com"),
        ('"a@b"@example.com', '"***@example.com'),
        ("nobody", "?"),
        (None, "?"),
        ("a@exa\x1b[31mmple.com", "a***@exa?[31mmple.com"),  # no terminal escapes from a hostile payload
    ],
)
def test_mask_address(address, masked):
    assert deadletters.mask_address(address) == masked


def test_list(redis_client, capsys):
    first = make_payload(kind="password_reset", to="ada@example.com")
    second = make_payload(to="bob@example.org")
    bury(redis_client, first, died_at_ms=DIED_AT_MS)
    bury(redis_client, second, died_at_ms=DIED_AT_MS + 60_000, retries=3, traceback="Traceback ...")

    status, out, _ = cli(redis_client, capsys, "list")

    assert status == 0
    assert out.splitlines() == [
        f"{first['id']}  password_reset  a***@example.com  died 2026-11-21T12:00:00Z  attempts=1",
        f"{second['id']}  confirm_email  b***@example.org  died 2026-11-21T12:01:00Z  attempts=4",
    ]


def test_list_as_json(redis_client, capsys):
    payload = make_payload()
    bury(redis_client, payload, retries=2)

    status, out, _ = cli(redis_client, capsys, "list", "--json")

    assert status == 0
    assert json.loads(out) == [
        {
            "id": payload["id"],
            "kind": "confirm_email",
            "to": "a***@example.com",
            "died_at": "2026-11-21T12:00:00Z",
            "attempts": 3,
        }
    ]


def test_list_never_shows_subject_body_or_address(redis_client, capsys):
    payload = make_payload(
        subject="Your code 913377",
        text="secret-code-123456\n",
        html="<p>secret-code-123456</p>",
        to="ada.lovelace@example.com",
    )
    bury(redis_client, payload)
    bury(redis_client, make_payload(kind="Bad Kind\x1b[2J", to=["not", "a", "string"]))

    text = cli(redis_client, capsys, "list")[1] + cli(redis_client, capsys, "list", "--json")[1]

    for secret in ("913377", "secret-code-123456", "ada.lovelace", "Bad Kind", "\x1b"):
        assert secret not in text


def test_list_when_empty(redis_client, capsys):
    assert cli(redis_client, capsys, "list") == (0, "", "no dead letters\n")
    assert cli(redis_client, capsys, "list", "--json") == (0, "[]\n", "")


def test_an_unreadable_dead_letter_is_skipped(redis_client, capsys):
    payload = make_payload()
    bury(redis_client, payload)
    redis_client.zadd(redis_keys.DEAD, {"garbage": DIED_AT_MS})
    redis_client.hset(redis_keys.DEAD_MESSAGES, "garbage", b"\xff not json")

    status, out, err = cli(redis_client, capsys, "list")

    assert status == 0 and payload["id"] in out and len(out.splitlines()) == 1
    assert "skipping an unreadable dead letter (garbage)" in err


def test_replay_one_starts_it_over(redis_client, capsys):
    payload, other = make_payload(), make_payload()
    buried = bury(redis_client, payload, retries=3, traceback="Traceback ...", requeue_timestamp=1)
    bury(redis_client, other)

    assert cli(redis_client, capsys, "replay", payload["id"]) == (0, "replayed 1\n", "")

    (message,) = ready_messages(redis_client)
    assert message.message_id == payload["id"] and message.args == (payload,)
    assert message.queue_name == "emails" and message.actor_name == "send_email"
    assert message.message_timestamp == buried.message_timestamp
    # A first attempt again, under a new Redis id.
    assert set(message.options) == {"redis_message_id"}
    assert message.options["redis_message_id"] != f"r-{payload['id']}"
    assert redis_client.lrange(redis_keys.READY, 0, -1) == [message.options["redis_message_id"].encode()]
    # Gone from the dead letters; the other one stays.
    assert [m["id"] for m in json.loads(cli(redis_client, capsys, "list", "--json")[1])] == [other["id"]]
    assert redis_client.hkeys(redis_keys.DEAD_MESSAGES) == [f"r-{other['id']}".encode()]


def test_replay_all(redis_client, capsys):
    payloads = [make_payload() for _ in range(3)]
    for minute, payload in enumerate(payloads):
        bury(redis_client, payload, died_at_ms=DIED_AT_MS + minute * 60_000)

    assert cli(redis_client, capsys, "replay", "--all") == (0, "replayed 3\n", "")

    assert [m.message_id for m in ready_messages(redis_client)] == [p["id"] for p in payloads]  # oldest first
    assert not redis_client.exists(redis_keys.DEAD, redis_keys.DEAD_MESSAGES)
    assert cli(redis_client, capsys, "replay", "--all") == (0, "replayed 0\n", "")


def test_replay_an_unknown_id_fails_but_replays_the_others(redis_client, capsys):
    payload = make_payload()
    bury(redis_client, payload)
    unknown = make_payload()["id"]

    status, out, err = cli(redis_client, capsys, "replay", payload["id"], unknown)

    assert (status, out, err) == (1, "replayed 1\n", f"not found: {unknown}\n")
    assert [m.message_id for m in ready_messages(redis_client)] == [payload["id"]]


def test_a_dead_letter_is_replayed_once_even_if_listed_twice(redis_client):
    # Two operators (or a retried command) replaying the same listing: only the first one moves it.
    bury(redis_client, make_payload())
    letters = deadletters.dead_letters(redis_client)
    assert deadletters.replay(redis_client, letters) == 1
    assert deadletters.replay(redis_client, letters) == 0
    assert redis_client.llen(redis_keys.READY) == 1


def test_purge(redis_client, capsys):
    for _ in range(2):
        bury(redis_client, make_payload())
    redis_client.rpush(redis_keys.READY, "waiting")  # the live queue is not touched

    assert cli(redis_client, capsys, "purge") == (0, "purged 2\n", "")

    assert not redis_client.exists(redis_keys.DEAD, redis_keys.DEAD_MESSAGES)
    assert redis_client.llen(redis_keys.READY) == 1


def test_replay_needs_ids_or_all(redis_client):
    with pytest.raises(SystemExit) as caught:
        deadletters.main(["replay"], client=redis_client)
    assert caught.value.code == 2


def test_the_module_runs_from_the_command_line(redis_server, redis_client):
    payload = make_payload()
    bury(redis_client, payload)
    result = subprocess.run(
        [sys.executable, "-m", "mailer.deadletters", "list"],
        cwd=SERVICE,
        capture_output=True,
        text=True,
        timeout=30,
        env={"REDIS_URL": redis_server.url, "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"{payload['id']}  confirm_email  a***@example.com")


def test_redis_down_is_a_clear_error(capsys):
    status, _, err = cli(redis.Redis(port=free_port(), socket_connect_timeout=1), capsys, "list")
    assert status == 1 and err.startswith("Redis error at REDIS_URL: ConnectionError")


def test_refused_then_replayed_then_delivered_once(
    redis_broker, redis_worker, redis_client, smtp_server, capsys, metric
):
    dead_before = metric("mailer_emails_dead_total", kind="confirm_email")
    smtp_server.handler.rcpt_replies.append("550 5.1.1 No such user")
    payload = make_payload()

    redis_broker.enqueue(make_message(payload))  # as the API does
    redis_worker()

    assert smtp_server.handler.messages == []
    (listed,) = json.loads(cli(redis_client, capsys, "list", "--json")[1])
    assert (listed["id"], listed["to"], listed["attempts"]) == (payload["id"], "a***@example.com", 1)
    assert metric("mailer_emails_dead_total", kind="confirm_email") == dead_before + 1

    # The operator fixed the cause (the server now accepts): replay.
    assert cli(redis_client, capsys, "replay", payload["id"])[:2] == (0, "replayed 1\n")
    redis_worker()

    (delivered,) = smtp_server.handler.messages
    assert f"<{payload['id']}@auth-platform.local>".encode() in delivered.original_content
    assert cli(redis_client, capsys, "list", "--json")[1] == "[]\n"
    assert redis_client.exists(redis_keys.sent(payload["id"]))

    # Replaying it again (had it been listed twice) does not send a second email.
    assert cli(redis_client, capsys, "replay", payload["id"])[0] == 1  # no longer dead
    redis_broker.enqueue(make_message(payload))
    redis_worker()
    assert len(smtp_server.handler.messages) == 1


def test_retries_exhausted_are_listed_with_their_attempts(
    redis_broker, redis_worker, redis_client, smtp_server, capsys
):
    smtp_server.handler.data_replies += ["451 4.3.0 Try again later"] * 10
    redis_broker.enqueue(make_message(make_payload()))
    redis_worker()
    (listed,) = json.loads(cli(redis_client, capsys, "list", "--json")[1])
    assert listed["attempts"] == 4  # the first try and MAILER_MAX_RETRIES=3 retries


def test_dead_letters_expire_after_the_configured_ttl(redis_broker, redis_client, monkeypatch):
    assert redis_broker.dead_message_ttl == broker_module.settings.dead_letter_ttl_s * 1000
    now_ms = redis_client.time()[0] * 1000
    old, recent = make_payload(), make_payload()
    bury(redis_client, old, died_at_ms=now_ms - redis_broker.dead_message_ttl - 60_000)
    bury(redis_client, recent, died_at_ms=now_ms - redis_broker.dead_message_ttl + 60_000)

    # Dramatiq's maintenance (randomly, on some broker commands) deletes expired dead letters.
    monkeypatch.setattr(redis_broker, "maintenance_chance", 1_000_000)
    redis_broker.do_qsize("emails")

    assert [letter.message.message_id for letter in deadletters.dead_letters(redis_client)] == [recent["id"]]
    assert redis_client.hkeys(redis_keys.DEAD_MESSAGES) == [f"r-{recent['id']}".encode()]
