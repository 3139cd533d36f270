"""`manage.py bench_seed`: the benchmark's database, in seconds rather than hours.

Bulk rows come from `INSERT … SELECT … FROM generate_series` with one precomputed password
hash (hashing 100 000 Argon2 passwords would take longer than the whole benchmark). The three
benchmark users are made the way the API makes them: `create_user`, the member role, and their
tokens from `accounts.sessions.start_session`, so their rows are exactly what a login writes.
Each has a twin with the same tokens and second factors (an authenticator app, a passkey and
recovery codes), to show that factors cost the hot path nothing. Each also has as many live
sessions of django-allauth headless' app client in the database and again in Redis: one from a
real login through allauth's headless login endpoint, the others with that session's data.

For the login comparison (password, password + TOTP, passkey), three sets of confirmed members
made alike (the precomputed hash, the member role) that differ only in their factors, stored as
the API stores them: the TOTP seed encrypted by accounts.secret_box and confirmed, with the
recovery codes a first factor makes; or a passkey (a discoverable credential with user
verification) whose EC P-256 key pair is made here, under the account's random user handle.

The raw credentials (tokens, TOTP seeds, the passkeys' private keys) go to a JSON file for the
load driver (bench/run.py), which is the client side: it computes the codes and signs the
assertions itself.
"""

import base64
import json
import secrets
import statistics
import time
import uuid
from pathlib import Path

import cbor2
import pyotp
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat
from django.conf import settings
from django.contrib.auth.hashers import get_hasher, make_password
from django.contrib.auth.models import Group
from django.contrib.sessions.backends import db as db_sessions
from django.contrib.sessions.models import Session
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework_simplejwt.tokens import AccessToken

from accounts import factors, recovery_codes, roles, sessions
from accounts.models import AuthToken, TOTPDevice, User, WebAuthnCredential, WebAuthnUserHandle
from accounts.secret_box import encrypt
from bench import allauth_sessions

# Every seeded and benchmark account shares it; it only ever exists on a throw-away database.
BENCH_PASSWORD = "bench passphrase for throwaway accounts"  # nosec B105
SEED_EMAIL = "seed-{}@example.com"
BENCH_EMAIL = "bench-{}-tokens@example.com"
FACTORS_EMAIL = "bench-{}-tokens-factors@example.com"
LOGIN_EMAIL = "bench-login-{}-{}@example.com"  # the kind of account, its number
LOGIN_KINDS = ("password", "totp", "passkey")
PASSKEY_NAME = "bench passkey"
# What a registration with attestation "none" stores (py_webauthn's aaguid of an anonymous authenticator).
NO_AAGUID = str(uuid.UUID(int=0))

# Literal table names keep the SQL free of string formatting; checked against the models below.
USER_TABLE, TOKEN_TABLE = "accounts_user", "accounts_authtoken"
FACTOR_TABLES = ("accounts_totpdevice", "accounts_webauthncredential", "accounts_webauthnuserhandle")

INSERT_USERS = """
INSERT INTO accounts_user (password, last_login, is_superuser, username, first_name, last_name, email,
                           is_staff, is_active, date_joined, email_confirmed, language)
SELECT %s, NULL, false, NULL, '', '', 'seed-' || g || '@example.com', false, true, now(), true, %s
FROM generate_series(1, %s) AS g
"""

# Live tokens of the seeded users, spread evenly over them. Digests are unique SHA-512 hex
# strings like knox's; nobody knows a raw token for them, which is all the table needs.
INSERT_TOKENS = """
INSERT INTO accounts_authtoken (digest, token_key, user_id, created, expiry, public_id, session_started_at,
                                last_seen, user_agent, ip, auth_method, second_factor, authenticated_at)
SELECT encode(sha512(convert_to(%s || g, 'UTF8')), 'hex'), substr(md5(%s || g), 1, 15),
       %s + (g %% %s), now(), now() + make_interval(secs => %s + (g %% %s)), gen_random_uuid(), now(), now(),
       'bench-seed', NULL, 'password', '', now()
FROM generate_series(1, %s) AS g
"""


def check_tables():
    if (User._meta.db_table, AuthToken._meta.db_table) != (USER_TABLE, TOKEN_TABLE):
        raise CommandError("bench_seed expects the default table names accounts_user and accounts_authtoken")
    if tuple(model._meta.db_table for model in (TOTPDevice, WebAuthnCredential, WebAuthnUserHandle)) != FACTOR_TABLES:
        raise CommandError(f"bench_seed expects the default table names {', '.join(FACTOR_TABLES)}")
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
        cursor.execute("VACUUM ANALYZE accounts_totpdevice")
        cursor.execute("VACUUM ANALYZE accounts_webauthncredential")
        cursor.execute("VACUUM ANALYZE accounts_webauthnuserhandle")
        cursor.execute("VACUUM ANALYZE django_session")


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


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def member_with_tokens(email, level, request):
    """A confirmed member with exactly `level` live tokens; returns it and its newest raw token."""
    user = User.objects.create_user(email=email, password=BENCH_PASSWORD, email_confirmed=True)
    roles.give_role(user, roles.MEMBER)
    raw = None
    for _ in range(level):
        _, raw = sessions.start_session(user, request)
    return user, raw


