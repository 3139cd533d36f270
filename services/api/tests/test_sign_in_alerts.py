"""New-device sign-in alerts and their answers: "Yes, it was me" and "This wasn't me"."""

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from freezegun import freeze_time
from rest_framework.test import APIClient

from accounts.models import (
    AuthToken,
    EmailConfirmation,
    KnownDevice,
    LoginChallenge,
    SecurityEvent,
    SignInAlert,
    User,
)
from tests.conftest import PASSWORD, auth, first_match, login_token, post, relay_round

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 9, 0, 0, tzinfo=UTC)
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
CURL = "curl/8.5.0"
CONFIRM, DENY = "/api/auth/device-alerts/confirm/", "/api/auth/device-alerts/deny/"
COOKIE = {"HTTP_X_AUTH_TRANSPORT": "cookie"}


@pytest.fixture
def clock():
    with freeze_time(T0) as frozen:
        yield frozen


@pytest.fixture
def ada(client, make_user, clock):
    user = make_user()
    return user, login_token(client, HTTP_USER_AGENT=CHROME, REMOTE_ADDR="203.0.113.7")


def alerts(outbox):
    return list(outbox.filter(kind="new_device_sign_in").order_by("created_at"))


def keys(email):
    found = re.findall(r"/sign-in-alert/([A-Za-z0-9_-]+)/(yes|no)\b", email.payload["text"])
    assert len(found) == 2 and found[0][0] == found[1][0], email.payload["text"]
    return found[0][0]


def test_the_first_sign_in_of_an_account_is_no_alert_a_new_device_is(client, ada, outbox):
    user, _ = ada
    assert alerts(outbox) == []
    login_token(client, HTTP_USER_AGENT=CHROME, REMOTE_ADDR="203.0.113.99")  # the same client, same /24
    assert alerts(outbox) == []
    login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR="203.0.113.7")  # another client
    login_token(client, HTTP_USER_AGENT=CHROME, REMOTE_ADDR="198.51.100.7")  # another network
    sent = alerts(outbox)
    assert [email.to for email in sent] == ["ada@example.com", "ada@example.com"]
    (text,) = [e.payload["text"] for e in sent if "Network: 198.51.100.0/24" in e.payload["text"]]
    assert "Device: Chrome 131 on Linux" in text
    assert "2027-03-01 09:00 UTC" in text and "72 hours" in text
    assert SignInAlert.objects.count() == 2 and KnownDevice.objects.filter(user=user).count() == 3
    signed_in = SecurityEvent.objects.filter(kind="signed_in").order_by("id")
    assert [e.details["new_device"] for e in signed_in] == [False, False, True, True]


def test_only_a_hash_of_the_key_is_stored(client, ada, outbox):
    login_token(client, HTTP_USER_AGENT=CURL)
    key = keys(alerts(outbox)[0])
    stored = SignInAlert.objects.get()
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_signinalert")
        assert key not in str(cursor.fetchall())
    assert len(key) >= 43  # 32 random bytes


