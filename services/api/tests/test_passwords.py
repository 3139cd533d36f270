import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from accounts.models import PasswordResetCode, User
from tests.conftest import PASSWORD, auth, login_token, queued_payloads, relay_round

pytestmark = pytest.mark.django_db(transaction=True)
NEW = "a brand new passphrase"


@pytest.fixture
def ada(make_user):
    return make_user()


def change(client, token, current=PASSWORD, new=NEW):
    return client.post(
        "/api/auth/password/change/", {"current_password": current, "new_password": new}, format="json", **auth(token)
    )


def test_change_password_keeps_this_session_and_revokes_the_others(client, ada):
    this, other = login_token(client), login_token(client)
    response = change(client, this)
    assert response.status_code == 200
    assert client.get("/api/auth/me/", **auth(this)).status_code == 200
    assert client.get("/api/auth/me/", **auth(other)).status_code == 401
    assert login_token(client, password=NEW)
    notice = queued_payloads()[-1]
    assert notice["kind"] == "password_changed" and notice["to"] == "ada@example.com"
    assert NEW not in notice["text"] and PASSWORD not in notice["text"]


def test_wrong_current_password_changes_nothing(client, ada):
    token = login_token(client)
    response = change(client, token, current="not my password at all")
    assert response.status_code == 400 and response.json()["code"] == "invalid_password"
    assert User.objects.get().check_password(PASSWORD)


@pytest.mark.parametrize(
    "new, reason", [("short", "too short"), ("password1234", "too common"), ("ada@example.com!!", "too similar")]
)
def test_weak_new_password_is_refused(client, ada, new, reason):
    response = change(client, login_token(client), new=new)
    assert response.status_code == 400
    assert any(reason in m for m in response.json()["fields"]["new_password"])


def reset_email(client, email="ada@example.com"):
    response = client.post("/api/auth/password/reset/", {"email": email}, format="json")
    assert response.status_code == 202
    relay_round()
    return response


def link_and_code(payload):
    link = re.search(r"/reset-password/([^/\s]+)/(\S+)", payload["text"])
    code = re.search(r"^(\d{6})$", payload["text"], re.M)
    assert link and code, payload["text"]
    uid, token = link.groups()
    return uid, token, code.group(1)


def test_reset_request_is_identical_for_known_unknown_and_inactive(client, make_user):
    make_user()
    make_user(email="gone@example.com", is_active=False)
    known = reset_email(client)
    unknown = reset_email(client, "nobody@example.com")
    inactive = reset_email(client, "gone@example.com")
    assert known.content == unknown.content == inactive.content
    assert [p["to"] for p in queued_payloads()] == ["ada@example.com"]


def test_reset_email_has_a_link_and_a_code_that_expire_within_an_hour(client, ada):
    reset_email(client, "ADA@example.com")
    (payload,) = queued_payloads()
    uid, token, code = link_and_code(payload)
    assert "http://127.0.0.1:8080/reset-password/" in payload["text"]
    expires = datetime.fromisoformat(payload["expires_at"])
    assert expires - timezone.now() <= timedelta(hours=1)
    assert PasswordResetCode.objects.get().expires_at <= timezone.now() + timedelta(hours=1)
    assert code not in PasswordResetCode.objects.get().code_hash


def test_reset_by_link_verifies_then_confirms_once_and_revokes_sessions(client, ada):
    session = login_token(client)
    reset_email(client)
    uid, token, _ = link_and_code(queued_payloads()[-1])
    verify = client.post("/api/auth/password/reset/verify/", {"uid": uid, "token": token}, format="json")
    assert verify.status_code == 200
    confirm = client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": NEW}, format="json"
    )
    assert confirm.status_code == 200
    assert client.get("/api/auth/me/", **auth(session)).status_code == 401
    assert login_token(client, password=NEW)
    again = client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": NEW + "!"}, format="json"
    )
    assert again.status_code == 400 and again.json()["code"] == "invalid_reset"
    assert queued_payloads()[-1]["kind"] == "password_changed"


def test_reset_by_code(client, ada):
    reset_email(client)
    _, _, code = link_and_code(queued_payloads()[-1])
    body = {"email": "Ada@Example.com", "code": code}
    assert client.post("/api/auth/password/reset/verify/", body, format="json").status_code == 200
    assert (
        client.post("/api/auth/password/reset/confirm/", {**body, "new_password": NEW}, format="json").status_code
        == 200
    )
    assert login_token(client, password=NEW)
    assert client.post("/api/auth/password/reset/verify/", body, format="json").status_code == 400


