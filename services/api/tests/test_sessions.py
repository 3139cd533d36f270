from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.models import AuthToken
from tests.conftest import auth, login_token

pytestmark = pytest.mark.django_db


@pytest.fixture
def ada(make_user):
    return make_user()


def test_sessions_lists_active_tokens_with_details_and_current(client, ada):
    first = login_token(client, HTTP_USER_AGENT="Firefox/1", REMOTE_ADDR="203.0.113.7")
    second = login_token(client, HTTP_USER_AGENT="Chrome/2")
    response = client.get("/api/auth/sessions/", **auth(second))
    assert response.status_code == 200
    rows = response.json()
    assert [row["user_agent"] for row in rows] == ["Chrome/2", "Firefox/1"]
    assert [row["current"] for row in rows] == [True, False]
    assert set(rows[0]) == {
        "id",
        "created",
        "expiry",
        "last_seen",
        "user_agent",
        "ip",
        "auth_method",
        "second_factor",
        "current",
    }
    assert (rows[0]["auth_method"], rows[0]["second_factor"]) == ("password", None)
    assert rows[1]["ip"] == "203.0.113.7"
    assert first not in response.content.decode()  # never the raw token


def test_spoofed_forwarded_for_is_not_the_recorded_ip(client, ada):
    # Exactly one trusted hop: the gateway overwrites X-Forwarded-For with the peer address.
    token = login_token(client, HTTP_X_FORWARDED_FOR="198.51.100.1", REMOTE_ADDR="127.0.0.1")
    (row,) = client.get("/api/auth/sessions/", **auth(token)).json()
    assert row["ip"] == "198.51.100.1"  # the gateway's value is the one hop we trust
    token = login_token(client, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.2")
    rows = client.get("/api/auth/sessions/", **auth(token)).json()
    assert rows[0]["ip"] == "198.51.100.2"  # a client-prepended value is ignored


def test_revoke_another_session(client, ada):
    mine = login_token(client)
    other = login_token(client)
    other_id = next(r["id"] for r in client.get("/api/auth/sessions/", **auth(mine)).json() if not r["current"])
    assert client.delete(f"/api/auth/sessions/{other_id}/", **auth(mine)).status_code == 204
    assert client.get("/api/auth/me/", **auth(other)).status_code == 401
    assert client.get("/api/auth/me/", **auth(mine)).status_code == 200


def test_revoking_someone_elses_session_is_404(client, make_user):
    make_user()
    make_user(email="bob@example.com")
    ada_token = login_token(client)
    bob_token = login_token(client, email="bob@example.com")
    bob_session = client.get("/api/auth/sessions/", **auth(bob_token)).json()[0]["id"]
    response = client.delete(f"/api/auth/sessions/{bob_session}/", **auth(ada_token))
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get("/api/auth/me/", **auth(bob_token)).status_code == 200
    assert client.delete("/api/auth/sessions/not-a-uuid/", **auth(ada_token)).status_code == 404


def test_logout_all_revokes_every_token(client, ada):
    tokens = [login_token(client) for _ in range(3)]
    assert client.post("/api/auth/logout-all/", **auth(tokens[0])).status_code == 204
    assert all(client.get("/api/auth/me/", **auth(t)).status_code == 401 for t in tokens)
    assert AuthToken.objects.count() == 0


def test_refresh_issues_a_new_token_and_revokes_the_old(client, ada):
    old = login_token(client)
    response = client.post("/api/auth/token/refresh/", **auth(old))
    assert response.status_code == 200
    new = response.json()["token"]
    assert set(response.json()) == {"token", "expiry"} and new != old
    assert client.get("/api/auth/me/", **auth(old)).status_code == 401
    assert client.get("/api/auth/me/", **auth(new)).status_code == 200


def test_refresh_keeps_the_absolute_cap(client, ada, settings):
    token = login_token(client)
    started = timezone.now() - settings.TOKEN_MAX_LIFETIME + timedelta(minutes=5)
    AuthToken.objects.update(session_started_at=started)
    new = client.post("/api/auth/token/refresh/", **auth(token)).json()["token"]
    new_row = AuthToken.objects.get()
    assert new_row.session_started_at == started
    assert new_row.expiry <= started + settings.TOKEN_MAX_LIFETIME
    assert client.get("/api/auth/me/", **auth(new)).status_code == 200


def test_sliding_renewal_writes_at_most_once_per_interval(client, ada, settings):
    token = login_token(client)
    row = AuthToken.objects.get()
    # Fresh token: the whole request is one query (token, user and role names) and no write.
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/api/auth/me/", **auth(token))
    assert response.status_code == 200
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]
    assert AuthToken.objects.get().expiry == row.expiry
    # After the interval, one UPDATE renews expiry and last_seen.
    AuthToken.objects.update(
        last_seen=timezone.now() - settings.TOKEN_TOUCH_INTERVAL - timedelta(seconds=1),
        expiry=timezone.now() + timedelta(minutes=1),
    )
    with CaptureQueriesContext(connection) as queries:
        client.get("/api/auth/me/", **auth(token))
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT", "UPDATE"]
    with CaptureQueriesContext(connection) as queries:  # and the next request is back to one read
        client.get("/api/auth/me/", **auth(token))
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"]
    renewed = AuthToken.objects.get()
    assert renewed.expiry > timezone.now() + settings.TOKEN_TTL - timedelta(minutes=1)