def test_a_browser_is_known_by_its_signed_httponly_device_cookie(client, ada, outbox, settings):
    first = client.get("/api/auth/csrf/")
    assert first.status_code == 204
    csrf = {"HTTP_X_CSRFTOKEN": client.cookies["csrftoken"].value, **COOKIE}
    body = {"email": "ada@example.com", "password": PASSWORD}
    response = post(client, "/api/auth/login/", body, HTTP_USER_AGENT=CHROME, **csrf)
    assert response.status_code == 200, response.content
    cookie = response.cookies["device"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/api/"
    assert int(cookie["max-age"]) == 400 * 86400
    assert len(alerts(outbox)) == 1  # the browser was new to this account (the API client was first)
    csrf["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value  # rotated at login
    again = post(client, "/api/auth/login/", body, HTTP_USER_AGENT=CHROME, **csrf)
    assert again.status_code == 200 and "device" not in again.cookies  # kept, not replaced
    assert len(alerts(outbox)) == 1
    # A cookie we did not sign is a new browser.
    client.cookies["device"] = "forged"
    csrf["HTTP_X_CSRFTOKEN"] = client.cookies["csrftoken"].value
    post(client, "/api/auth/login/", body, HTTP_USER_AGENT=CHROME, **csrf)
    assert len(alerts(outbox)) == 2


def test_yes_it_was_me_keeps_the_device_and_uses_the_key(client, ada, outbox):
    user, token = ada
    login_token(client, HTTP_USER_AGENT=CURL)
    key = keys(alerts(outbox)[0])
    response = post(client, CONFIRM, {"key": key})
    assert response.status_code == 200, response.content
    assert SecurityEvent.objects.filter(user=user, kind="new_device_confirmed").count() == 1
    assert AuthToken.objects.filter(user=user).count() == 2  # nothing else changed
    for url in (CONFIRM, DENY):  # the key works once, for either answer
        again = post(client, url, {"key": key})
        assert again.status_code == 400 and again.json()["code"] == "invalid_key"


def test_this_wasnt_me_secures_the_account(client, ada, outbox, clock):
    user, token = ada
    intruder = login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR="198.51.100.66")
    pending = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD})
    assert "token" in pending.json()
    key = keys(alerts(outbox)[0])
    before = outbox.count()
    response = client.post(DENY, {"key": key}, format="json")  # no login needed
    assert response.status_code == 200, response.content
    # Every session ends.
    assert not AuthToken.objects.filter(user=user).exists()
    assert client.get("/api/auth/me/", **auth(intruder)).status_code == 401
    assert client.get("/api/auth/me/", **auth(token)).status_code == 401
    # The sign-in is marked, and the answer logged.
    disowned = SecurityEvent.objects.get(kind="signed_in", ip="198.51.100.66")
    assert disowned.disowned_at is not None
    assert SecurityEvent.objects.filter(user=user, kind="sign_in_disowned").count() == 1
    # A reset email and a notice, at once, to the account's address.
    sent = list(outbox.order_by("created_at")[before:])
    assert sorted(e.kind for e in sent) == ["password_reset", "sign_in_disowned"]
    assert {e.to for e in sent} == {"ada@example.com"}
    # Password sign-in is blocked: the right password says so, a wrong one says nothing new.
    blocked = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD})
    assert blocked.status_code == 403 and blocked.json()["code"] == "password_reset_required"
    wrong = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": "wrong"})
    assert wrong.json()["code"] == "invalid_credentials"
    # The key worked once.
    assert post(client, DENY, {"key": key}).json()["code"] == "invalid_key"
    # The reset ends the block.
    code = first_match(r"\b(\d{6})\b", outbox.get(kind="password_reset").payload["text"])
    new = "a brand new passphrase here"
    reset = post(
        client, "/api/auth/password/reset/confirm/", {"email": "ada@example.com", "code": code, "new_password": new}
    )
    assert reset.status_code == 200, reset.content
    assert User.objects.get(pk=user.pk).password_login_blocked_at is None
    assert "token" in post(client, "/api/auth/login/", {"email": "ada@example.com", "password": new}).json()


def test_this_wasnt_me_kills_a_second_step_under_way(client, ada, outbox, clock):
    user, token = ada
    login_token(client, HTTP_USER_AGENT=CURL)
    key = keys(alerts(outbox)[0])
    LoginChallenge.objects.create(user=user, challenge_hash="x" * 64, state="s", expires_at=T0 + timedelta(minutes=5))
    post(client, DENY, {"key": key})
    assert not LoginChallenge.objects.exists()


def test_keys_expire_and_unknown_keys_change_nothing(client, ada, outbox, clock, settings):
    user, token = ada
    login_token(client, HTTP_USER_AGENT=CURL)
    key = keys(alerts(outbox)[0])
    events = SecurityEvent.objects.count()
    for bad in ("", "x" * 65, "A" * 43, key[:-1] + ("A" if key[-1] != "A" else "B"), 12, None, ["k"]):
        response = post(client, DENY, {"key": bad})
        assert response.status_code == 400, (bad, response.content)
        assert response.json()["code"] in {"invalid_key", "validation_error"}
    assert SecurityEvent.objects.count() == events and AuthToken.objects.filter(user=user).count() == 2
    clock.tick(timedelta(hours=settings.SIGN_IN_ALERT_TTL_HOURS, seconds=1))
    assert post(client, DENY, {"key": key}).json()["code"] == "invalid_key"
    assert User.objects.get(pk=user.pk).password_login_blocked_at is None


