"""The mail outbox: every email is recorded in the same transaction as the change that causes it."""

import uuid

from django.db import models


class OutboxEmail(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=64)
    to = models.EmailField(max_length=254)
    # The rendered message (contract v1 payload). Cleared once handed to the queue, because
    # bodies carry one-time links and codes.
    payload = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True)
    enqueued_at = models.DateTimeField(null=True)
    # Set while one process hands the email over (outbox.mail_queue.publish), instead of a lock.
    claimed_until = models.DateTimeField(null=True)
    publish_attempts = models.PositiveIntegerField(default=0)
    last_error = models.CharField(max_length=200, blank=True)

    class Meta:
        # The table keeps the name it had when this model lived in core: renaming it would break
        # API processes of the previous release still running during a rolling deploy.
        db_table = "core_outboxemail"
        indexes = [
            models.Index(fields=["enqueued_at", "created_at"], name="outbox_pending_idx"),
            models.Index(fields=["to", "created_at"], name="outbox_recipient_idx"),  # the per-recipient cap
        ]

    def __str__(self):
        return f"{self.kind} {self.id}"