def test_the_user_payload_comes_with_the_one_authentication_query(client, ada):
    from django.contrib.auth.models import Group

    ada.groups.set([Group.objects.get_or_create(name=name)[0] for name in ("member", "support", "admin")])
    token = login_token(client)
    with CaptureQueriesContext(connection) as queries:
        body = client.get("/api/auth/me/", **auth(token)).json()
    assert body["roles"] == ["admin", "member", "support"] and len(queries.captured_queries) == 1
    ada.groups.clear()  # a change of roles shows on the very next request
    assert client.get("/api/auth/me/", **auth(token)).json()["roles"] == []


def test_sliding_renewal_never_passes_the_absolute_cap(client, ada, settings):
    token = login_token(client)
    started = timezone.now() - settings.TOKEN_MAX_LIFETIME + timedelta(minutes=2)
    AuthToken.objects.update(session_started_at=started, last_seen=None, expiry=timezone.now() + timedelta(minutes=1))
    client.get("/api/auth/me/", **auth(token))
    assert AuthToken.objects.get().expiry == started + settings.TOKEN_MAX_LIFETIME


def test_cookie_refresh_replaces_the_cookie(ada):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.get("/api/auth/csrf/")
    login = client.post(
        "/api/auth/login/",
        {"email": "ada@example.com", "password": "a perfectly fine passphrase"},
        format="json",
        HTTP_X_AUTH_TRANSPORT="cookie",
        HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value,
    )
    old = login.cookies["auth_token"].value
    response = client.post(
        "/api/auth/token/refresh/", HTTP_X_AUTH_TRANSPORT="cookie", HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value
    )
    assert response.status_code == 200 and "token" not in response.json()
    assert response.cookies["auth_token"].value not in ("", old)
    assert response.cookies["auth_token"]["httponly"]


@pytest.mark.parametrize(
    "url, method",
    [
        ("/api/auth/sessions/", "get"),
        ("/api/auth/logout-all/", "post"),
        ("/api/auth/token/refresh/", "post"),
        ("/api/dashboard/", "get"),
    ],
)
def test_lifecycle_endpoints_need_a_token(client, url, method):
    response = getattr(client, method)(url)
    assert response.status_code == 401 and response.json()["code"] == "not_authenticated"


def test_dashboard_sample_resource(client, ada):
    response = client.get("/api/dashboard/", **auth(login_token(client)))
    assert response.status_code == 200
    assert response.json()["message"] == "Hello, ada@example.com"
    assert response.json()["user"]["email"] == "ada@example.com"
