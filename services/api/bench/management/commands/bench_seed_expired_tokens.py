"""`manage.py bench_seed_expired_tokens`: a backlog of expired tokens for the cleanup measurement.

Run after `bench_seed`; the tokens belong to the seeded users (never to the benchmark users) and
expired between a week and a minute ago, as if no cleanup had run for a week.
"""

import json
import time

from django.core.management.base import BaseCommand
from django.db import transaction

from bench.management.commands.bench_seed import check_tables, insert_tokens, vacuum_analyze

WEEK_SECONDS = 7 * 24 * 3600
CHUNK = 250_000  # one transaction per chunk: no single huge transaction to roll back


class Command(BaseCommand):
    help = "Add expired tokens to the benchmark database (after bench_seed)."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=1_000_000, help="Expired tokens (default 1000000).")

    def handle(self, *args, count, **options):
        check_tables()
        started = time.monotonic()
        inserted = 0
        while inserted < count:
            chunk = min(CHUNK, count - inserted)
            with transaction.atomic():
                insert_tokens(f"seed-expired-{inserted}-", chunk, -WEEK_SECONDS, WEEK_SECONDS - 60)
            inserted += chunk
        vacuum_analyze()
        self.stdout.write(json.dumps({"expired_tokens": inserted, "seconds": round(time.monotonic() - started, 2)}))