def test_a_code_dies_after_five_wrong_tries(client, ada):
    reset_email(client)
    _, _, code = link_and_code(queued_payloads()[-1])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for _ in range(5):
        response = client.post(
            "/api/auth/password/reset/verify/", {"email": "ada@example.com", "code": wrong}, format="json"
        )
        assert response.status_code == 400 and response.json()["code"] == "invalid_reset"
    right = client.post(
        "/api/auth/password/reset/confirm/",
        {"email": "ada@example.com", "code": code, "new_password": NEW},
        format="json",
    )
    assert right.status_code == 400
    assert User.objects.get().check_password(PASSWORD)


def test_expired_link_and_code_are_refused(client, ada, settings):
    reset_email(client)
    uid, token, code = link_and_code(queued_payloads()[-1])
    PasswordResetCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert (
        client.post(
            "/api/auth/password/reset/verify/", {"email": "ada@example.com", "code": code}, format="json"
        ).status_code
        == 400
    )
    settings.PASSWORD_RESET_TIMEOUT = -1
    assert (
        client.post("/api/auth/password/reset/verify/", {"uid": uid, "token": token}, format="json").status_code == 400
    )


@pytest.mark.parametrize("change_state", ["password", "email", "login"])
def test_link_and_code_die_when_password_email_or_login_change(client, ada, change_state):
    reset_email(client)
    uid, token, code = link_and_code(queued_payloads()[-1])
    if change_state == "password":
        ada.set_password("another passphrase here")
        ada.save()
    elif change_state == "email":
        User.objects.filter(pk=ada.pk).update(email="ada2@example.com")
    else:
        login_token(client)
    email = "ada2@example.com" if change_state == "email" else "ada@example.com"
    assert (
        client.post("/api/auth/password/reset/verify/", {"uid": uid, "token": token}, format="json").status_code == 400
    )
    assert (
        client.post("/api/auth/password/reset/verify/", {"email": email, "code": code}, format="json").status_code
        == 400
    )


def test_weak_new_password_does_not_use_up_the_link(client, ada):
    reset_email(client)
    uid, token, _ = link_and_code(queued_payloads()[-1])
    weak = client.post(
        "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": "short"}, format="json"
    )
    assert weak.status_code == 400 and "new_password" in weak.json()["fields"]
    assert (
        client.post(
            "/api/auth/password/reset/confirm/", {"uid": uid, "token": token, "new_password": NEW}, format="json"
        ).status_code
        == 200
    )


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"uid": "x"},
        {"email": "ada@example.com"},
        {"uid": "x", "token": "y", "code": "123456"},
        {"email": "ada@example.com", "code": "12345"},
        {"email": "ada@example.com", "code": "abcdef"},
        {"uid": ["x"], "token": "y"},
    ],
)
def test_bad_reset_input(client, body):
    response = client.post("/api/auth/password/reset/verify/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


@pytest.mark.parametrize(
    "body",
    [
        {"uid": "!!", "token": "x"},
        {"uid": "MTIzNDU2Nzg5", "token": "x"},
        {"email": "nobody@example.com", "code": "123456"},
    ],
)
def test_invalid_reset_credentials(client, ada, body):
    response = client.post("/api/auth/password/reset/verify/", body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_reset"


def test_a_change_checked_against_a_password_changed_meanwhile_changes_nothing(client, ada):
    """Two parallel changes both checked the current password; the later one must fail."""
    from accounts import passwords
    from accounts.errors import InvalidPassword

    token = login_token(client)
    stale = User.objects.get()  # what the second, parallel request loaded and checked
    assert change(client, token).status_code == 200
    with pytest.raises(InvalidPassword):
        passwords.change_password(stale, PASSWORD, "the losing passphrase", current_token=None)
    user = User.objects.get()
    assert user.check_password(NEW) and not user.check_password("the losing passphrase")


def test_a_second_parallel_deletion_changes_nothing_and_mails_nothing(client, ada):
    from accounts import account
    from accounts.errors import InvalidPassword

    token = login_token(client)
    stale = User.objects.get()
    assert client.delete("/api/auth/me/", {"password": PASSWORD}, format="json", **auth(token)).status_code == 204
    with pytest.raises(InvalidPassword):
        account.delete_account(stale, PASSWORD)
    assert [p["kind"] for p in queued_payloads()].count("account_deleted") == 1
