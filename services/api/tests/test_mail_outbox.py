import jsonschema
import pytest
import redis
from dramatiq import Message

from accounts import mail
from core import mail_queue
from core.models import OutboxEmail
from tests.conftest import PASSWORD, queued_payloads

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_email_kind_matches_the_contract(make_user, mail_schema):
    user = make_user()
    from django.db import transaction

    with transaction.atomic():
        payloads = [mail.send_confirmation_email(user, "k" * 43), mail.send_account_exists_email(user)]
    for payload in payloads:
        jsonschema.validate(payload, mail_schema)
    assert [p["kind"] for p in queued_payloads()] == ["confirm_email", "account_exists"]


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
    assert email.enqueued_at is None and email.payload["to"] == "ada@example.com"
    assert email.last_error == "ConnectionError"
    monkeypatch.undo()
    assert mail_queue.publish_pending() == 1
    assert [p["to"] for p in queued_payloads()] == ["ada@example.com"]
    assert mail_queue.publish_pending() == 0
