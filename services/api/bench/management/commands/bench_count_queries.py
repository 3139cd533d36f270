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
wrapping the connection's `is_usable`. Redis commands (allauth's sessions in Redis) are counted
by wrapping redis-py's `execute_command`.

The "allauth_*" variants are django-allauth headless' app client (X-Session-Token): its own
session endpoint and a DRF view with its XSessionTokenAuthentication, with the session in the
database or in Redis (the URL prefix chooses: bench/allauth_sessions.py). The authentication step
of allauth's own endpoint, which is no DRF view, is allauth's session token lookup and its user
(`authenticate_by_x_session_token`, what its XSessionTokenAuthentication calls too).
"""

import json
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import redis
from allauth.headless.internal.sessionkit import authenticate_by_x_session_token
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, close_old_connections, connection, connections
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve
from django.utils import timezone
from rest_framework.request import Request
from rest_framework.views import APIView

from accounts import factors, recovery_codes
from accounts.models import User, WebAuthnCredential
from bench import allauth_sessions

WRITE_VERBS = ("INSERT", "UPDATE", "DELETE")
HOST = "127.0.0.1"
# allauth headless' own session endpoint, under each prefix (config/urls.py, bench/urls.py).
ALLAUTH_SESSION = "_allauth/app/v1/auth/session"


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
        # django-allauth headless' app client: its own session endpoint, and a DRF view with its
        # authentication class; the prefix puts the session in the database or in Redis.
        ("allauth_db", allauth_sessions.DB_PREFIX + ALLAUTH_SESSION, session_token(credentials, "db")),
        ("allauth_redis", allauth_sessions.REDIS_PREFIX + ALLAUTH_SESSION, session_token(credentials, "redis")),
        ("allauth_drf_db", allauth_sessions.DB_PREFIX + "me/", session_token(credentials, "db")),
        ("allauth_drf_redis", allauth_sessions.REDIS_PREFIX + "me/", session_token(credentials, "redis")),
    ]


def session_token(credentials, store):
    return {"HTTP_X_SESSION_TOKEN": credentials["allauth"][store]}


def authentication_step(path):
    """A function that authenticates one request to `path` the way its view does, and tells
    whether it did: a DRF view with its own authentication classes; allauth's own endpoint with
    allauth's session token lookup and its user. Under an allauth prefix, in its session store."""
    view_class = getattr(resolve(path).func, "view_class", None)
    if view_class is not None and issubclass(view_class, APIView):
        classes = view_class.authentication_classes

        def step(django_request):
            return Request(django_request, authenticators=[cls() for cls in classes]).user.is_authenticated
    else:

        def step(django_request):
            result = authenticate_by_x_session_token(django_request.headers["X-Session-Token"])
            return result is not None and result.user is not None

    if not path.startswith(allauth_sessions.PREFIX):
        return step
    store = allauth_sessions.store_of_path(path)

    def in_store(django_request):
        with allauth_sessions.using(store):
            return step(django_request)

    return in_store


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


@contextmanager
def counted_redis_commands():
    """Counts the commands redis-py sends (allauth's sessions in Redis; the throttles' cache)."""
    original, calls = redis.Redis.execute_command, []

    def execute_command(self, *args, **options):
        calls.append(args[0])
        return original(self, *args, **options)

    with mock.patch.object(redis.Redis, "execute_command", execute_command):
        yield calls


def summarize(captured, health_checks=(), redis_commands=()):
    sql = [query["sql"] for query in captured]
    return {
        "queries": len(sql),
        "health_checks": len(health_checks),
        "round_trips": len(sql) + len(health_checks),
        "redis_commands": len(redis_commands),
        "writes": sum(1 for text in sql if text.lstrip().upper().startswith(WRITE_VERBS)),
        "sql": [text[:3000] for text in sql],
    }


def count_request(client, path, headers):
    with (
        CaptureQueriesContext(connection) as captured,
        counted_health_checks() as health_checks,
        counted_redis_commands() as redis_commands,
    ):
        # What a WSGI server's request_started signal does (the test client mutes it): it re-arms
        # the health check, so the request's first query is preceded by a `SELECT 1`.
        close_old_connections()
        response = client.get(path, HTTP_HOST=HOST, **headers)
    if response.status_code != 200:
        raise RuntimeError(f"GET {path}: {response.status_code} {response.content[:200]!r}")
    return summarize(captured.captured_queries, health_checks, redis_commands)


def count_authentication(path, headers):
    """Only the authentication step, as the view runs it (authentication_step)."""
    step = authentication_step(path)
    django_request = RequestFactory().get(path, HTTP_HOST=HOST, **headers)
    with CaptureQueriesContext(connection) as captured, counted_redis_commands() as redis_commands:
        authenticated = step(django_request)
    return {**summarize(captured.captured_queries, redis_commands=redis_commands), "authenticated": authenticated}


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
