"""`manage.py bench_enqueue_mail`: puts contract-v1 messages straight on the mail queue.

Measures the mailer alone (queue → SMTP → catcher): the messages are built exactly as the API
builds them (outbox.mail_queue.build_message, docs/contracts/mail-message-v1.md) but skip the
outbox, so the API's request cost is not part of the figure.
"""

import json
import time
import uuid
from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone
from outbox import mail_queue


def payload(to, number):
    now = timezone.now()
    return {
        "version": 1,
        "id": str(uuid.uuid4()),
        "kind": "bench",
        "to": to,
        "subject": f"Benchmark message {number}",
        "text": f"Benchmark message {number}\n",
        "html": None,
        "created_at": now.isoformat(),
        "expires_at": (now + timedelta(hours=1)).isoformat(),
    }


class Command(BaseCommand):
    help = "Enqueue N contract-v1 emails for the mailer throughput measurement."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=500)
        parser.add_argument("--prefix", required=True, help="Recipients are <prefix>-<n>@example.com.")

    def handle(self, *args, count, prefix, **options):
        messages = [mail_queue.build_message(payload(f"{prefix}-{n}@example.com", n)) for n in range(count)]
        broker = mail_queue.get_broker()
        started = time.time()
        for message in messages:
            broker.enqueue(message)
        self.stdout.write(json.dumps({"enqueued": count, "started_at": started, "finished_at": time.time()}))
