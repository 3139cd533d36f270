"""Reauthentication ("sudo mode"), how each session signed in, and an administrator's MFA reset."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from django.contrib.admin.models import LogEntry
from freezegun import freeze_time

from accounts.models import AuthToken, RecoveryCode, TOTPDevice, User
from tests.conftest import PASSWORD, auth, login_token

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 1, 4, 12, 0, 0, tzinfo=UTC)
REAUTH = "/api/auth/reauthenticate/"
NEW_PASSWORD = "a different passphrase 42"


@pytest.fixture
def clock():
    with freeze_time(T0) as frozen:
        yield frozen


def post(client, url, body=None, token=None):
    return client.post(url, body, format="json", **(auth(token) if token else {}))


def code_now(secret, offset_steps=0):
    return pyotp.TOTP(secret).generate_otp(int(datetime.now(UTC).timestamp()) // 30 + offset_steps)


@pytest.fixture
def ada(client, make_user, clock):
    return make_user(), login_token(client)


def with_app(client, token, clock):
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    response = post(client, "/api/auth/mfa/totp/confirm/", {"code": code_now(secret)}, token)
    assert response.status_code == 200, response.content
    clock.tick(30)
    return secret, response.json()["recovery_codes"]


# Every sensitive action, with a body that would succeed from a fresh session.
SENSITIVE = [
    ("post", "/api/auth/password/change/", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}),
    ("post", "/api/auth/email/change/", {"new_email": "ada.new@example.com", "password": PASSWORD}),
    ("post", "/api/auth/mfa/totp/setup/", None),
    ("post", "/api/auth/mfa/totp/confirm/", {"code": "123456"}),
    ("delete", "/api/auth/mfa/totp/", {"code": "123456"}),
    ("post", "/api/auth/mfa/recovery-codes/", None),
    ("delete", "/api/auth/me/", {"password": PASSWORD}),
    ("post", "/api/auth/logout-all/", None),
]


def state(user):
    user.refresh_from_db()
    return (user.password, user.email, user.is_active, AuthToken.objects.count(), TOTPDevice.objects.count())


@pytest.mark.parametrize("method, path, body", SENSITIVE, ids=[f"{m} {p}" for m, p, _ in SENSITIVE])
def test_a_stale_session_must_reauthenticate_and_changes_nothing(client, ada, clock, outbox, method, path, body):
    user, token = ada
    clock.tick(timedelta(minutes=10, seconds=1))
    before, mails = state(user), outbox.count()
    response = getattr(client, method)(path, body, format="json", **auth(token))
    assert response.status_code == 403, response.content
    assert response.json()["code"] == "reauthentication_required"
    assert state(user) == before and outbox.count() == mails


def test_a_fresh_login_counts_as_a_recent_authentication(client, ada, clock):
    _, token = ada
    clock.tick(timedelta(minutes=9, seconds=59))
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert post(client, "/api/auth/password/change/", body, token).status_code == 200


def test_reading_and_harmless_changes_never_ask(client, ada, clock):
    _, token = ada
    clock.tick(timedelta(hours=5))
    assert client.get("/api/auth/me/", **auth(token)).status_code == 200
    assert client.patch("/api/auth/me/", {"first_name": "Ada"}, format="json", **auth(token)).status_code == 200
    assert client.get("/api/auth/sessions/", **auth(token)).status_code == 200
    assert client.get("/api/auth/mfa/", **auth(token)).status_code == 200


def test_reauthenticating_with_the_password_renews_for_the_timeout(client, ada, clock):
    _, token = ada
    clock.tick(timedelta(minutes=30))
    response = post(client, REAUTH, {"password": PASSWORD}, token)
    assert response.status_code == 200
    until = datetime.fromisoformat(response.json()["reauthenticated_until"].replace("Z", "+00:00"))
    assert until == datetime.now(UTC) + timedelta(minutes=10)
    clock.tick(timedelta(minutes=9))
    assert post(client, "/api/auth/mfa/recovery-codes/", token=token).json()["code"] == "mfa_not_enabled"
    clock.tick(timedelta(minutes=1, seconds=1))
    assert post(client, "/api/auth/mfa/recovery-codes/", token=token).json()["code"] == "reauthentication_required"


def test_a_wrong_password_does_not_renew_and_spends_the_login_budget(client, ada, clock):
    _, token = ada
    clock.tick(timedelta(minutes=30))
    statuses = [post(client, REAUTH, {"password": "not it"}, token).status_code for _ in range(11)]
    assert statuses == [400] * 10 + [429]
    # The budget is the login's: the right password is refused now too, before any hashing.
    assert post(client, REAUTH, {"password": PASSWORD}, token).status_code == 429
    assert post(client, "/api/auth/logout-all/", token=token).json()["code"] == "reauthentication_required"


def test_reauthenticating_with_a_code_and_a_replayed_code_is_refused(client, ada, clock):
    _, token = ada
    secret, _ = with_app(client, token, clock)
    clock.tick(timedelta(minutes=30))
    code = code_now(secret)
    assert post(client, REAUTH, {"code": code}, token).status_code == 200
    replay = post(client, REAUTH, {"code": code}, token)
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_code"


def test_a_code_without_an_app_is_refused(client, ada, clock):
    _, token = ada
    clock.tick(timedelta(minutes=30))
    assert post(client, REAUTH, {"code": "123456"}, token).json()["code"] == "invalid_code"


def test_another_users_code_never_reauthenticates(client, ada, make_user, clock):
    _, ada_token = ada
    make_user(email="bob@example.com")
    bob_token = login_token(client, email="bob@example.com")
    bob_secret, _ = with_app(client, bob_token, clock)
    with_app(client, ada_token, clock)
    clock.tick(timedelta(minutes=30))
    assert post(client, REAUTH, {"code": code_now(bob_secret)}, ada_token).json()["code"] == "invalid_code"


def test_a_refresh_does_not_renew_but_keeps_a_renewal(client, ada, clock):
    _, token = ada
    clock.tick(timedelta(minutes=11))
    refreshed = post(client, "/api/auth/token/refresh/", token=token).json()["token"]
    assert post(client, "/api/auth/logout-all/", token=refreshed).json()["code"] == "reauthentication_required"
    assert post(client, REAUTH, {"password": PASSWORD}, refreshed).status_code == 200
    again = post(client, "/api/auth/token/refresh/", token=refreshed).json()["token"]
    assert post(client, "/api/auth/logout-all/", token=again).status_code == 204


def test_reauthenticating_one_session_leaves_the_others_stale(client, ada, clock):
    _, phone = ada
    laptop = login_token(client)
    clock.tick(timedelta(minutes=11))
    assert post(client, REAUTH, {"password": PASSWORD}, laptop).status_code == 200
    assert post(client, "/api/auth/logout-all/", token=phone).json()["code"] == "reauthentication_required"
    assert post(client, "/api/auth/logout-all/", token=laptop).status_code == 204


def test_reauthenticate_needs_a_token(client, ada):
    assert post(client, REAUTH, {"password": PASSWORD}).status_code == 401


def test_sessions_say_how_they_signed_in(client, ada, clock):
    _, token = ada
    secret, codes = with_app(client, token, clock)
    challenge = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}).json()
    with_code = post(client, "/api/auth/login/mfa/", {"challenge": challenge["challenge"], "code": code_now(secret)})
    challenge = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}).json()
    post(client, "/api/auth/login/mfa/", {"challenge": challenge["challenge"], "recovery_code": codes[0]})
    rows = client.get("/api/auth/sessions/", **auth(with_code.json()["token"])).json()
    assert sorted((row["auth_method"], row["second_factor"] or "") for row in rows) == [
        ("password", ""),
        ("password", "recovery_code"),
        ("password", "totp"),
    ]


# ---- an administrator's reset -------------------------------------------------------------


@pytest.fixture
def ada_with_app(client, ada, clock):
    user, token = ada
    with_app(client, token, clock)
    return user


def test_an_admin_resets_a_users_factors_recorded_and_mailed(client, admin, ada_with_app, clock, outbox):
    token = login_token(client, email="root@example.com")
    listed = client.get("/api/admin/users/?search=ada", **auth(token)).json()["results"]
    assert [row["mfa_enabled"] for row in listed] == [True]
    response = post(client, f"/api/admin/users/{ada_with_app.pk}/mfa/reset/", token=token)
    assert response.status_code == 204
    assert not TOTPDevice.objects.exists() and not RecoveryCode.objects.exists()
    assert outbox.filter(kind="mfa_reset", to="ada@example.com").count() == 1
    entry = LogEntry.objects.get()
    assert (
        entry.user_id == admin.pk and entry.object_id == str(ada_with_app.pk) and "two-factor" in entry.change_message
    )
    detail = client.get(f"/api/admin/users/{ada_with_app.pk}/", **auth(token)).json()
    assert detail["mfa_enabled"] is False
    assert not re.search(r"secret|recovery_codes\b", str(detail))  # nothing secret is ever shown
    # The password alone logs in again.
    assert "token" in post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}).json()


def test_a_member_cannot_reset_anyones_factors(client, ada_with_app, make_user):
    make_user(email="eve@example.com")
    token = login_token(client, email="eve@example.com")
    assert post(client, f"/api/admin/users/{ada_with_app.pk}/mfa/reset/", token=token).status_code == 403
    assert TOTPDevice.objects.filter(user=ada_with_app).exists()


def test_an_admin_cannot_reset_a_superusers_factors(client, admin, clock):
    root = User.objects.create_superuser(email="su@example.com", password=PASSWORD, email_confirmed=True)
    su_token = login_token(client, email="su@example.com")
    with_app(client, su_token, clock)
    token = login_token(client, email="root@example.com")
    assert post(client, f"/api/admin/users/{root.pk}/mfa/reset/", token=token).status_code == 403
    assert TOTPDevice.objects.filter(user=root).exists()


def test_a_stale_admin_session_must_reauthenticate_to_reset(client, admin, ada_with_app, clock):
    token = login_token(client, email="root@example.com")
    clock.tick(timedelta(minutes=11))
    response = post(client, f"/api/admin/users/{ada_with_app.pk}/mfa/reset/", token=token)
    assert response.json()["code"] == "reauthentication_required"
    assert TOTPDevice.objects.filter(user=ada_with_app).exists()
    assert (
        post(client, "/api/admin/users/999999/mfa/reset/", token=login_token(client, "root@example.com")).status_code
        == 404
    )


def test_an_admin_cannot_reset_their_own_factors(client, admin, clock):
    token = login_token(client, email="root@example.com")
    with_app(client, token, clock)
    response = post(client, f"/api/admin/users/{admin.pk}/mfa/reset/", token=token)
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert "security page" in response.json()["detail"]
    assert TOTPDevice.objects.filter(user=admin).exists()


def test_options_on_the_reset_is_an_answer_not_a_500(client, admin, ada_with_app):
    token = login_token(client, email="root@example.com")
    response = client.options(f"/api/admin/users/{ada_with_app.pk}/mfa/reset/", **auth(token))
    assert response.status_code == 200 and "POST" in response["Allow"]