def allauth_login(email):
    """A session token of allauth headless' app client, from its own login endpoint (database sessions)."""
    response = Client(HTTP_HOST="127.0.0.1").post(
        reverse("headless:app:account:login"),
        {"email": email, "password": BENCH_PASSWORD},
        content_type="application/json",
    )
    if response.status_code != 200:
        raise CommandError(f"allauth headless login of {email}: {response.status_code} {response.content[:300]!r}")
    return response.json()["meta"]["session_token"]


def allauth_answers(user, token, store):
    """allauth's session endpoint and its DRF class answer this token with this user, in this store."""
    client = Client(HTTP_HOST="127.0.0.1")
    namespace = {"db": "headless", "redis": "headless-redis"}[store]  # bench/urls.py
    session = client.get(reverse(f"{namespace}:app:account:current_session"), HTTP_X_SESSION_TOKEN=token)
    me = client.get(reverse(f"bench-allauth-{store}-me"), HTTP_X_SESSION_TOKEN=token)
    if session.status_code != 200 or session.json()["data"]["user"]["id"] != user.pk:
        raise CommandError(
            f"allauth session ({store}) of {user.email}: {session.status_code} {session.content[:300]!r}"
        )
    if me.status_code != 200 or me.json()["id"] != user.pk:
        raise CommandError(f"allauth DRF view ({store}) of {user.email}: {me.status_code} {me.content[:300]!r}")


def allauth_sessions_of(user, level):
    """`level` live sessions of allauth headless' app client in the database, and `level` in Redis.

    Its session token is the session's key (allauth's SessionTokenStrategy). One comes from a real
    login through allauth's headless login endpoint; the others are new sessions, each with its
    own key, holding that session's data (the user, the backend, the HMAC of the password hash,
    the authentication method), which is what every other login of the user would write. Returns
    the login's token and the newest Redis session's."""
    token = allauth_login(user.email)
    data = db_sessions.SessionStore(token).load()

    def sessions_like_it(store, count):
        key = None
        for _ in range(count):
            session = store()
            session.update(data)
            session.create()
            key = session.session_key
        return key

    sessions_like_it(db_sessions.SessionStore, level - 1)
    tokens = {"db": token, "redis": sessions_like_it(allauth_sessions.RedisSessionStore, level)}
    for store, value in tokens.items():
        allauth_answers(user, value, store)
    return tokens


def make_bench_user(level, request):
    """A benchmark user with `level` tokens (and as many allauth sessions in the database and in
    Redis), and its twin with the same tokens and second factors; returns their credentials."""
    user, raw = member_with_tokens(BENCH_EMAIL.format(level), level, request)
    twin, twin_raw = member_with_tokens(FACTORS_EMAIL.format(level), level, request)
    add_totp([twin])
    add_passkeys([twin])
    if not (factors.has_totp(twin) and factors.has_webauthn(twin) and recovery_codes.remaining(twin)):
        raise CommandError(f"{twin.email} did not get its second factors")
    return {
        "email": user.email,
        "user_id": user.pk,
        "knox_token": raw,  # the newest of its `level` tokens
        "drf_token": Token.objects.create(user=user).key,
        "jwt": str(AccessToken.for_user(user)),
        # X-Session-Token of allauth headless' app client: {"db": ..., "redis": ...}.
        "allauth": allauth_sessions_of(user, level),
        "factors": {"email": twin.email, "user_id": twin.pk, "knox_token": twin_raw},
    }


def login_accounts(kind, count, password_hash):
    """`count` confirmed members made alike: the precomputed hash, the member role."""
    users = User.objects.bulk_create(
        User(email=LOGIN_EMAIL.format(kind, n), password=password_hash, email_confirmed=True) for n in range(count)
    )
    member, _ = Group.objects.get_or_create(name=roles.MEMBER)  # what roles.give_role stores
    User.groups.through.objects.bulk_create(User.groups.through(user_id=u.pk, group_id=member.pk) for u in users)
    return users


def add_totp(users):
    """A confirmed authenticator app for each user, as accounts.totp.confirm_setup leaves it: the
    seed encrypted, no step used yet, and the recovery codes of a first factor. Returns the seeds."""
    seeds = [pyotp.random_base32() for _ in users]
    now = timezone.now()
    TOTPDevice.objects.bulk_create(
        TOTPDevice(user=user, encrypted_secret=encrypt(seed), confirmed_at=now)
        for user, seed in zip(users, seeds, strict=True)
    )
    for user in users:
        recovery_codes.replace_codes(user)
    return seeds


def new_key_pair():
    """An EC P-256 key pair as a passkey holds it: the public key as a COSE_Key (kty EC2, alg
    ES256, crv P-256: what a registration stores), the private key in PKCS#8 PEM for the driver."""
    private = ec.generate_private_key(ec.SECP256R1())
    numbers = private.public_key().public_numbers()
    cose = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
    pem = private.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()).decode("ascii")
    return cbor2.dumps(cose), pem


