"""Hands outbox emails to the mailer through Dramatiq over Redis.

The API does not import the mailer: it builds the message described in
docs/contracts/mail-message-v1.md itself and enqueues it on the queue the mailer consumes.

Each email is first written to the outbox (core.models.OutboxEmail) in the transaction of the
change that caused it. `publish` hands it over right after the commit; whatever could not be
handed over (Redis down, the API killed between commit and publish) is handed over by the
relay (`manage.py relay_outbox`, see `relay_once`), which needs only the database.
"""
import functools
import logging
from datetime import timedelta

import dramatiq
from django.conf import settings
from django.db import transaction
from django.db.models import Min
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


SENT, FAILED, SKIPPED = "sent", "failed", "skipped"


def publish(outbox_id, *, skip_locked=False):
    """Enqueue one outbox email: SENT, FAILED (it stays pending) or SKIPPED (not ours to send)."""
    with transaction.atomic():
        rows = OutboxEmail.objects.select_for_update(skip_locked=skip_locked)
        email = rows.filter(id=outbox_id, enqueued_at=None).first()
        if email is None:
            return SKIPPED  # already handed over, dropped, or being handed over by someone else
        try:
            get_broker().enqueue(build_message(email.payload))
        except Exception as exc:  # noqa: BLE001 - any broker failure leaves the email pending
            email.publish_attempts += 1
            email.last_error = type(exc).__name__
            email.save(update_fields=["publish_attempts", "last_error"])
            logger.warning("mail queue unavailable, email %s left pending: %s", email.id, type(exc).__name__)
            return FAILED
        email.enqueued_at = timezone.now()
        # The body holds one-time links and codes: once Redis has it, the database forgets it.
        email.payload = None
        email.publish_attempts += 1
        email.last_error = ""
        email.save(update_fields=["enqueued_at", "payload", "publish_attempts", "last_error"])
        logger.info("email %s (%s) enqueued", email.id, email.kind)
        return SENT


def publish_pending(limit=500):
    """Hand over pending emails, oldest first, until one fails. Returns how many went."""
    ids = OutboxEmail.objects.filter(enqueued_at=None).order_by("created_at").values_list("id", flat=True)[:limit]
    published = 0
    for outbox_id in list(ids):
        outcome = publish(outbox_id, skip_locked=True)
        if outcome == FAILED:
            break  # the queue is down: the rest would fail the same way; try again next round
        published += outcome == SENT
    return published


def drop_expired(now=None):
    """Pending emails past their useful life (an old reset code) are dropped, never sent late."""
    now = now or timezone.now()
    expired = OutboxEmail.objects.filter(enqueued_at=None, expires_at__lte=now)
    for email in expired.only("id", "kind"):
        logger.warning("email %s (%s) expired before it could be queued; dropped", email.id, email.kind)
    return expired.delete()[0]


def purge_handed_over(now=None):
    """Forget emails handed over long ago (only their metadata is left by then)."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.OUTBOX_RETENTION_DAYS)
    return OutboxEmail.objects.filter(enqueued_at__lt=cutoff).delete()[0]


def backlog(now=None):
    """(pending count, age in seconds of the oldest pending email or 0)."""
    now = now or timezone.now()
    pending = OutboxEmail.objects.filter(enqueued_at=None)
    stats = pending.aggregate(oldest=Min("created_at"))
    oldest = stats["oldest"]
    return pending.count(), (now - oldest).total_seconds() if oldest else 0.0


def relay_once():
    """One round of the relay: drop what expired, hand over what is pending, forget old rows."""
    dropped = drop_expired()
    published = publish_pending()
    purged = purge_handed_over()
    return {"published": published, "expired": dropped, "purged": purged}