def test_a_password_login_checked_before_the_block_cannot_start_a_session_after(client, ada, outbox):
    """The block is re-checked under the user's row lock, like a password change."""
    from accounts import login

    user, _ = ada
    checked = login.authenticate_login(PASSWORD, email="ada@example.com")
    User.objects.filter(pk=user.pk).update(password_login_blocked_at=T0)
    request = type("R", (), {"META": {}, "COOKIES": {}})()
    with pytest.raises(Exception) as refused:
        login.start_login_session(login.Authenticated(checked), request)
    assert getattr(refused.value, "code", None) == "invalid_credentials"


def test_emailed_code_sign_in_is_not_blocked(client, ada, outbox):
    """Only the password is suspect: the owner's mailbox still signs in (and can reset)."""
    user, _ = ada
    User.objects.filter(pk=user.pk).update(password_login_blocked_at=T0)
    post(client, "/api/auth/login/code/", {"email": "ada@example.com"})
    relay_round()
    code = first_match(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", outbox.get(kind="login_code").payload["text"])
    assert "token" in post(client, "/api/auth/login/code/confirm/", {"email": "ada@example.com", "code": code}).json()


# ---- attack findings: what the intruder did before the owner answered ---------------------------


def intruder_signs_in(client, outbox):
    """The intruder's sign-in from a new device: their token, and the owner's alert key."""
    token = login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR="198.51.100.66")
    return token, keys(alerts(outbox)[-1])