def add_passkeys(users):
    """A passkey for each user, as accounts.passkeys.complete_registration stores one (passwordless:
    discoverable, user verification), under a random user handle, with the recovery codes of a first
    factor (for those without a factor yet). Returns what the driver needs to sign with each."""
    first = {user.pk for user in users if not factors.any_factor(user)}
    handles = [secrets.token_bytes(32) for _ in users]
    WebAuthnUserHandle.objects.bulk_create(
        WebAuthnUserHandle(user=user, handle=handle) for user, handle in zip(users, handles, strict=True)
    )
    keys = [new_key_pair() for _ in users]
    credential_ids = [secrets.token_bytes(32) for _ in users]
    WebAuthnCredential.objects.bulk_create(
        WebAuthnCredential(
            user=user,
            credential_id=credential_id,
            public_key=cose,
            sign_count=0,
            name=PASSKEY_NAME,
            passwordless=True,
            transports="internal",
            aaguid=NO_AAGUID,
        )
        for user, credential_id, (cose, _) in zip(users, credential_ids, keys, strict=True)
    )
    for user in users:
        if user.pk in first:
            recovery_codes.replace_codes(user)
    return [
        {"credential_id": b64url(credential_id), "user_handle": b64url(handle), "private_key_pem": pem}
        for credential_id, handle, (_, pem) in zip(credential_ids, handles, keys, strict=True)
    ]


def make_login_accounts(counts, password_hash):
    """The login comparison's accounts: {kind: [credentials]} for kinds password, totp, passkey."""
    made = {kind: login_accounts(kind, counts[kind], password_hash) for kind in LOGIN_KINDS}
    seeds = add_totp(made["totp"])
    passkeys = add_passkeys(made["passkey"])
    return {
        "password": [{"email": user.email} for user in made["password"]],
        "totp": [{"email": user.email, "totp_secret": seed} for user, seed in zip(made["totp"], seeds, strict=True)],
        "passkey": [{"email": user.email, **key} for user, key in zip(made["passkey"], passkeys, strict=True)],
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
        for kind, default, what in (
            ("password", 200, "without a second factor"),
            # Each is used at most once per 30-s step (TOTP's replay guard): enough that the
            # driver never has to wait for one.
            ("totp", 4000, "with an authenticator app"),
            ("passkey", 200, "with a passkey"),
        ):
            parser.add_argument(
                f"--{kind}-accounts",
                type=int,
                default=default,
                help=f"Accounts {what} for the login comparison (default {default}).",
            )
        parser.add_argument("--out", required=True, help="Where to write the credentials (JSON).")

    def handle(self, *args, users, tokens, levels, out, password_accounts, totp_accounts, passkey_accounts, **options):
        check_tables()
        levels = [int(level) for level in levels.split(",")]
        started = time.monotonic()
        password_hash = make_password(BENCH_PASSWORD)
        with transaction.atomic(), connection.cursor() as cursor:
            # The model's default language (not a database default: INSERT must name it).
            cursor.execute(INSERT_USERS, [password_hash, User._meta.get_field("language").default, users])
        users_done = time.monotonic()

        request = RequestFactory().get("/api/auth/login/", HTTP_USER_AGENT="bench/1.0", REMOTE_ADDR="127.0.0.1")
        with transaction.atomic():
            bench_users = {str(level): make_bench_user(level, request) for level in levels}
        with transaction.atomic():
            accounts = {"password": password_accounts, "totp": totp_accounts, "passkey": passkey_accounts}
            logins = make_login_accounts(accounts, password_hash)
        logins_done = time.monotonic()
        bulk_tokens = max(tokens - 2 * sum(levels), 0)
        with transaction.atomic():
            ttl = int(settings.TOKEN_TTL.total_seconds())
            insert_tokens("seed-live-", bulk_tokens, ttl // 2, ttl // 2)  # expiring in 5 to 10 hours
        vacuum_analyze()

        credentials = {
            "password": BENCH_PASSWORD,
            "users": bench_users,
            "login_emails": [SEED_EMAIL.format(i) for i in range(1, 9)],
            "login_accounts": logins,
            # The relying party the assertions are for: configured, never a request's Host or Origin.
            "webauthn": {"rp_id": settings.WEBAUTHN_RP_ID, "origin": settings.WEBAUTHN_ORIGINS[0]},
            "counts": {
                "users": User.objects.count(),
                "tokens": AuthToken.objects.count(),
                "totp_devices": TOTPDevice.objects.filter(confirmed_at__isnull=False).count(),
                "webauthn_credentials": WebAuthnCredential.objects.count(),
                "allauth_db_sessions": Session.objects.count(),
                "allauth_redis_sessions": sum(levels),  # as many as in the database, made above
            },
            "hasher": hasher_parameters(),
            "seconds": {
                "users": round(users_done - started, 2),
                "login_accounts": round(logins_done - users_done, 2),  # the benchmark users and their twins too
                "total": round(time.monotonic() - started, 2),
            },
        }
        path = Path(out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(credentials, indent=2))
        path.chmod(0o600)
        self.stdout.write(json.dumps({"counts": credentials["counts"], "seconds": credentials["seconds"]}))
