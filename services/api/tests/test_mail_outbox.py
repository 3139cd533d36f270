import io
import re
import urllib.error
import urllib.request
from datetime import timedelta
from pathlib import Path

import jsonschema
import pytest
import redis
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from dramatiq import Message
from outbox import mail_queue
from outbox.models import OutboxEmail

from accounts import mail
from tests.conftest import PASSWORD, queued_payloads, relay_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_email_kind_matches_the_contract(make_user, mail_schema):
    user = make_user()
    from django.db import transaction

    with transaction.atomic():
        payloads = [mail.send_confirmation_email(user, "k" * 43), mail.send_account_exists_email(user)]
    for payload in payloads:
        jsonschema.validate(payload, mail_schema)
    assert [p["kind"] for p in queued_payloads()] == ["confirm_email", "account_exists"]


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_kind_in_every_language_is_a_valid_version_2_message(make_user, mail_schema, language):
    from tests.test_email_html import every_kind

    every_kind(make_user(language=language))
    payloads = queued_payloads()  # what reached the broker: what the mailer gets
    assert len({payload["kind"] for payload in payloads}) == 16
    for payload in payloads:
        jsonschema.validate(payload, mail_schema)
        assert payload["version"] == 2 and payload["language"] == language


def test_envelope_matches_the_contract(client):
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    (raw,) = mail_queue.get_broker().queues["emails"].queue
    message = Message.decode(raw)
    assert message.queue_name == "emails" and message.actor_name == "send_email"
    assert message.kwargs == {} and len(message.args) == 1
    assert message.message_id == message.args[0]["id"]


def test_sent_email_body_is_not_kept_in_the_outbox(client):
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    email = OutboxEmail.objects.get()
    assert email.enqueued_at is not None and email.payload is None


def test_redis_down_keeps_the_request_and_the_email(client, monkeypatch):
    def refuse(self, message, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    broker = mail_queue.get_broker()
    monkeypatch.setattr(type(broker), "enqueue", refuse)
    response = client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    assert response.status_code == 201
    email = OutboxEmail.objects.get()
    assert email.enqueued_at is None and email.payload is not None and email.payload["to"] == "ada@example.com"
    assert email.last_error == "ConnectionError"
    monkeypatch.undo()
    assert mail_queue.publish_pending() == 1
    assert [p["to"] for p in queued_payloads()] == ["ada@example.com"]
    assert mail_queue.publish_pending() == 0


def _refusing_broker(monkeypatch):
    def refuse(self, message, **kwargs):
        raise redis.exceptions.ConnectionError("down")

    monkeypatch.setattr(type(mail_queue.get_broker()), "enqueue", refuse)


def test_relay_stops_at_the_first_failure_and_resumes_later(client, monkeypatch):
    _refusing_broker(monkeypatch)
    for i in range(3):
        client.post("/api/auth/register/", {"email": f"u{i}@example.com", "password": PASSWORD}, format="json")
    attempts_before = sum(OutboxEmail.objects.values_list("publish_attempts", flat=True))
    assert mail_queue.relay_once()["published"] == 0
    # One attempt for the whole round, not one per email: a down queue costs one timeout.
    assert sum(OutboxEmail.objects.values_list("publish_attempts", flat=True)) == attempts_before + 1
    monkeypatch.undo()
    assert mail_queue.relay_once() == {"published": 3, "expired": 0, "purged": 0}
    assert sorted(p["to"] for p in queued_payloads()) == ["u0@example.com", "u1@example.com", "u2@example.com"]


def test_relay_drops_expired_emails_instead_of_sending_them_late(make_user, monkeypatch, caplog):
    _refusing_broker(monkeypatch)
    user = make_user()
    with transaction.atomic():
        payload = mail.send_password_reset_email(user, "uid", "token", "123456", timedelta(hours=1))
    OutboxEmail.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    monkeypatch.undo()
    assert mail_queue.relay_once()["expired"] == 1
    assert not OutboxEmail.objects.exists() and queued_payloads() == []
    assert payload["id"] in caplog.text and "123456" not in caplog.text


def test_relay_forgets_emails_handed_over_long_ago(client, settings):
    settings.OUTBOX_RETENTION_DAYS = 7
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    client.post("/api/auth/register/", {"email": "bob@example.com", "password": PASSWORD}, format="json")
    OutboxEmail.objects.filter(to="ada@example.com").update(enqueued_at=timezone.now() - timedelta(days=8))
    assert mail_queue.relay_once()["purged"] == 1
    assert list(OutboxEmail.objects.values_list("to", flat=True)) == ["bob@example.com"]


def test_every_email_has_an_expiry(make_user):
    user = make_user()
    with transaction.atomic():
        notice = mail.send_account_deleted_email(user.email, user.language)
    assert notice["expires_at"] is not None


def test_relay_command_once(client, monkeypatch):
    _refusing_broker(monkeypatch)
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    monkeypatch.undo()
    out = io.StringIO()
    call_command("relay_outbox", "--once", stdout=out)
    assert out.getvalue().strip() == "published=1 expired=0 pending=0"


def http_get(url):
    assert url.startswith("http://127.0.0.1:")
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback http only
            return response.status, response.read().decode()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode()


def test_relay_metrics_and_health_over_http(client, monkeypatch):
    from outbox.management.commands.relay_outbox import Command, RelayMetrics, serve_http

    _refusing_broker(monkeypatch)
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    metrics = RelayMetrics()
    Command().round(metrics)
    server = serve_http(metrics, "127.0.0.1", 0, interval=2.0)
    try:
        base = f"http://127.0.0.1:{server.server_port}"
        status, text = http_get(f"{base}/metrics")
        assert status == 200 and "outbox_pending 1.0" in text and "outbox_published_total 0.0" in text
        assert http_get(f"{base}/healthz") == (200, "ok\n")
        metrics.last_round -= 3600  # no round for an hour: stuck
        assert http_get(f"{base}/healthz")[0] == 503
    finally:
        server.shutdown()


def test_recipient_cap_limits_capped_kinds_and_logs(client, caplog, settings):
    settings.MAIL_RECIPIENT_HOURLY_CAP = 3
    # The cap is the last line, behind the per-address throttle: lift the throttle to reach it.
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "email_address": "100/h"}
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    for _ in range(5):
        response = client.post("/api/auth/email/resend/", {"email": "ada@example.com"}, format="json")
        assert response.status_code == 202  # the requester sees nothing different
    relay_round()
    assert OutboxEmail.objects.filter(to="ada@example.com").count() == 3
    assert "mail cap: confirm_email to a***@example.com not sent" in caplog.text


