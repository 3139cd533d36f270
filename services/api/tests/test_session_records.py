"""What a session records and shows: only the caller's live sessions, the client's own
User-Agent (bounded), and a renewal that never shortens a session."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import AuthToken
from tests.conftest import auth, login_token

pytestmark = pytest.mark.django_db


def sessions_of(client, token):
    response = client.get("/api/auth/sessions/", **auth(token))
    assert response.status_code == 200
    return response.json()


def test_the_list_shows_only_the_callers_live_sessions(client, make_user):
    ada = make_user()
    make_user(email="bob@example.com")
    current = login_token(client, HTTP_USER_AGENT="ada-now")
    login_token(client, HTTP_USER_AGENT="ada-expired")
    login_token(client, email="bob@example.com", HTTP_USER_AGENT="bob")
    AuthToken.objects.filter(user=ada, user_agent="ada-expired").update(expiry=timezone.now() - timedelta(seconds=1))
    rows = sessions_of(client, current)
    assert [row["user_agent"] for row in rows] == ["ada-now"]


def test_a_session_records_no_user_agent_when_the_client_sends_none(client, make_user):
    make_user()
    token = login_token(client)
    (row,) = sessions_of(client, token)
    assert row["user_agent"] == ""


def test_a_huge_user_agent_is_cut_to_the_column_size(client, make_user):
    # PostgreSQL refuses a value longer than the column: uncut, a long header would make login a 500.
    make_user()
    agent = "Mozilla/5.0 " + "x" * 2000
    token = login_token(client, HTTP_USER_AGENT=agent)
    (row,) = sessions_of(client, token)
    limit = AuthToken._meta.get_field("user_agent").max_length
    assert row["user_agent"] == agent[:limit]


def test_renewal_never_shortens_a_session(client, make_user, settings):
    # A token issued under a longer TOKEN_TTL keeps its expiry when the TTL is lowered.
    make_user()
    token = login_token(client)
    far = timezone.now() + timedelta(hours=5)
    AuthToken.objects.update(expiry=far, last_seen=timezone.now() - timedelta(hours=1))
    settings.TOKEN_TTL = timedelta(hours=1)
    assert client.get("/api/auth/me/", **auth(token)).status_code == 200
    stored = AuthToken.objects.get()
    assert stored.expiry == far
    assert stored.last_seen > timezone.now() - timedelta(minutes=1)  # it was a renewal


def test_a_token_stored_without_expiry_gets_the_sessions_expiry_at_its_next_use(client, make_user, settings):
    # knox allows a null expiry; such a row must not crash the renewal nor stay unbounded.
    make_user()
    token = login_token(client)
    AuthToken.objects.update(expiry=None, last_seen=timezone.now() - timedelta(hours=1))
    assert client.get("/api/auth/me/", **auth(token)).status_code == 200
    stored = AuthToken.objects.get()
    assert stored.expiry is not None
    assert stored.expiry <= stored.session_started_at + settings.TOKEN_MAX_LIFETIME
    assert stored.expiry <= timezone.now() + settings.TOKEN_TTL


def test_the_list_is_newest_session_first_and_a_refresh_keeps_a_sessions_place(client, make_user):
    make_user()
    first = login_token(client, HTTP_USER_AGENT="first")
    second = login_token(client, HTTP_USER_AGENT="second")
    refreshed = client.post("/api/auth/token/refresh/", HTTP_USER_AGENT="first", **auth(first))
    assert refreshed.status_code == 200
    rows = sessions_of(client, second)
    assert [row["user_agent"] for row in rows] == ["second", "first"]
