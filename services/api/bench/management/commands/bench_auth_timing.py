"""`manage.py bench_auth_timing`: each variant timed in-process, without HTTP.

Two figures per variant and token level, against the benchmark database and settings:
- "authentication": DRF authenticating one request with the view's own authentication classes,
  or for allauth's own endpoint its session token lookup (what bench_count_queries counts as the
  authentication step);
- "request": the whole request through Django (middleware, view, serializer, JSON), with the
  connection re-armed per request as a WSGI server does (its health check included).
Batches of calls, interleaved across variants and token levels in shuffled order for several
rounds; the figure is the median of the batches. Far less noisy than requests through the whole
stack on a shared machine, so it shows which side of a close ratio the code itself is on.
"""

import json
import random
import statistics
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.test import Client, RequestFactory

from bench.management.commands.bench_count_queries import HOST, authentication_step, variants


def authenticate_batch(django_request, step, calls):
    started = time.perf_counter()
    for _ in range(calls):
        if not step(django_request):
            raise RuntimeError(f"{django_request.path}: not authenticated")
    return (time.perf_counter() - started) / calls


def request_batch(client, path, headers, calls):
    started = time.perf_counter()
    for _ in range(calls):
        close_old_connections()  # the request_started signal of a WSGI server (the test client mutes it)
        if client.get(path, HTTP_HOST=HOST, **headers).status_code != 200:
            raise RuntimeError(f"{path}: not 200")
    return (time.perf_counter() - started) / calls


class Command(BaseCommand):
    help = "Time the authentication step of each benchmark variant in-process (BENCH_MODE database)."

    def add_arguments(self, parser):
        parser.add_argument("--credentials", required=True, help="The JSON file written by bench_seed.")
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--calls", type=int, default=50, help="Calls per batch (default 50).")
        parser.add_argument("--seed", type=int, default=0)
        parser.add_argument("--out", help="Write the result here too (JSON).")

    def handle(self, *args, credentials, rounds, calls, seed, out, **options):
        users = json.loads(Path(credentials).read_text())["users"]
        rng = random.Random(seed)  # noqa: S311 - a shuffle, not a secret  # nosec B311
        cases: dict[tuple[str, str, str], tuple[Any, tuple[Any, ...]]] = {}
        client = Client()
        for level, user in users.items():
            for name, path, headers in variants(user):
                cases[("request", level, name)] = (request_batch, (client, path, headers))
                if name != "ceiling":
                    django_request = RequestFactory().get(path, HTTP_HOST=HOST, **headers)
                    cases[("authentication", level, name)] = (
                        authenticate_batch,
                        (django_request, authentication_step(path)),
                    )
        for function, arguments in cases.values():
            function(*arguments, 3)  # warm: caches, connection
        batches: dict[tuple[str, str, str], list[float]] = {key: [] for key in cases}
        for _ in range(rounds):
            for key in rng.sample(list(cases), len(cases)):
                function, arguments = cases[key]
                # Stock knox at 1000 tokens takes tens of ms a call: fewer calls keep the run short.
                batch = max(5, calls // 10) if key[2] == "knox" and int(key[1]) >= 1000 else calls
                batches[key].append(function(*arguments, batch))
        result = {"rounds": rounds, "calls": calls}
        for (what, level, name), seconds in batches.items():
            result.setdefault(what, {}).setdefault(level, {})[name] = {
                "median": statistics.median(seconds) * 1e6,
                "min": min(seconds) * 1e6,
                "max": max(seconds) * 1e6,
            }
        text = json.dumps(result, indent=2)
        if out:
            Path(out).write_text(text)
        self.stdout.write(text)
