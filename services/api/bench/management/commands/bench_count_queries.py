"""`manage.py bench_count_queries`: SQL queries and writes per authenticated request, counted.

Runs in-process (django.test.Client) against the benchmark database and settings, with the
credentials `bench_seed` wrote. Per variant, two consecutive requests: the first may write the
token's touch (sliding renewal + last_seen), the second is the steady state. The authentication
step alone is counted too, by letting DRF authenticate a request built like the view's. Then the
clock is moved (patched, not slept) past TOKEN_LAST_SEEN_INTERVAL_SECONDS to show that the
touch is written once per interval and per token, never per request.

Variant "me_factors" is `/api/auth/me/` for each benchmark user's twin with second factors (an
authenticator app, a passkey, recovery codes; checked here in the database, `factor_accounts`):
second factors are a login's business, so they must cost an authenticated request nothing.

Django's connection health check (CONN_HEALTH_CHECKS: a `SELECT 1` on the raw connection before
the first query of each request) bypasses CaptureQueriesContext, so it is counted separately by
wrapping the connection's `is_usable`.
"""

import json
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from rest_framework.request import Request

from accounts import factors, recovery_codes
from accounts.models import User, WebAuthnCredential

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE")
HOST = "127.0.0.1"


def variants(credentials):
    """(name, path, request headers as WSGI environ keys) for every compared endpoint."""
    return [
        ("me", "/api/auth/me/", {"HTTP_AUTHORIZATION": f"Token {credentials['knox_token']}"}),
        (
            "me_cookie",
            "/api/auth/me/",
            {
                "HTTP_COOKIE": f"{settings.AUTH_COOKIE_NAME}={credentials['knox_token']}",
                "HTTP_X_AUTH_TRANSPORT": "cookie",
            },
        ),
        ("knox", "/api/bench/knox/me/", {"HTTP_AUTHORIZATION": f"Token {credentials['knox_token']}"}),
        ("drf_token", "/api/bench/drf-token/me/", {"HTTP_AUTHORIZATION": f"Token {credentials['drf_token']}"}),
        ("jwt", "/api/bench/jwt/me/", {"HTTP_AUTHORIZATION": f"Bearer {credentials['jwt']}"}),
        ("ceiling", "/api/bench/ceiling/", {}),
        # The same user payload's path for the twin with second factors (another account).
        ("me_factors", "/api/auth/me/", {"HTTP_AUTHORIZATION": f"Token {credentials['factors']['knox_token']}"}),
    ]


def factor_account(user_id):
    """What second factors the account has, read back from the database."""
    user = User.objects.get(pk=user_id)
    return {
        "totp": factors.has_totp(user),
        "webauthn_credentials": WebAuthnCredential.objects.filter(user=user).count(),
        "recovery_codes": recovery_codes.remaining(user),
    }


@contextmanager
def counted_health_checks():
    """Counts the `SELECT 1` health checks Django runs on the raw connection."""
    wrapper = connections[DEFAULT_DB_ALIAS]
    original, calls = wrapper.is_usable, []

    def is_usable():
        calls.append(True)
        return original()

    with mock.patch.object(wrapper, "is_usable", is_usable):
        yield calls


def summarize(captured, health_checks=()):
    sql = [query["sql"] for query in captured]
    return {
        "queries": len(sql),
        "health_checks": len(health_checks),
        "round_trips": len(sql) + len(health_checks),
        "writes": sum(1 for text in sql if text.lstrip().upper().startswith(WRITE_VERBS)),
        "sql": [text[:3000] for text in sql],
    }


def count_request(client, path, headers):
    with CaptureQueriesContext(connection) as captured, counted_health_checks() as health_checks:
        # What a WSGI server's request_started signal does (the test client mutes it): it re-arms
        # the health check, so the request's first query is preceded by a `SELECT 1`.
        close_old_connections()
        response = client.get(path, HTTP_HOST=HOST, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.content[:200]!r}")
    return summarize(captured.captured_queries, health_checks)


def count_authentication(path, headers):
    """Only the authentication step, with the view's own authentication classes, as DRF runs it."""
    view_class = resolve(path).func.view_class  # type: ignore[attr-defined]  # set by as_view()
    request = Request(
        RequestFactory().get(path, HTTP_HOST=HOST, **headers),
        authenticators=[cls() for cls in view_class.authentication_classes],
    )
    with CaptureQueriesContext(connection) as captured:
        authenticated = request.user.is_authenticated
    return {**summarize(captured.captured_queries), "authenticated": authenticated}


def touch_timeline(client, path, headers):
    """Writes per request as the clock moves: once past each interval, then none until the next."""
    interval = settings.TOKEN_TOUCH_INTERVAL
    start = timezone.now()
    steps = [
        ("now", timedelta(0)),
        ("interval + 1 s", interval + timedelta(seconds=1)),
        ("interval + 2 s", interval + timedelta(seconds=2)),
        ("1.5 x interval", interval * 1.5),
        ("2 x interval + 2 s", interval * 2 + timedelta(seconds=2)),
        ("2 x interval + 3 s", interval * 2 + timedelta(seconds=3)),
    ]
    with mock.patch("django.utils.timezone.now", return_value=start):
        count_request(client, path, headers)  # not recorded: writes the touch if the last one is an interval old
    timeline = []
    for label, offset in steps:
        with mock.patch("django.utils.timezone.now", return_value=start + offset):
            counted = count_request(client, path, headers)
        timeline.append(
            {"at": label, "queries": counted["queries"], "writes": counted["writes"], "sql": counted["sql"]}
        )
    return {"interval_seconds": interval.total_seconds(), "timeline": timeline}


class Command(BaseCommand):
    help = "Count SQL queries and writes per request of each benchmark variant (BENCH_MODE database)."

    def add_arguments(self, parser):
        parser.add_argument("--credentials", required=True, help="The JSON file written by bench_seed.")
        parser.add_argument("--out", help="Write the result here too (JSON).")

    def handle(self, *args, credentials, out, **options):
        seeded = json.loads(Path(credentials).read_text())
        result: dict[str, Any] = {"levels": {}, "factor_accounts": {}}
        for level, user in seeded["users"].items():
            result["factor_accounts"][level] = factor_account(user["factors"]["user_id"])
            per_variant = {}
            for name, path, headers in variants(user):
                client = Client()
                first = count_request(client, path, headers)
                steady = count_request(client, path, headers)
                per_variant[name] = {
                    "first": first,
                    "steady": steady,
                    "authentication": count_authentication(path, headers),
                }
            result["levels"][level] = per_variant
        # The touch timeline uses the 1-token user (the patched clock moves its last_seen forward).
        user = seeded["users"][min(seeded["users"], key=int)]
        name, path, headers = variants(user)[0]
        result["touch"] = touch_timeline(Client(), path, headers)
        text = json.dumps(result, indent=2)
        if out:
            Path(out).write_text(text)
        self.stdout.write(text)
