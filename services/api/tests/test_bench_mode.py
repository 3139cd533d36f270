"""Benchmark mode (BENCH_MODE, `make bench`): off by default, refused in production, and when on,
every comparison endpoint serves exactly the payload of GET /api/auth/me/."""

import json
import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

API_DIR = Path(__file__).resolve().parents[1]


def run_django(script, tmp_path=None, **env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV", "BENCH_", "DATABASE_URL"))}
    database = {"DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"} if tmp_path else {}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=API_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **database, **env},
    )


def test_bench_endpoints_do_not_exist_by_default(client):
    response = client.get("/api/bench/ceiling/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert client.get("/api/bench/knox/me/").status_code == 404
    assert client.post("/api/bench/login-without-log/").status_code == 404
    assert client.get("/api/bench/allauth/db/_allauth/app/v1/auth/session").status_code == 404
    assert client.get("/api/bench/allauth/redis/me/").status_code == 404


def test_production_refuses_bench_mode():
    result = run_django(
        "import django; django.setup(); print('loaded')",
        APP_ENV="production",
        BENCH_MODE="true",
        DJANGO_SECRET_KEY="k" * 60,
        DJANGO_ALLOWED_HOSTS="example.com",
        MFA_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
    )
    assert result.returncode != 0
    assert "BENCH_MODE must not be enabled with APP_ENV=production" in result.stderr


BENCH_SCRIPT = """
import json
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import Group
from django.test import Client, RequestFactory
from rest_framework.authtoken.models import Token
from rest_framework_simplejwt.tokens import AccessToken
from accounts import sessions
from accounts.models import User

user = User.objects.create_user(email="ada@example.com", password="a perfectly fine passphrase", email_confirmed=True)
user.groups.add(Group.objects.get_or_create(name="member")[0])
_, raw = sessions.start_session(user, RequestFactory().get("/"))
drf_key = Token.objects.create(user=user).key
client = Client(HTTP_HOST="127.0.0.1")
answers = {
    "me": client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Token {raw}"),
    "knox": client.get("/api/bench/knox/me/", HTTP_AUTHORIZATION=f"Token {raw}"),
    "drf_token": client.get("/api/bench/drf-token/me/", HTTP_AUTHORIZATION=f"Token {drf_key}"),
    "jwt": client.get("/api/bench/jwt/me/", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(user)}"),
    "ceiling": client.get("/api/bench/ceiling/"),
    "knox_anonymous": client.get("/api/bench/knox/me/"),
}
print(json.dumps({name: [r.status_code, r.json()] for name, r in answers.items()}))
"""


def test_bench_mode_serves_the_me_payload_behind_each_authentication_class(tmp_path):
    result = run_django(BENCH_SCRIPT, tmp_path, APP_ENV="development", BENCH_MODE="true")
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    status, me = answers.pop("me")
    assert status == 200 and me["email"] == "ada@example.com" and me["roles"] == ["member"]
    assert answers.pop("ceiling") == [200, {"status": "ok"}]
    assert answers.pop("knox_anonymous")[0] == 401
    assert answers == {name: [200, me] for name in ("knox", "drf_token", "jwt")}


ALLAUTH_SCRIPT = """
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
call_command("migrate", verbosity=0)
from django.contrib.auth.models import Group
from django.contrib.sessions.backends import db
from accounts import sessions
from accounts.models import User
from bench import allauth_sessions

password = "a perfectly fine passphrase"
user = User.objects.create_user(email="ada@example.com", password=password, email_confirmed=True)
user.groups.add(Group.objects.get_or_create(name="member")[0])
client = Client(HTTP_HOST="127.0.0.1")
login = client.post(
    "/api/bench/allauth/db/_allauth/app/v1/auth/login",
    {"email": "ada@example.com", "password": password},
    content_type="application/json",
)
token = login.json()["meta"]["session_token"]
# The Redis variant's store is Django's cache-backed sessions: here in memory, not in Redis.
memory = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
with override_settings(CACHES={**settings.CACHES, "bench_sessions": memory}):
    in_redis = allauth_sessions.RedisSessionStore()
    in_redis.update(db.SessionStore(token).load())
    in_redis.create()
    answers = {
        "login": login,
        "session_db": client.get("/api/bench/allauth/db/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=token),
        "drf_db": client.get("/api/bench/allauth/db/me/", HTTP_X_SESSION_TOKEN=token),
        "session_redis": client.get(
            "/api/bench/allauth/redis/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=in_redis.session_key
        ),
        "drf_redis": client.get("/api/bench/allauth/redis/me/", HTTP_X_SESSION_TOKEN=in_redis.session_key),
        # Each prefix looks in its own store only.
        "session_redis_db_token": client.get(
            "/api/bench/allauth/redis/_allauth/app/v1/auth/session", HTTP_X_SESSION_TOKEN=token
        ),
        "drf_db_redis_token": client.get("/api/bench/allauth/db/me/", HTTP_X_SESSION_TOKEN=in_redis.session_key),
    }
_, raw = sessions.start_session(user, RequestFactory().get("/"))
me = client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Token {raw}")
result = {name: [r.status_code, r.json()] for name, r in answers.items()}
result["me"] = [me.status_code, me.json()]
# allauth's AccountMiddleware (request.allauth) runs for its prefix only.
result["middleware"] = [hasattr(r.wsgi_request, "allauth") for r in (answers["session_db"], answers["drf_redis"], me)]
print(json.dumps(result))
"""


def test_bench_mode_serves_allauth_headless_with_database_and_redis_sessions(tmp_path):
    result = run_django(ALLAUTH_SCRIPT, tmp_path, APP_ENV="development", BENCH_MODE="true")
    assert result.returncode == 0, result.stderr
    answers = json.loads(result.stdout.strip().splitlines()[-1])
    status, me = answers.pop("me")
    assert status == 200 and me["roles"] == ["member"]
    assert answers.pop("login")[0] == 200
    for name in ("session_db", "session_redis"):
        status, body = answers.pop(name)
        assert status == 200 and body["meta"]["is_authenticated"] is True
        assert {key: body["data"]["user"][key] for key in ("id", "email")} == {"id": me["id"], "email": me["email"]}
    assert answers.pop("drf_db") == [200, me]
    assert answers.pop("drf_redis") == [200, me]
    assert answers.pop("session_redis_db_token")[0] == 410  # allauth: the session is gone
    assert answers.pop("drf_db_redis_token")[0] == 403  # no credentials DRF accepts
    assert answers.pop("middleware") == [True, True, False]
    assert answers == {}
