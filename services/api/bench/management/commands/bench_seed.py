"""`manage.py bench_seed`: the benchmark's database, in seconds rather than hours.

Bulk rows come from `INSERT … SELECT … FROM generate_series` with one precomputed password
hash (hashing 100 000 Argon2 passwords would take longer than the whole benchmark). The three
benchmark users are made the way the API makes them: `create_user`, the member role, and their
tokens from `accounts.sessions.start_session`, so their rows are exactly what a login writes.
The raw credentials go to a JSON file for the load driver (bench/run.py).
"""

import json
import statistics
import time
from pathlib import Path

from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework_simplejwt.tokens import AccessToken

from accounts import roles, sessions
from accounts.models import AuthToken, User

# Every seeded and benchmark account shares it; it only ever exists on a throw-away database.
BENCH_PASSWORD = "bench passphrase for throwaway accounts"  # nosec B105
SEED_EMAIL = "seed-{}@example.com"
BENCH_EMAIL = "bench-{}-tokens@example.com"

# Literal table names keep the SQL free of string formatting; checked against the models below.
USER_TABLE, TOKEN_TABLE = "accounts_user", "accounts_authtoken"

INSERT_USERS = """
INSERT INTO accounts_user (password, last_login, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined, email_confirmed)
SELECT %s, NULL, false, NULL, '', '', 'seed-' || g || '@example.com', false, true, now(), true
FROM generate_series(1, %s) AS g
"""

# Live tokens of the seeded users, spread evenly over them. Digests are unique SHA-512 hex
# strings like knox's; nobody knows a raw token for them, which is all the table needs.
INSERT_TOKENS = """
INSERT INTO accounts_authtoken (digest, token_key, user_id, created, expiry, public_id, session_started_at,
                                last_seen, user_agent, ip)
SELECT encode(sha512(convert_to(%s || g, 'UTF8')), 'hex'), substr(md5(%s || g), 1, 15),
       %s + (g %% %s), now(), now() + make_interval(secs => %s + (g %% %s)), gen_random_uuid(), now(), now(),
       'bench-seed', NULL
FROM generate_series(1, %s) AS g
"""


def check_tables():
    if (User._meta.db_table, AuthToken._meta.db_table) != (USER_TABLE, TOKEN_TABLE):
        raise CommandError("bench_seed expects the default table names accounts_user and accounts_authtoken")
    if connection.vendor != "postgresql":
        raise CommandError("bench_seed needs PostgreSQL (generate_series); set DATABASE_URL")


def seeded_user_ids():
    """(first id, count) of the seeded users, which one INSERT numbered consecutively."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT min(id), max(id), count(*) FROM accounts_user WHERE email LIKE %s", ["seed-%"])
        first, last, count = cursor.fetchone()
    if not count or last - first + 1 != count:
        raise CommandError("seeded users are missing or not numbered consecutively: seed a fresh database")
    return first, count


def insert_tokens(prefix, count, expires_in_seconds, spread_seconds):
    """`count` tokens of the seeded users, expiring `expires_in_seconds` from now plus up to `spread_seconds`."""
    first, users = seeded_user_ids()
    with connection.cursor() as cursor:
        cursor.execute(INSERT_TOKENS, [prefix, prefix, first, users, expires_in_seconds, max(spread_seconds, 1), count])
        return cursor.rowcount


def vacuum_analyze():
    # Fresh statistics and visibility map, as autovacuum would have on a real database.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE accounts_user")
        cursor.execute("VACUUM ANALYZE accounts_authtoken")


def hasher_parameters():
    """The default hasher, its parameters, and how long one hash takes here (median of 5, idle stack)."""
    hasher = get_hasher("default")
    names = ("time_cost", "memory_cost", "parallelism", "iterations")
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        make_password(BENCH_PASSWORD)
        timings.append(time.perf_counter() - started)
    return {
        "algorithm": hasher.algorithm,
        **{name: getattr(hasher, name) for name in names if hasattr(hasher, name)},
        "one_hash_ms": round(statistics.median(timings) * 1000, 1),
    }


def make_bench_user(level, request):
    """A confirmed member with exactly `level` live tokens; returns its credentials."""
    user = User.objects.create_user(email=BENCH_EMAIL.format(level), password=BENCH_PASSWORD, email_confirmed=True)
    roles.give_role(user, roles.MEMBER)
    raw = None
    for _ in range(level):
        _, raw = sessions.start_session(user, request)
    return {
        "email": user.email,
        "user_id": user.pk,
        "knox_token": raw,  # the newest of its `level` tokens
        "drf_token": Token.objects.create(user=user).key,
        "jwt": str(AccessToken.for_user(user)),
    }


class Command(BaseCommand):
    help = "Seed the benchmark database (PostgreSQL): bulk users and tokens, and three benchmark users."

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=100_000, help="Bulk users (default 100000).")
        parser.add_argument(
            "--tokens",
            type=int,
            default=200_000,
            help="Live tokens in all, the benchmark users' included (default 200000).",
        )
        parser.add_argument(
            "--levels",
            default="1,100,1000",
            help="Live tokens of each benchmark user, comma-separated (default 1,100,1000).",
        )
        parser.add_argument("--out", required=True, help="Where to write the credentials (JSON).")

    def handle(self, *args, users, tokens, levels, out, **options):
        check_tables()
        levels = [int(level) for level in levels.split(",")]
        started = time.monotonic()
        password_hash = make_password(BENCH_PASSWORD)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(INSERT_USERS, [password_hash, users])
        users_done = time.monotonic()

        request = RequestFactory().get("/api/auth/login/", HTTP_USER_AGENT="bench/1.0", REMOTE_ADDR="127.0.0.1")
        with transaction.atomic():
            bench_users = {str(level): make_bench_user(level, request) for level in levels}
        bulk_tokens = max(tokens - sum(levels), 0)
        with transaction.atomic():
            ttl = int(settings.TOKEN_TTL.total_seconds())
            insert_tokens("seed-live-", bulk_tokens, ttl // 2, ttl // 2)  # expiring in 5 to 10 hours
        vacuum_analyze()

        credentials = {
            "password": BENCH_PASSWORD,
            "users": bench_users,
            "login_emails": [SEED_EMAIL.format(i) for i in range(1, 9)],
            "counts": {"users": User.objects.count(), "tokens": AuthToken.objects.count()},
            "hasher": hasher_parameters(),
            "seconds": {"users": round(users_done - started, 2), "total": round(time.monotonic() - started, 2)},
        }
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(credentials, indent=2))
        path.chmod(0o600)
        self.stdout.write(json.dumps({"counts": credentials["counts"], "seconds": credentials["seconds"]}))
