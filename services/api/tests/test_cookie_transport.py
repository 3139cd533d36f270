"""The web app's cookie: it lives as long as its token, logout really removes it, and a cookie
the browser mangles is a clean 401."""

from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import pytest
from rest_framework.test import APIClient

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

COOKIE_MODE: dict[str, Any] = {"HTTP_X_AUTH_TRANSPORT": "cookie"}


def cookie_login(client):
    client.get("/api/auth/csrf/")
    response = client.post(
        "/api/auth/login/",
        {"email": "ada@example.com", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        **COOKIE_MODE,
    )
    assert response.status_code == 200, response.content
    return response


def test_the_cookie_expires_with_its_token_and_outlives_the_browser_session(make_user):
    make_user()
    response = cookie_login(APIClient(enforce_csrf_checks=True))
    cookie = response.cookies["auth_token"]
    # A cookie without Expires would die with the browser window while its token lives on.
    assert cookie["expires"], "the auth cookie has no Expires"
    token_expiry = datetime.fromisoformat(response.json()["expiry"].replace("Z", "+00:00"))
    assert abs((parsedate_to_datetime(cookie["expires"]) - token_expiry).total_seconds()) <= 1


def test_logout_deletes_the_cookie_where_it_was_set(make_user):
    make_user()
    client = APIClient(enforce_csrf_checks=True)
    login = cookie_login(client)
    response = client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value, **COOKIE_MODE)
    assert response.status_code == 204
    deletion, original = response.cookies["auth_token"], login.cookies["auth_token"]
    assert deletion.value == "" and deletion["max-age"] == 0
    # A browser only replaces a cookie of the same name, domain and path: a deletion sent for
    # another path leaves the real cookie in place.
    assert deletion["path"] == original["path"] == "/api/"
    assert deletion["samesite"] == original["samesite"]


def test_a_cookie_with_characters_outside_ascii_is_a_401_not_a_500(make_user):
    make_user()
    client = APIClient()
    # WSGI hands header bytes over as latin-1: these are what a browser's odd bytes become.
    for value in ("é" * 64, "\xff" + "0" * 63, "\x80" * 64):
        client.cookies["auth_token"] = value
        response = client.get("/api/auth/me/", **COOKIE_MODE)
        assert response.status_code == 401, value
        assert response.json()["code"] == "authentication_failed"
