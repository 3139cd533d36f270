"""Hands outbox emails to the mailer through Dramatiq over Redis.

The API does not import the mailer: it builds the message described in
docs/contracts/mail-message-v1.md itself and enqueues it on the queue the mailer consumes.
"""
import functools
import logging

import dramatiq
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.models import OutboxEmail

logger = logging.getLogger(__name__)

QUEUE_NAME = "emails"
ACTOR_NAME = "send_email"


@functools.cache
def get_broker():
    if getattr(settings, "MAIL_QUEUE_BROKER", "redis") == "stub":
        from dramatiq.brokers.stub import StubBroker

        broker = StubBroker(middleware=[])
        broker.declare_queue(QUEUE_NAME)
        return broker
    from dramatiq.brokers.redis import RedisBroker

    # No middleware: the API only enqueues; retries and time limits belong to the mailer.
    return RedisBroker(url=settings.REDIS_URL, middleware=[])


def build_message(payload):
    return dramatiq.Message(
        queue_name=QUEUE_NAME,
        actor_name=ACTOR_NAME,
        args=(payload,),
        kwargs={},
        options={},
        message_id=payload["id"],
    )


def publish(outbox_id):
    """Enqueue one outbox email; on failure leave it pending for a later attempt."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(id=outbox_id, enqueued_at=None).first()
        if email is None:
            return False
        try:
            get_broker().enqueue(build_message(email.payload))
        except Exception as exc:  # noqa: BLE001 - any broker failure leaves the email pending
            email.publish_attempts += 1
            email.last_error = type(exc).__name__
            email.save(update_fields=["publish_attempts", "last_error"])
            logger.warning("mail queue unavailable, email %s left pending: %s", email.id, type(exc).__name__)
            return False
        email.enqueued_at = timezone.now()
        email.payload = None
        email.publish_attempts += 1
        email.last_error = ""
        email.save(update_fields=["enqueued_at", "payload", "publish_attempts", "last_error"])
        logger.info("email %s (%s) enqueued", email.id, email.kind)
        return True


def publish_pending(limit=500):
    """Retry every email that could not be enqueued yet (oldest first). Returns how many went."""
    ids = list(
        OutboxEmail.objects.filter(enqueued_at=None).order_by("created_at").values_list("id", flat=True)[:limit]
    )
    return sum(1 for outbox_id in ids if publish(outbox_id))
