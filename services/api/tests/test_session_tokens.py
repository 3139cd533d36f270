from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import AuthToken
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

COOKIE_MODE: dict[str, Any] = {"HTTP_X_AUTH_TRANSPORT": "cookie"}


@pytest.fixture
def token(client, make_user):
    make_user(username="ada")
    return client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json").json()[
        "token"
    ]


def me(client, token=None, **extra):
    if token:
        extra["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client.get("/api/auth/me/", **extra)


def test_me_returns_the_user(client, token):
    response = me(client, token)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {
        "id",
        "email",
        "username",
        "first_name",
        "last_name",
        "language",
        "email_confirmed",
        "date_joined",
        "roles",
    }
    assert data["email"] == "ada@example.com" and data["email_confirmed"] is True


@pytest.mark.parametrize(
    "header, code",
    [
        (None, "not_authenticated"),
        ("Token abc", "authentication_failed"),
        ("Token " + "0" * 64, "authentication_failed"),
        ("Token zz" + "0" * 62, "authentication_failed"),
        ("Token", "authentication_failed"),
        ("Token a b", "authentication_failed"),
    ],
)
def test_me_without_a_valid_token_is_401(client, token, header, code):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/auth/me/", **extra)
    assert response.status_code == 401
    assert response.json()["code"] == code


def test_logout_revokes_the_token_used_only(client, make_user, token):
    other = client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json").json()[
        "token"
    ]
    response = client.post("/api/auth/logout/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 204
    assert me(client, token).status_code == 401
    assert me(client, other).status_code == 200


def test_expired_token_is_refused(client, token):
    AuthToken.objects.update(expiry=timezone.now() - timedelta(seconds=1))
    assert me(client, token).status_code == 401


def test_deactivated_users_token_stops_working_at_once(client, token):
    from accounts.models import User

    User.objects.update(is_active=False)
    assert me(client, token).status_code == 401


def cookie_login(client):
    client.get("/api/auth/csrf/")
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/auth/login/",
        {"email": "ada@example.com", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=csrf,
        **COOKIE_MODE,
    )
    return response


def test_cookie_login_sets_httponly_cookie_and_returns_no_token(make_user):
    make_user()
    client = APIClient(enforce_csrf_checks=True)
    old_csrf = (client.get("/api/auth/csrf/"), client.cookies["csrftoken"].value)[1]
    response = cookie_login(client)
    assert response.status_code == 200
    assert "token" not in response.json() and set(response.json()) == {"expiry", "user"}
    cookie = response.cookies["auth_token"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/api/"
    assert len(cookie.value) == 64
    assert "sessionid" not in response.cookies
    # The CSRF token is rotated at login.
    assert response.cookies["csrftoken"].value != old_csrf
    assert client.get("/api/auth/me/", **COOKIE_MODE).status_code == 200


def test_cookie_is_secure_outside_development(make_user, settings):
    settings.AUTH_COOKIE_SECURE = True
    make_user()
    response = cookie_login(APIClient(enforce_csrf_checks=True))
    assert response.cookies["auth_token"]["secure"]


def test_cookie_login_without_csrf_is_refused(make_user):
    make_user()
    client = APIClient(enforce_csrf_checks=True)
    response = client.post(
        "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json", **COOKIE_MODE
    )
    assert response.status_code == 403
    assert response.json()["code"] == "csrf_failed"
    assert "auth_token" not in response.cookies and AuthToken.objects.count() == 0


def test_cookie_authenticated_unsafe_request_needs_csrf(make_user):
    make_user()
    client = APIClient(enforce_csrf_checks=True)
    cookie_login(client)
    refused = client.post("/api/auth/logout/", **COOKIE_MODE)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert AuthToken.objects.count() == 1
    wrong = client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN="x" * 64, **COOKIE_MODE)
    assert wrong.status_code == 403
    ok = client.post("/api/auth/logout/", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value, **COOKIE_MODE)
    assert ok.status_code == 204
    assert ok.cookies["auth_token"].value == ""
    assert AuthToken.objects.count() == 0


def test_cookie_from_a_foreign_origin_is_refused(make_user):
    make_user()
    client = APIClient(enforce_csrf_checks=True)
    cookie_login(client)
    response = client.post(
        "/api/auth/logout/",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
        HTTP_ORIGIN="https://evil.example",
        **COOKIE_MODE,
    )
    assert response.status_code == 403 and response.json()["code"] == "csrf_failed"


def test_revoked_cookie_token_is_refused(make_user):
    make_user()
    client = APIClient(enforce_csrf_checks=True)
    cookie_login(client)
    AuthToken.objects.all().delete()
    response = client.get("/api/auth/me/", **COOKIE_MODE)
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"


def test_a_logout_that_waited_for_a_refresh_ends_the_refreshed_session(client, token):
    """Attack finding: a logout authenticated just before a parallel refresh of its token left the
    refreshed token alive. The logout waits for the refresh's lock, then ends the whole session."""
    from rest_framework.test import APIRequestFactory, force_authenticate

    from accounts.api.views import LogoutView

    stale = AuthToken.objects.select_related("user").get()  # what the logout authenticated
    refreshed = client.post("/api/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {token}")
    assert refreshed.status_code == 200
    request = APIRequestFactory().post("/api/auth/logout/")
    force_authenticate(request, user=stale.user, token=stale)
    assert LogoutView.as_view()(request).status_code == 204
    assert not AuthToken.objects.exists()
    new_token = refreshed.json()["token"]
    assert client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Token {new_token}").status_code == 401


def test_a_refresh_that_loses_a_race_answers_a_full_401(client, token, monkeypatch):
    """Attack finding: the 401 of a refresh whose token went meanwhile lacked WWW-Authenticate."""
    monkeypatch.setattr("accounts.sessions._lock_user", lambda user_id: False)  # the token is gone
    response = client.post("/api/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 401 and response.json()["code"] == "authentication_failed"
    assert response["WWW-Authenticate"] == "Token"


def test_a_token_refreshed_meanwhile_cannot_be_refreshed_again(client, token):
    """Parallel refreshes of one token: each authenticated it, only the first DELETE wins."""
    from django.test import RequestFactory

    from accounts import sessions
    from accounts.errors import SessionEnded

    stale = AuthToken.objects.get()  # what a second, parallel request authenticated
    response = client.post("/api/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {token}")
    assert response.status_code == 200
    with pytest.raises(SessionEnded):  # answered 401 authentication_failed (core.errors)
        sessions.refresh(stale, RequestFactory().post("/api/auth/token/refresh/"))
    assert AuthToken.objects.count() == 1  # only the first refresh's new token


def test_a_refreshed_session_keeps_its_id_and_start_so_revoking_it_by_id_still_works(client, token):
    """The sessions page shows an id; a thief's refresh must not make that id stale."""
    owner = APIClient()
    owner_token = owner.post(
        "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json"
    ).json()["token"]
    before = {s["id"]: s for s in owner.get("/api/auth/sessions/", HTTP_AUTHORIZATION=f"Token {owner_token}").json()}
    refreshed = client.post("/api/auth/token/refresh/", HTTP_AUTHORIZATION=f"Token {token}").json()["token"]
    after = {s["id"]: s for s in owner.get("/api/auth/sessions/", HTTP_AUTHORIZATION=f"Token {owner_token}").json()}
    assert after.keys() == before.keys()
    assert all(after[i]["created"] == before[i]["created"] for i in before)
    (stolen_id,) = [i for i, s in before.items() if not s["current"]]
    revoked = owner.delete(f"/api/auth/sessions/{stolen_id}/", HTTP_AUTHORIZATION=f"Token {owner_token}")
    assert revoked.status_code == 204
    assert client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Token {refreshed}").status_code == 401