def test_recipient_cap_never_silences_security_notices(make_user, settings):
    settings.MAIL_RECIPIENT_HOURLY_CAP = 1
    user = make_user()
    with transaction.atomic():
        mail.send_password_reset_email(user, "uid", "token", "123456", timedelta(hours=1))
        assert mail.send_password_reset_email(user, "uid", "token", "654321", timedelta(hours=1)) is None
        for _ in range(3):
            assert mail.send_password_changed_email(user) is not None
    assert OutboxEmail.objects.filter(kind="password_changed").count() == 3


def test_cache_falls_back_to_process_memory_while_redis_is_down(settings):
    from core.cache import FallbackRedisCache

    cache = FallbackRedisCache("redis://127.0.0.1:1/0", {"TIMEOUT": 60})
    cache.set("throttle", [1, 2])
    assert cache.get("throttle") == [1, 2]
    assert cache._redis_down_until > 0  # Redis was tried once, then skipped for a while


def test_login_throttle_still_works_with_redis_down(client, settings, make_user):
    settings.CACHES = {"default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "2/m"}
    make_user()
    statuses = [
        client.post(
            "/api/auth/login/", {"email": "ada@example.com", "password": "wrong password!"}, format="json"
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [400, 400, 429]


def test_the_contract_names_every_kind_the_api_sends():
    from tests.conftest import SCHEMA_PATH

    templates = Path(mail.__file__).parent / "templates" / "accounts" / "email"
    kinds = {path.name.removesuffix("_subject.txt") for path in templates.glob("*_subject.txt")}
    row = next(
        line
        for line in (SCHEMA_PATH.parent / "mail-message-v2.md").read_text().splitlines()
        if line.startswith("| `kind` |")
    )
    listed = set(re.findall(r"`([a-z][a-z0-9_]*)`", row.split("|")[3].split("(a mailer")[0]))
    assert kinds == listed and len(kinds) == 16


@pytest.mark.django_db(transaction=True)
def test_no_transaction_is_held_while_redis_is_asked(client, monkeypatch):
    """On SQLite a transaction holds the one write lock: an enqueue that waits on a slow Redis
    inside one (attack: the relay frozen mid-transaction) stopped every write of the API."""
    from django.db import connection

    broker = mail_queue.get_broker()
    enqueue, in_transaction = broker.enqueue, []

    def watching_enqueue(message, **kwargs):
        in_transaction.append(connection.in_atomic_block)
        return enqueue(message, **kwargs)

    monkeypatch.setattr(broker, "enqueue", watching_enqueue)
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    client.post("/api/auth/password/reset/", {"email": "ada@example.com"}, format="json")
    mail_queue.relay_once()
    assert in_transaction == [False, False]  # the sign-up's link after commit, then the relay's


@pytest.mark.django_db(transaction=True)
def test_an_email_claimed_by_another_process_is_skipped_then_taken_once_its_claim_expires(client):
    from datetime import timedelta

    from django.utils import timezone

    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    email = OutboxEmail.objects.get()
    OutboxEmail.objects.update(
        enqueued_at=None,
        payload=email.payload or {"id": str(email.id)},
        claimed_until=timezone.now() + timedelta(seconds=30),
    )
    assert mail_queue.publish(email.id) == mail_queue.SKIPPED
    OutboxEmail.objects.update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert mail_queue.publish(email.id) == mail_queue.SENT
    assert OutboxEmail.objects.get().claimed_until is None
