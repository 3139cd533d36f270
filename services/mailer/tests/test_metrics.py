"""Counters for each outcome, the kind and language allow-lists, and the queue depths read from a real Redis."""

from datetime import UTC, datetime, timedelta

import pytest
import redis
from dramatiq.brokers.redis import RedisBroker
from prometheus_client import REGISTRY, CollectorRegistry

from mailer import metrics, redis_keys
from mailer.contract import KIND, LANGUAGE
from mailer.metrics import QueueDepthCollector
from tests import contract_docs
from tests.helpers import free_port, make_message, make_payload, make_v2_payload

COUNTERS = ("retried", "dead", "expired", "duplicate")
LANGUAGE_LABELS = (*metrics.LANGUAGES, metrics.OTHER, metrics.UNKNOWN_LANGUAGE)


@pytest.fixture
def counts(metric):
    """counts(kind, language) -> every counter for that kind (sent and failed ones for that language,
    failed ones by reason), to compare before/after. make_payload() is v1: language "unknown"."""

    def counts(kind="confirm_email", language="unknown"):
        values = {name: metric(f"mailer_emails_{name}_total", kind=kind) for name in COUNTERS}
        values["sent"] = metric("mailer_emails_sent_total", kind=kind, language=language)
        values.update(
            {
                f"failed_{reason}": metric("mailer_emails_failed_total", kind=kind, reason=reason, language=language)
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


@pytest.mark.parametrize("version", contract_docs.VERSIONS)
def test_every_kind_the_contract_names_has_its_own_label(version):
    named = contract_docs.kinds_named(version)
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
    run(make_payload(version=3))
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


@pytest.mark.parametrize(
    "payload, label",
    [
        (make_v2_payload(language="en"), "en"),
        (make_v2_payload(language="de"), "de"),
        (make_v2_payload(language="de-CH"), "de"),  # counted by its primary subtag
        (make_v2_payload(language="en-GB"), "en"),
        (make_v2_payload(language="pt-BR"), "other"),
        (make_v2_payload(language="fr"), "other"),
        (make_v2_payload(language="deu"), "other"),  # a primary subtag is matched as it is
        (make_payload(), "unknown"),  # version 1 names no language
        # Invalid payloads are counted too (failed, invalid) before they are checked: never a crash,
        # never a new series.
        (make_v2_payload(language="EN"), "other"),
        (make_v2_payload(language="x" * 1000), "other"),
        (make_v2_payload(language=None), "other"),
        (make_v2_payload(language=["de"]), "other"),  # unhashable: must not raise
        (make_v2_payload(language={"de": 1}), "other"),
        ("not an object", "unknown"),
    ],
)
def test_language_labels_come_from_an_allow_list(payload, label):
    assert metrics.language_of(payload) == label


def test_the_language_label_values_are_few():
    assert metrics.LANGUAGES == {"en", "de"}
    assert set(LANGUAGE_LABELS) == {"en", "de", "other", "unknown"}
    assert all(LANGUAGE.fullmatch(language) for language in metrics.LANGUAGES)


@pytest.mark.parametrize(
    "payload, label",
    [
        (make_v2_payload(language="en"), "en"),
        (make_v2_payload(language="de", kind="password_reset"), "de"),
        (make_v2_payload(language="pt-BR"), "other"),
        (make_payload(), "unknown"),
    ],
)
def test_sent_by_language(smtp_server, sent_log, run, counts, payload, label):
    kind = payload["kind"]
    before = {language: counts(kind, language) for language in LANGUAGE_LABELS}
    run(payload)
    after = {language: counts(kind, language) for language in LANGUAGE_LABELS}
    assert changes(before[label], after[label]) == {"sent": 1}
    assert all(changes(before[other], after[other]) == {} for other in LANGUAGE_LABELS if other != label)


@pytest.mark.parametrize(
    "payload, reason, language",
    [
        (make_v2_payload(language="de", version=3), "invalid", "de"),
        (make_v2_payload(language="de\r\nBcc: eve@example.com"), "invalid", "other"),
        ({**make_v2_payload(), "version": 1}, "invalid", "en"),
        (make_payload(version=2), "invalid", "unknown"),
    ],
)
def test_invalid_by_language(smtp_server, sent_log, run, counts, payload, reason, language):
    before = counts(language=language)
    run(payload)
    assert changes(before, counts(language=language)) == {f"failed_{reason}": 1, "dead": 1}
    assert smtp_server.handler.attempts == 0


def test_failed_by_language(smtp_server, sent_log, run, counts):
    smtp_server.handler.data_replies.append("451 4.3.0 Try again later")
    before = counts(language="de")
    run(make_v2_payload(language="de"))
    assert changes(before, counts(language="de")) == {"failed_transient": 1, "retried": 1, "sent": 1}

    smtp_server.handler.rcpt_replies.append("550 5.1.1 No such user")
    before = counts(language="de")
    run(make_v2_payload(language="de-AT"))
    assert changes(before, counts(language="de")) == {"failed_permanent": 1, "dead": 1}


def test_every_language_series_exists_from_the_start():
    for kind in (*metrics.KINDS, metrics.OTHER):
        for language in LANGUAGE_LABELS:
            assert (
                REGISTRY.get_sample_value("mailer_emails_sent_total", {"kind": kind, "language": language}) is not None
            )
            for reason in metrics.REASONS:
                labels = {"kind": kind, "reason": reason, "language": language}
                assert REGISTRY.get_sample_value("mailer_emails_failed_total", labels) is not None


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