def test_this_wasnt_me_removes_what_the_intruder_added_and_keeps_the_owners(client, ada, outbox, clock, settings):
    """Attack finding: a passkey the intruder registered signed straight back in after the answer,
    and an authenticator app they added locked the owner out after the reset."""
    import pyotp

    from accounts import login
    from accounts.models import RecoveryCode, TOTPDevice, WebAuthnCredential
    from tests.soft_authenticator import SoftAuthenticator

    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGINS = "localhost", ["http://localhost:8080"]
    user, owner = ada
    owners_key = SoftAuthenticator("http://localhost:8080")
    options = post(client, "/api/auth/mfa/webauthn/register/begin/", {"passwordless": True}, owner).json()["options"]
    body = {"name": "Owner's laptop", "credential": owners_key.register(options)}
    assert post(client, "/api/auth/mfa/webauthn/register/", body, owner).status_code == 201
    owners_codes = set(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    clock.tick(60)
    # Someone else's session from a new device (how they got in does not matter here).
    request = type("R", (), {"META": {"HTTP_USER_AGENT": CURL, "REMOTE_ADDR": "198.51.100.66"}, "COOKIES": {}})()
    _, intruder = login.start_login_session(login.Authenticated(user), request)
    key = keys(alerts(outbox)[-1])
    clock.tick(1)
    intruders_key = SoftAuthenticator("http://localhost:8080")
    options = post(client, "/api/auth/mfa/webauthn/register/begin/", {"passwordless": True}, intruder).json()["options"]
    body = {"name": "mine now", "credential": intruders_key.register(options)}
    assert post(client, "/api/auth/mfa/webauthn/register/", body, intruder).status_code == 201
    secret = post(client, "/api/auth/mfa/totp/setup/", token=intruder).json()["secret"]
    assert post(client, "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(secret).now()}, intruder).status_code == 200
    assert post(client, "/api/auth/mfa/recovery-codes/", token=intruder).status_code == 200  # a set only they know

    assert post(client, DENY, {"key": key}).status_code == 200
    assert list(WebAuthnCredential.objects.filter(user=user).values_list("name", flat=True)) == ["Owner's laptop"]
    assert not TOTPDevice.objects.filter(user=user).exists()
    assert not RecoveryCode.objects.filter(user=user).exclude(code_hash__in=owners_codes).exists()
    # The intruder's passkey no longer signs in; the owner's does.
    options = post(client, "/api/auth/login/passkey/begin/").json()["options"]
    assert post(client, "/api/auth/login/passkey/", {"credential": intruders_key.assertion(options)}).status_code == 400
    options = post(client, "/api/auth/login/passkey/begin/").json()["options"]
    assert post(client, "/api/auth/login/passkey/", {"credential": owners_key.assertion(options)}).status_code == 200
    removed = SecurityEvent.objects.filter(kind="factor_removed", details__reason="sign_in_disowned")
    assert sorted(e.details["factor"] for e in removed) == ["passkey", "totp"]
    notice = outbox.get(kind="sign_in_disowned").payload["text"]
    assert "an authenticator app" in notice and "a passkey" in notice and "mine now" not in notice


def test_this_wasnt_me_gives_back_an_address_the_intruder_changed(client, ada, outbox, clock):
    """Attack finding: the intruder changed the address first, and the reset went to them."""
    user, _ = ada
    intruder, key = intruder_signs_in(client, outbox)
    body = {"new_email": "mallory@example.net", "password": PASSWORD}
    assert post(client, "/api/auth/email/change/", body, intruder).status_code == 202
    link_key = first_match(r"/confirm-email/(\S+)", outbox.get(to="mallory@example.net").payload["text"])
    assert post(client, "/api/auth/email/confirm/", {"key": link_key}).status_code == 200
    assert User.objects.get(pk=user.pk).email == "mallory@example.net"
    before = set(outbox.values_list("id", flat=True))
    assert post(client, DENY, {"key": key}).status_code == 200
    assert User.objects.get(pk=user.pk).email == "ada@example.com"
    sent = outbox.exclude(id__in=before)
    assert sorted((e.kind, e.to) for e in sent) == [
        ("password_reset", "ada@example.com"),
        ("sign_in_disowned", "ada@example.com"),
    ]
    assert "it is this address again" in sent.get(kind="sign_in_disowned").payload["text"]


def test_this_wasnt_me_forgets_the_intruders_device(client, ada, outbox, clock):
    """Attack finding: the disowned device stayed known, so the intruder's next sign-in from it
    raised no alert."""
    user, _ = ada
    clock.tick(60)
    _, key = intruder_signs_in(client, outbox)
    post(client, DENY, {"key": key})
    assert KnownDevice.objects.filter(user=user).count() == 1  # the owner's
    User.objects.filter(pk=user.pk).update(password_login_blocked_at=None)  # as after the reset
    login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR="198.51.100.66")
    assert len(alerts(outbox)) == 2


def test_the_reset_that_this_wasnt_me_sends_is_never_capped(client, ada, outbox, settings):
    """Attack finding: anyone could fill the address's hourly cap of reset emails first, and the
    reset the answer promised was dropped."""
    for _ in range(settings.MAIL_RECIPIENT_HOURLY_CAP + 2):
        post(client, "/api/auth/password/reset/", {"email": "ada@example.com"})
    relay_round()
    capped = outbox.filter(kind="password_reset").count()
    assert capped <= settings.MAIL_RECIPIENT_HOURLY_CAP
    _, key = intruder_signs_in(client, outbox)
    assert post(client, DENY, {"key": key}).status_code == 200
    assert outbox.filter(kind="password_reset").count() == capped + 1


def test_alerts_are_capped_per_account_per_hour(client, ada, outbox, clock):
    """Attack finding: 60 sign-ins that dropped the device cookie mailed 60 alerts in 5 s."""
    from accounts.sign_in_alerts import ALERTS_PER_HOUR

    user, _ = ada
    for n in range(ALERTS_PER_HOUR + 3):
        login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR=f"198.51.{n}.1")
    assert len(alerts(outbox)) == ALERTS_PER_HOUR
    assert SecurityEvent.objects.filter(kind="signed_in", details__new_device=True).count() == ALERTS_PER_HOUR + 3
    clock.tick(timedelta(hours=1, seconds=1))
    login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR="198.51.200.1")
    assert len(alerts(outbox)) == ALERTS_PER_HOUR + 1


@pytest.mark.parametrize(
    "user_agent, shown",
    [
        ("Mozilla/5.0 (compatible; URGENT call 1 800 555 0100 now bot/1.0)", "Other browser"),
        ("Mozilla/5.0 (compatible; Visit evil.example to keep your account/1.0)", "Other browser"),
        ("<a href=https://evil.example>Chrome</a>/131", "Other browser"),
        ("curl/8.5.0", "curl 8"),
    ],
)
def test_the_alert_names_only_devices_the_parser_knows(client, ada, outbox, user_agent, shown):
    """Attack finding: parser rules copied the client's words into the device name of the email."""
    login_token(client, HTTP_USER_AGENT=user_agent)
    text = alerts(outbox)[0].payload["text"]
    assert f"Device: {shown}\n" in text
    assert "URGENT" not in text and "evil" not in text


