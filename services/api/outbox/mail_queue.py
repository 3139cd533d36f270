"""Hands outbox emails to the mailer through Dramatiq over Redis.

The API does not import the mailer: it builds the message described in
docs/contracts/mail-message-v2.md itself and enqueues it on the queue the mailer consumes.

Each email is first written to the outbox (outbox.models.OutboxEmail) in the transaction of the
change that caused it. `publish_after_commit` hands it over right after the commit; whatever could
not be handed over (Redis down or hung, the database busy, the API killed between commit and
publish) is handed over by the relay (`manage.py relay_outbox`, see `relay_once`), which needs
only the database.
"""

import functools
import logging
from datetime import timedelta

import dramatiq
from django.conf import settings
from django.db.models import F, Min, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from core.redis_request import Pause, request_path_url
from outbox.models import OutboxEmail

logger = logging.getLogger(__name__)

QUEUE_NAME = "emails"
ACTOR_NAME = "send_email"


def _stub_broker_in_tests():
    return getattr(settings, "MAIL_QUEUE_BROKER", "redis") == "stub"


@functools.cache
def get_broker():
    """The relay's broker: REDIS_URL as it is, with its own timeouts (the relay can wait)."""
    if _stub_broker_in_tests():
        from dramatiq.brokers.stub import StubBroker

        broker = StubBroker(middleware=[])
        broker.declare_queue(QUEUE_NAME)
        return broker
    from dramatiq.brokers.redis import RedisBroker

    # No middleware: the API only enqueues; retries and time limits belong to the mailer.
    return RedisBroker(url=settings.REDIS_URL, middleware=[])


@functools.cache
def get_request_broker():
    """The broker of the hand-over a request waits on: the request path's short timeouts."""
    if _stub_broker_in_tests():
        return get_broker()
    from dramatiq.brokers.redis import RedisBroker

    return RedisBroker(url=request_path_url(settings.REDIS_URL), middleware=[])


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


# How long a claim on an email lasts: longer than any enqueue can take (the relay's Redis
# timeouts are seconds). A process that died holding one leaves the email to the next claim.
CLAIM_SECONDS = 60


def publish(outbox_id, *, broker=None):
    """Enqueue one outbox email: SENT, FAILED (it stays pending) or SKIPPED (not ours to send).

    No transaction is held while Redis is asked: on SQLite a transaction holds the database's one
    write lock, so a slow or hung Redis (or a frozen relay) would stop every write of the API.
    Instead the email is claimed by one short UPDATE, sent, and marked by another. A process that
    dies in between leaves the claim to expire; the email may then go twice, with one Message-ID,
    and the mailer keeps only the first (docs/mail.md).
    """
    now = timezone.now()
    claimable = Q(claimed_until=None) | Q(claimed_until__lt=now)
    claimed = OutboxEmail.objects.filter(claimable, id=outbox_id, enqueued_at=None).update(
        claimed_until=now + timedelta(seconds=CLAIM_SECONDS)
    )
    email = OutboxEmail.objects.filter(id=outbox_id).only("id", "kind", "payload").first() if claimed else None
    if email is None:
        return SKIPPED  # already handed over, dropped, or being handed over by someone else
    rows = OutboxEmail.objects.filter(id=outbox_id)
    try:
        (broker or get_broker()).enqueue(build_message(email.payload))
    except Exception as exc:  # noqa: BLE001 - any broker failure leaves the email pending
        rows.update(claimed_until=None, publish_attempts=F("publish_attempts") + 1, last_error=type(exc).__name__)
        logger.warning("mail queue unavailable, email %s left pending: %s", email.id, type(exc).__name__)
        return FAILED
    # The body holds one-time links and codes: once Redis has it, the database forgets it.
    rows.update(
        enqueued_at=timezone.now(),
        payload=None,
        claimed_until=None,
        publish_attempts=F("publish_attempts") + 1,
        last_error="",
    )
    logger.info("email %s (%s) enqueued", email.id, email.kind)
    return SENT


# After a broker failure the hand-over after commit is not tried for a while: the next
# requests would pay the same timeout. The relay is not paused; it retries every round.
hand_over_pause = Pause()


def publish_after_commit(outbox_id):
    """The hand-over right after the commit (transaction.on_commit): SENT, FAILED or SKIPPED.

    The change is committed by now, so nothing here may turn the request into an error: whatever
    goes wrong (Redis refusing or hung, "database is locked", ...) is logged as a warning and the
    email stays pending for the relay, which hands it over within OUTBOX_RELAY_INTERVAL_S of
    Redis answering again. A plain on_commit callback that raised would answer 500 and skip the
    callbacks after it; robust=True would log an error with a traceback instead. An email the
    relay has claimed is skipped, not waited for.
    """
    if hand_over_pause.active():
        logger.info("mail queue paused after a failure, email %s left pending for the relay", outbox_id)
        return FAILED
    try:
        outcome = publish(outbox_id, broker=get_request_broker())
    except Exception as exc:  # noqa: BLE001 - the change is committed: it must not become a 500
        logger.warning(
            "hand-over after commit failed, email %s left pending for the relay: %s", outbox_id, type(exc).__name__
        )
        return FAILED
    if outcome == FAILED:
        hand_over_pause.start()
    return outcome


def publish_pending(limit=500):
    """Hand over pending emails, oldest first, until one fails. Returns how many went."""
    ids = OutboxEmail.objects.filter(enqueued_at=None).order_by("created_at").values_list("id", flat=True)[:limit]
    published = 0
    for outbox_id in list(ids):
        outcome = publish(outbox_id)
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


def readiness():
    """The outbox's part of /api/health/ready (settings.READINESS_CHECKS): "stale" when the oldest
    pending email has waited longer than OUTBOX_STALE_AFTER_S."""
    pending, oldest = backlog()
    check = "ok" if oldest <= settings.OUTBOX_STALE_AFTER_S else "stale"
    return check, {"pending": pending, "oldest_seconds": round(oldest)}


def relay_once():
    """One round of the relay: run the apps' jobs (settings.OUTBOX_RELAY_JOBS, which may record
    emails), drop what expired, hand over what is pending, forget old rows."""
    for job in settings.OUTBOX_RELAY_JOBS:
        import_string(job)()
    dropped = drop_expired()
    published = publish_pending()
    purged = purge_handed_over()
    return {"published": published, "expired": dropped, "purged": purged}
