"""Counters for each outcome, the kind allow-list, and the queue depths read from a real Redis."""

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import redis
from dramatiq.brokers.redis import RedisBroker
from prometheus_client import CollectorRegistry

from mailer import metrics, redis_keys
from mailer.contract import KIND
from mailer.metrics import QueueDepthCollector
from tests.helpers import free_port, make_message, make_payload

CONTRACT = Path(__file__).resolve().parents[3] / "docs" / "contracts" / "mail-message-v1.md"
COUNTERS = ("sent", "retried", "dead", "expired", "duplicate")


@pytest.fixture
def counts(metric):
    """counts(kind) -> every counter for that kind (failed ones by reason), to compare before/after."""

    def counts(kind="confirm_email"):
        values = {name: metric(f"mailer_emails_{name}_total", kind=kind) for name in COUNTERS}
        values.update(
            {
                f"failed_{reason}": metric("mailer_emails_failed_total", kind=kind, reason=reason)
                for reason in metrics.REASONS
            }
        )
        return values

    return counts


def changes(before, after):
    return {name: after[name] - before[name] for name in before if after[name] != before[name]}


@pytest.mark.parametrize(
    "kind, label",
    [
        ("password_reset", "password_reset"),
        ("confirm_email_change", "confirm_email_change"),
        ("brand_new_kind", "other"),
        ("a" * 64, "other"),
        (None, "other"),
        (["password_reset"], "other"),  # unhashable: must not raise
        ({"kind": "password_reset"}, "other"),
    ],
)
def test_kind_labels_come_from_an_allow_list(kind, label):
    assert metrics.kind_of({"kind": kind}) == label


def test_a_payload_that_is_not_an_object_is_other():
    assert metrics.kind_of(["kind", "confirm_email"]) == "other"


def test_every_kind_the_contract_names_has_its_own_label():
    row = next(line for line in CONTRACT.read_text().splitlines() if line.startswith("| `kind` |"))
    named = re.findall(r"`([a-z][a-z0-9_]*)`", row.split("|")[3].split("(a mailer")[0])
    assert named and all(metrics.kind_of({"kind": kind}) == kind for kind in named)
    assert set(named) == metrics.KINDS  # and the mailer knows no kind the contract does not name
    assert all(KIND.fullmatch(kind) for kind in metrics.KINDS)  # each one a valid contract kind


def test_sent(smtp_server, sent_log, run, counts, metric):
    before, seconds = counts(), metric("mailer_send_seconds_count")
    run(make_payload())
    assert changes(before, counts()) == {"sent": 1}
    assert metric("mailer_send_seconds_count") == seconds + 1


def test_retried_then_sent(smtp_server, sent_log, run, counts, metric):
    smtp_server.handler.data_replies.append("451 4.3.0 Try again later")
    before, seconds = counts(), metric("mailer_send_seconds_count")
    run(make_payload())
    assert changes(before, counts()) == {"failed_transient": 1, "retried": 1, "sent": 1}
    assert metric("mailer_send_seconds_count") == seconds + 2  # every SMTP exchange is timed


def test_gave_up(smtp_server, sent_log, run, counts):
    smtp_server.handler.data_replies += ["451 4.3.0 Try again later"] * 10
    before = counts()
    run(make_payload())
    # MAILER_MAX_RETRIES=3 in the tests: four attempts, three retries, then the dead-letter queue.
    assert changes(before, counts()) == {"failed_transient": 4, "retried": 3, "dead": 1}


def test_refused(smtp_server, sent_log, run, counts):
    smtp_server.handler.rcpt_replies.append("550 5.1.1 No such user")
    before = counts()
    run(make_payload())
    assert changes(before, counts()) == {"failed_permanent": 1, "dead": 1}


def test_invalid(smtp_server, sent_log, run, counts):
    before = counts()
    run(make_payload(version=2))
    assert changes(before, counts()) == {"failed_invalid": 1, "dead": 1}


def test_expired(smtp_server, sent_log, run, counts):
    before = counts()
    run(make_payload(expires_at=(datetime.now(UTC) - timedelta(seconds=1)).isoformat()))
    assert changes(before, counts()) == {"expired": 1}


def test_an_unknown_kind_is_counted_as_other(smtp_server, sent_log, run, counts):
    before_other, before_known = counts("other"), counts()
    run(make_payload(kind="x" * 60))
    assert changes(before_other, counts("other")) == {"sent": 1}
    assert changes(before_known, counts()) == {}
    assert counts("x" * 60)["sent"] == 0  # no series was created for it


def registry_with(client):
    registry = CollectorRegistry()
    registry.register(QueueDepthCollector(client))
    return registry


def test_queue_depths_from_redis(redis_server, redis_client):
    broker = RedisBroker(url=redis_server.url, middleware=[])
    broker.declare_queue("emails")
    for _ in range(3):
        broker.enqueue(make_message(make_payload()))
    broker.enqueue(make_message(make_payload()), delay=60_000)  # a retry waiting for its backoff
    broker.do_fetch("emails", 1)  # a worker took one
    redis_client.zadd(redis_keys.DEAD, {"dead-1": 1, "dead-2": 2})

    registry = registry_with(redis_client)

    depth = {
        queue: registry.get_sample_value("mailer_queue_depth", {"queue": queue})
        for queue in ("ready", "in_flight", "delayed", "dead")
    }
    assert depth == {"ready": 2, "in_flight": 1, "delayed": 1, "dead": 2}
    assert registry.get_sample_value("mailer_redis_up") == 1


def test_the_key_names_are_dramatiqs(redis_server, redis_client):
    broker = RedisBroker(url=redis_server.url, middleware=[])
    broker.enqueue(make_message(make_payload()))
    broker.enqueue(make_message(make_payload()), delay=60_000)
    assert {key.decode() for key in redis_client.keys("dramatiq:emails*")} == {
        redis_keys.READY,
        redis_keys.MESSAGES,
        redis_keys.DELAYED,
        redis_keys.DELAYED_MESSAGES,
    }
    assert redis_client.type(redis_keys.READY) == redis_client.type(redis_keys.DELAYED) == b"list"


def test_redis_down_at_scrape_time():
    registry = registry_with(redis.Redis(port=free_port(), socket_connect_timeout=1))
    assert registry.get_sample_value("mailer_redis_up") == 0
    assert registry.get_sample_value("mailer_queue_depth", {"queue": "ready"}) is None
