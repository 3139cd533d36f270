"""Rows recorded on the request path and worked through off it (by the outbox relay's jobs)."""

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import QuerySet


def work_through(pending: QuerySet[Any], handle: Callable[[Any], None], limit: int) -> int:
    """Hand each of the oldest `limit` rows of `pending` to `handle`, then delete it, each in its own
    transaction under the row's lock: each row once, even with several relays (a row another one
    holds is skipped). Returns how many were handled."""
    done = 0
    for pk in list(pending.order_by("pk").values_list("pk", flat=True)[:limit]):
        with transaction.atomic():
            row = pending.model.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if row is None:
                continue  # another relay has it
            handle(row)
            row.delete()
        done += 1
    return done
