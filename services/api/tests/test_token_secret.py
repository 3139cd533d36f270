"""A token is its 15-character lookup key plus a secret: the key finds the row, only the secret logs in.

The key is not secret enough to be a credential (it is stored in clear and indexed), so a token
with the right key and any other secret must be refused on both transports, and must leave the
real session as it was.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework.test import APIClient

from accounts.models import AuthToken
from tests.conftest import PASSWORD, auth, login_token

pytestmark = pytest.mark.django_db

KEY = CONSTANTS.TOKEN_KEY_LENGTH
COOKIE_MODE: dict[str, Any] = {"HTTP_X_AUTH_TRANSPORT": "cookie"}


def other_hex(char):
    return "0" if char != "0" else "1"


def forgeries(token):
    """Tokens that share the real token's key but not its secret."""
    key, secret = token[:KEY], token[KEY:]
    return {
        "every secret character changed": key + "".join(other_hex(c) for c in secret),
        "last character changed": token[:-1] + other_hex(token[-1]),
        "first secret character changed": key + other_hex(secret[0]) + secret[1:],
        "the key alone": key,
        "the key and a short secret": key + secret[:8],
        "the key and a longer secret": token + "0",
    }


@pytest.fixture
def ada(make_user):
    return make_user(username="ada")


def test_the_right_key_with_a_wrong_secret_is_refused_in_the_header(client, ada):
    token = login_token(client)
    for name, forged in forgeries(token).items():
        response = client.get("/api/auth/me/", **auth(forged))
        assert response.status_code == 401, name
        assert response.json()["code"] == "authentication_failed", name
    assert client.get("/api/auth/me/", **auth(token)).status_code == 200


def test_the_right_key_with_a_wrong_secret_cannot_log_out_the_session(client, ada):
    token = login_token(client)
    forged = forgeries(token)["every secret character changed"]
    assert client.post("/api/auth/logout/", **auth(forged)).status_code == 401
    assert client.post("/api/auth/logout-all/", **auth(forged)).status_code == 401
    assert AuthToken.objects.count() == 1
    assert client.get("/api/auth/me/", **auth(token)).status_code == 200


def test_a_refused_secret_does_not_renew_the_session(client, ada):
    token = login_token(client)
    long_ago = timezone.now() - timedelta(hours=1)
    AuthToken.objects.update(last_seen=long_ago, expiry=timezone.now() + timedelta(minutes=5))
    before = AuthToken.objects.values("last_seen", "expiry").get()
    assert client.get("/api/auth/me/", **auth(forgeries(token)["last character changed"])).status_code == 401
    assert AuthToken.objects.values("last_seen", "expiry").get() == before


def cookie_client():
    client = APIClient(enforce_csrf_checks=True)
    client.get("/api/auth/csrf/")
    response = client.post(
        "/api/auth/login/",
        {"email": "ada@example.com", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        **COOKIE_MODE,
    )
    assert response.status_code == 200, response.content
    return client, client.cookies["auth_token"].value


def test_the_right_key_with_a_wrong_secret_is_refused_in_the_cookie(ada):
    client, token = cookie_client()
    for name, forged in forgeries(token).items():
        client.cookies["auth_token"] = forged
        response = client.get("/api/auth/me/", **COOKIE_MODE)
        assert response.status_code == 401, name
        assert response.json()["code"] == "authentication_failed", name
    client.cookies["auth_token"] = token
    assert client.get("/api/auth/me/", **COOKIE_MODE).status_code == 200


def test_a_wrong_secret_in_the_cookie_is_refused_even_with_a_valid_csrf_token(ada):
    client, token = cookie_client()
    client.cookies["auth_token"] = forgeries(token)["every secret character changed"]
    response = client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value, **COOKIE_MODE)
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    assert AuthToken.objects.count() == 1


def test_tokens_sharing_a_key_each_log_in_as_their_own_user(client, make_user):
    # A key collision (or a row planted under someone's key): only the secret decides who you are.
    make_user(email="ada@example.com")
    bob = make_user(email="bob@example.com")
    ada_token = login_token(client, email="ada@example.com")
    bob_token = ada_token[:KEY] + "".join(other_hex(c) for c in ada_token[KEY:])
    AuthToken(
        user=bob,
        token_key=bob_token[:KEY],
        digest=hash_token(bob_token),
        expiry=timezone.now() + timedelta(hours=1),
        session_started_at=timezone.now(),
    ).save(force_insert=True)
    assert client.get("/api/auth/me/", **auth(ada_token)).json()["email"] == "ada@example.com"
    assert client.get("/api/auth/me/", **auth(bob_token)).json()["email"] == "bob@example.com"
    neither = ada_token[:-1] + other_hex(ada_token[-1])
    assert client.get("/api/auth/me/", **auth(neither)).status_code == 401