# ---- second attack round: races with the answer, a squatted address, two alerts -----------------


def deny_during(monkeypatch, module, key, client):
    """Answer "this wasn't me" just after `module`'s current-password check: between a change's
    slow hash and its lock, where the race of the attack run landed."""
    from accounts import passwords

    checked = passwords.check_current_password

    def check_then_deny(*args, **kwargs):
        checked(*args, **kwargs)
        assert post(APIClient(), DENY, {"key": key}).status_code == 200

    monkeypatch.setattr(module, "check_current_password", check_then_deny)


def test_a_password_change_checked_before_the_answer_cannot_commit_after_it(client, ada, outbox, monkeypatch):
    """Attack finding: the intruder's password change racing the answer committed after it and
    lifted the block; they signed in with their new password."""
    from accounts import passwords

    user, _ = ada
    intruder, key = intruder_signs_in(client, outbox)
    deny_during(monkeypatch, passwords, key, client)
    body = {"current_password": PASSWORD, "new_password": "the intruder's own passphrase"}
    response = post(client, "/api/auth/password/change/", body, intruder)
    assert response.status_code == 401, response.content
    stored = User.objects.get(pk=user.pk)
    assert stored.check_password(PASSWORD) and stored.password_login_blocked_at is not None


def test_an_address_change_checked_before_the_answer_cannot_commit_after_it(client, ada, outbox, monkeypatch):
    """Attack finding: the change's confirmation link reached the intruder after the answer."""
    from accounts import email_change

    user, _ = ada
    intruder, key = intruder_signs_in(client, outbox)
    deny_during(monkeypatch, email_change, key, client)
    body = {"new_email": "mallory@example.net", "password": PASSWORD}
    assert post(client, "/api/auth/email/change/", body, intruder).status_code == 401
    assert not EmailConfirmation.objects.filter(email="mallory@example.net").exists()
    assert not outbox.filter(to="mallory@example.net").exists()


def test_a_factor_added_by_a_session_that_ended_is_refused(client, ada, outbox):
    """The same rule for every change under the account's lock (accounts.factors.lock)."""
    from accounts import recovery_codes, security_log
    from accounts.errors import SessionEnded

    user, owner = ada
    session = AuthToken.objects.get(user=user).public_id
    AuthToken.objects.filter(user=user).delete()  # ended meanwhile
    with security_log.origin(security_log.Origin(session=session, session_user_id=user.pk)):
        with pytest.raises(SessionEnded):
            recovery_codes.regenerate(user)


def test_a_sign_up_squatting_the_old_address_gives_way(client, ada, outbox):
    """Attack finding: the intruder moved the account to their address and signed the old one up
    (never confirmed), so the address could not be given back and no reset was sent."""
    user, _ = ada
    intruder, key = intruder_signs_in(client, outbox)
    post(client, "/api/auth/email/change/", {"new_email": "mallory@example.net", "password": PASSWORD}, intruder)
    link = first_match(r"/confirm-email/(\S+)", outbox.get(to="mallory@example.net").payload["text"])
    assert post(client, "/api/auth/email/confirm/", {"key": link}).status_code == 200
    squat = {"email": "ada@example.com", "password": "a squatter's passphrase"}
    assert post(client, "/api/auth/register/", squat, REMOTE_ADDR="198.51.100.9").status_code == 201
    response = post(client, DENY, {"key": key})
    assert response.json()["detail"].startswith("Your account is secured. Check your inbox")
    assert User.objects.get(pk=user.pk).email == "ada@example.com"
    assert User.objects.filter(email="ada@example.com").count() == 1
    assert outbox.filter(kind="password_reset", to="ada@example.com").count() == 1


