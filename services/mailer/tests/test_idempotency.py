"""No email id is sent twice: the actor with its sent log, on the StubBroker and on a real Redis."""

from dataclasses import replace

import redis

from mailer import actors, redis_keys, smtp
from mailer.broker import TIME_LIMIT_MS
from mailer.sent_log import MemorySentLog, RedisSentLog
from tests.helpers import make_payload


def outcomes(caplog):
    return [record.getMessage() for record in caplog.records if record.name == "mailer"]


def test_the_same_email_twice_is_sent_once(smtp_server, sent_log, run, caplog, metric):
    caplog.set_level("INFO", logger="mailer")
    before = metric("mailer_emails_duplicate_total", kind="confirm_email")
    payload = make_payload()

    run(payload)
    run(payload)  # redelivered, replayed, or enqueued twice by the API

    assert len(smtp_server.handler.messages) == 1
    first, second = outcomes(caplog)
    assert "outcome=sent" in first
    assert "outcome=duplicate" in second and f"id={payload['id']}" in second
    assert metric("mailer_emails_duplicate_total", kind="confirm_email") == before + 1


def test_the_marker_is_written_after_acceptance_and_before_quit(smtp_server):
    # One email per connection, so the connection is QUIT right after this email (with reuse the
    # QUIT comes later: see test_smtp_reuse.py).
    settings = replace(smtp_server.settings, smtp_max_messages_per_connection=1)
    quits_when_marked = []
    smtp.send(
        make_payload(),
        settings,
        on_accepted=lambda: quits_when_marked.append((len(smtp_server.handler.messages), smtp_server.handler.quits)),
    )
    assert quits_when_marked == [(1, 0)]  # the server had the email, and no QUIT had been sent yet
    assert smtp_server.handler.quits == 1


def test_a_refused_email_is_not_marked(smtp_server):
    marked = []
    smtp_server.handler.data_replies.append("451 4.3.0 Try again later")
    try:
        smtp.send(make_payload(), smtp_server.settings, on_accepted=lambda: marked.append(1))
    except smtp.TransientDeliveryError:
        pass
    assert marked == []


def test_a_failing_quit_after_acceptance_is_not_a_failure(smtp_server, sent_log, run, caplog, monkeypatch):
    # The server has the email: an odd reply to QUIT must not turn into a retry, so a second email.
    # One email per connection, so the QUIT comes right after this email's DATA.
    monkeypatch.setattr(actors, "settings", replace(smtp_server.settings, smtp_max_messages_per_connection=1))
    caplog.set_level("INFO", logger="mailer")
    smtp_server.handler.quit_replies.append("421 4.3.0 Closing anyway")
    payload = make_payload()

    run(payload)

    assert smtp_server.handler.attempts == 1 and len(smtp_server.handler.messages) == 1
    (line,) = outcomes(caplog)
    assert "outcome=sent" in line
    assert sent_log.was_sent(payload["id"])


class OtherWorkerFinishes(MemorySentLog):
    """At the first attempt another worker holds the lock; it finishes sending right after."""

    def __init__(self):
        super().__init__(sent_ttl_s=600, lock_ms=TIME_LIMIT_MS)
        self.refused = 0

    def lock(self, email_id):
        if not self.refused:
            self.refused += 1
            self.mark_sent(email_id)  # what the other worker does next
            return None
        return super().lock(email_id)


def test_an_email_being_sent_elsewhere_is_retried_then_found_sent(
    smtp_server, stub_broker, run, caplog, monkeypatch, metric
):
    caplog.set_level("INFO", logger="mailer")
    monkeypatch.setattr(actors, "sent_log", OtherWorkerFinishes())
    retried = metric("mailer_emails_retried_total", kind="confirm_email")

    run(make_payload())

    assert smtp_server.handler.attempts == 0
    assert stub_broker.dead_letters == []
    first, second = outcomes(caplog)
    assert "outcome=in_flight" in first and "attempt=1" in first
    assert "outcome=duplicate" in second and "attempt=2" in second
    assert metric("mailer_emails_retried_total", kind="confirm_email") == retried + 1


def test_a_dead_workers_lock_delays_the_email_once(smtp_server, run, caplog, monkeypatch):
    # A worker was killed mid-send: its lock stays until it expires, and its message comes back.
    # Retried once, when the lock ends; backoffs of 10, 20, 40 ms (MAILER_MAX_RETRIES=3) would have
    # run out first and dead-lettered an email that was never sent.
    caplog.set_level("INFO", logger="mailer")
    log = MemorySentLog(sent_ttl_s=600, lock_ms=300)
    monkeypatch.setattr(actors, "sent_log", log)
    payload = make_payload()
    log.lock(payload["id"])  # the dead worker's

    run(payload)

    assert len(smtp_server.handler.messages) == 1
    first, second = outcomes(caplog)
    assert "outcome=in_flight" in first and "attempt=1" in first
    assert "outcome=sent" in second and "attempt=2" in second


def test_a_marker_that_cannot_be_written_does_not_resend(smtp_server, sent_log, run, caplog, monkeypatch):
    caplog.set_level("INFO", logger="mailer")

    def redis_down(email_id):
        raise redis.ConnectionError("Redis went away")

    monkeypatch.setattr(sent_log, "mark_sent", redis_down)
    run(make_payload())

    assert smtp_server.handler.attempts == 1
    unrecorded, sent = outcomes(caplog)
    assert "outcome=unrecorded" in unrecorded and "reason=ConnectionError" in unrecorded
    assert "outcome=sent" in sent


def test_with_the_redis_sent_log(smtp_server, run, redis_client, monkeypatch):
    monkeypatch.setattr(actors, "sent_log", RedisSentLog(redis_client, 600, TIME_LIMIT_MS))
    payload = make_payload()

    run(payload)
    run(payload)

    assert len(smtp_server.handler.messages) == 1
    assert redis_client.exists(redis_keys.sent(payload["id"]))
    assert not redis_client.exists(redis_keys.sending(payload["id"]))  # released