def test_when_the_address_cannot_come_back_the_account_is_suspended_and_the_answer_says_so(client, ada, outbox):
    user, _ = ada
    intruder, key = intruder_signs_in(client, outbox)
    post(client, "/api/auth/email/change/", {"new_email": "mallory@example.net", "password": PASSWORD}, intruder)
    link = first_match(r"/confirm-email/(\S+)", outbox.get(to="mallory@example.net").payload["text"])
    post(client, "/api/auth/email/confirm/", {"key": link})
    User.objects.create_user(email="ada@example.com", password="someone who confirmed it", email_confirmed=True)
    response = post(client, DENY, {"key": key})
    assert response.status_code == 200 and "suspended" in response.json()["detail"]
    stored = User.objects.get(pk=user.pk)
    assert stored.email == "mallory@example.net" and stored.is_active is False
    assert not outbox.filter(kind="password_reset", to="mallory@example.net").exists()
    notice = outbox.get(kind="sign_in_disowned")
    assert notice.to == "ada@example.com" and "suspended" in notice.payload["text"]
    # No way in for whoever holds the new address: no sign-in code, no reset.
    post(client, "/api/auth/login/code/", {"email": "mallory@example.net"})
    post(client, "/api/auth/password/reset/", {"email": "mallory@example.net"})
    relay_round()
    assert not outbox.filter(kind__in=["login_code", "password_reset"], to="mallory@example.net").exists()


def test_a_no_to_the_newest_alert_covers_every_unanswered_one(client, ada, outbox, clock, settings):
    """Attack finding: a passkey added after the intruder's first sign-in survived a "no" to the
    alert of their second one."""
    from accounts.models import WebAuthnCredential
    from tests.soft_authenticator import SoftAuthenticator

    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGINS = "localhost", ["http://localhost:8080"]
    user, _ = ada
    clock.tick(60)
    first, first_key = intruder_signs_in(client, outbox)
    clock.tick(1)
    key = SoftAuthenticator("http://localhost:8080")
    options = post(client, "/api/auth/mfa/webauthn/register/begin/", {"passwordless": True}, first).json()["options"]
    assert (
        post(
            client, "/api/auth/mfa/webauthn/register/", {"name": "x", "credential": key.register(options)}, first
        ).status_code
        == 201
    )
    clock.tick(1)
    # The intruder again, elsewhere (with their passkey, say: how does not matter here).
    from accounts import login

    elsewhere = type("R", (), {"META": {"HTTP_USER_AGENT": CURL, "REMOTE_ADDR": "192.0.2.77"}, "COOKIES": {}})()
    login.start_login_session(login.Authenticated(user, login.PASSKEY), elsewhere)
    second_key = keys(alerts(outbox)[-1])
    assert second_key != first_key
    assert post(client, DENY, {"key": second_key}).status_code == 200
    assert not WebAuthnCredential.objects.filter(user=user).exists()
    assert post(client, DENY, {"key": first_key}).json()["code"] == "invalid_key"  # answered with it
    assert SecurityEvent.objects.filter(kind="signed_in", disowned_at__isnull=False).count() == 2


def test_only_a_reset_ends_the_block(client, ada, outbox):
    """Attack finding: a password change (with the password the intruder knew) lifted the block."""
    user, _ = ada
    _, key = intruder_signs_in(client, outbox)
    post(client, DENY, {"key": key})
    # A session that signed in some other way (an emailed code) changes the password: still blocked.
    post(client, "/api/auth/login/code/", {"email": "ada@example.com"})
    relay_round()
    code = first_match(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", outbox.get(kind="login_code").payload["text"])
    token = post(client, "/api/auth/login/code/confirm/", {"email": "ada@example.com", "code": code}).json()["token"]
    body = {"current_password": PASSWORD, "new_password": "a changed but not reset passphrase"}
    assert post(client, "/api/auth/password/change/", body, token).status_code == 200
    assert User.objects.get(pk=user.pk).password_login_blocked_at is not None


def test_answered_alerts_leave_room_under_the_cap(client, ada, outbox):
    """Attack finding: five alerts answered "yes" hid the sixth sign-in's alert."""
    from accounts.sign_in_alerts import ALERTS_PER_HOUR

    for n in range(ALERTS_PER_HOUR):
        login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR=f"198.51.{n}.1")
        assert post(client, CONFIRM, {"key": keys(alerts(outbox)[-1])}).status_code == 200
    login_token(client, HTTP_USER_AGENT=CURL, REMOTE_ADDR="198.51.99.1")
    assert len(alerts(outbox)) == ALERTS_PER_HOUR + 1
