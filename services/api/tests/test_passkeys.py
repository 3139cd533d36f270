"""Passkeys and security keys (WebAuthn): registration, the list, the usernameless passkey login,
the login's second step and reauthentication, against a software authenticator
(tests/soft_authenticator.py), with the hostile cases of SECURITY-CHECKLIST item 43."""

import base64
import hashlib
import json
import logging
from datetime import UTC, datetime, timedelta

import cbor2
import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from accounts.models import (
    AuthToken,
    LoginChallenge,
    RecoveryCode,
    User,
    WebAuthnChallenge,
    WebAuthnCredential,
    WebAuthnUserHandle,
)
from tests.conftest import PASSWORD, auth, login_token
from tests.soft_authenticator import Refused, SoftAuthenticator, b64url, flip_last_bit, from_b64url, tampered

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 1, 4, 12, 0, 0, tzinfo=UTC)
RP_ID = "auth.example.com"
ORIGIN = "https://auth.example.com"
BEGIN, REGISTER, LIST = (
    "/api/auth/mfa/webauthn/register/begin/",
    "/api/auth/mfa/webauthn/register/",
    "/api/auth/mfa/webauthn/",
)
PASSKEY_BEGIN, PASSKEY_LOGIN = "/api/auth/login/passkey/begin/", "/api/auth/login/passkey/"
LOGIN, LOGIN_MFA, MFA_BEGIN = "/api/auth/login/", "/api/auth/login/mfa/", "/api/auth/login/mfa/webauthn/begin/"
REAUTH, REAUTH_BEGIN = "/api/auth/reauthenticate/", "/api/auth/reauthenticate/webauthn/begin/"
STATUS = "/api/auth/mfa/"


@pytest.fixture(autouse=True)
def relying_party(settings):
    """The configuration of a real site: FRONTEND_URL=https://auth.example.com."""
    settings.WEBAUTHN_RP_ID = RP_ID
    settings.WEBAUTHN_ORIGINS = [ORIGIN]
    settings.SITE_NAME = "Example Auth"


@pytest.fixture
def clock():
    with freeze_time(T0) as frozen:
        yield frozen


def post(client, url, body=None, token=None, **extra):
    return client.post(url, body, format="json", **(auth(token) if token else {}), **extra)


def item_url(pk):
    return f"/api/auth/mfa/webauthn/{pk}/"


@pytest.fixture
def ada(client, make_user, clock):
    return make_user(), login_token(client)


@pytest.fixture
def bob(client, make_user, clock):
    return make_user(email="bob@example.com"), login_token(client, email="bob@example.com")


@pytest.fixture
def key():
    return SoftAuthenticator(ORIGIN)


def begin_registration(client, token, passwordless=True):
    response = post(client, BEGIN, {"passwordless": passwordless}, token)
    assert response.status_code == 200, response.content
    return response.json()["options"]


def register(client, token, authenticator, passwordless=True, name="Phone", **tweaks):
    options = begin_registration(client, token, passwordless)
    return post(client, REGISTER, {"name": name, "credential": authenticator.register(options, **tweaks)}, token)


@pytest.fixture
def ada_passkey(client, ada, key):
    user, token = ada
    response = register(client, token, key, passwordless=True)
    assert response.status_code == 201, response.content
    return user, token, key


@pytest.fixture
def ada_security_key(client, ada, key):
    user, token = ada
    response = register(client, token, key, passwordless=False, uv=False, name="YubiKey")
    assert response.status_code == 201, response.content
    return user, token, key


def passkey_options(client, **extra):
    response = post(client, PASSKEY_BEGIN, **extra)
    assert response.status_code == 200, response.content
    return response.json()["options"]


def passkey_login(client, authenticator, options=None, **tweaks):
    options = options or passkey_options(client)
    return post(client, PASSKEY_LOGIN, {"credential": authenticator.assertion(options, **tweaks)})


def refused(response):
    assert response.status_code == 400, response.content
    assert response.json() == {
        "code": "invalid_credential",
        "detail": "This passkey or security key could not be verified. Try again.",
    }
    return True


def password_login(client):
    response = post(client, LOGIN, {"email": "ada@example.com", "password": PASSWORD})
    assert response.status_code == 200, response.content
    return response.json()


def second_step_options(client, challenge):
    response = post(client, MFA_BEGIN, {"challenge": challenge})
    assert response.status_code == 200, response.content
    return response.json()["options"]


# ---- registration ----------------------------------------------------------------------------


def test_passkey_registration_options_ask_for_a_discoverable_credential_with_user_verification(client, ada):
    user, token = ada
    options = begin_registration(client, token, passwordless=True)
    assert options["rp"] == {"name": "Example Auth", "id": RP_ID}
    assert options["user"]["name"] == "ada@example.com"
    handle = from_b64url(options["user"]["id"])
    # Random, not the account's id or address. (Not `str(pk) not in handle`: one of 32 random
    # bytes is "1" in about one run out of eight.)
    assert len(handle) == 32 and int.from_bytes(handle, "big") != user.pk and b"ada@example" not in handle
    assert bytes(WebAuthnUserHandle.objects.get(user=user).handle) == handle
    assert len(from_b64url(options["challenge"])) >= 32
    assert options["authenticatorSelection"] == {
        "residentKey": "required",
        "requireResidentKey": True,
        "userVerification": "required",
    }
    assert options["attestation"] == "none" and options["excludeCredentials"] == []
    assert options["timeout"] == 300_000
    assert {"type": "public-key", "alg": -7} in options["pubKeyCredParams"]
    # Only the challenge's SHA-256 is stored, for this account and purpose.
    stored = WebAuthnChallenge.objects.get()
    assert stored.challenge_hash == hashlib.sha256(from_b64url(options["challenge"])).hexdigest()
    assert (stored.purpose, stored.user, stored.passwordless) == ("register", user, True)
    assert options["challenge"] not in stored.challenge_hash


def test_registering_a_passkey_stores_it_gives_recovery_codes_and_mails_a_notice(client, ada, key, outbox):
    user, token = ada
    response = register(client, token, key, passwordless=True, name="Ada's phone", transports=("internal", "hybrid"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"credential", "recovery_codes"}
    item = body["credential"]
    assert set(item) == {"id", "name", "passwordless", "created_at", "last_used_at"}
    assert (item["name"], item["passwordless"], item["last_used_at"]) == ("Ada's phone", True, None)
    assert len(body["recovery_codes"]) == 10 and RecoveryCode.objects.filter(user=user).count() == 10
    stored = WebAuthnCredential.objects.get()
    assert stored.pk == item["id"] and stored.user == user
    assert bytes(stored.credential_id) == key.credentials[0].credential_id
    assert bytes(stored.public_key) == key.credentials[0].cose_public_key()
    assert (stored.sign_count, stored.transports, stored.aaguid) == (
        0,
        "hybrid,internal",
        "0" * 8 + "-0000-0000-0000-" + "0" * 12,
    )
    assert not WebAuthnChallenge.objects.exists()  # used up
    notice = outbox.get(kind="mfa_factor_added")
    assert "A passkey was just added" in notice.payload["text"] and "Ada's phone" not in notice.payload["text"]
    assert "New recovery codes" in notice.payload["text"]
    status = client.get(STATUS, **auth(token)).json()
    assert status == {
        "totp_enabled": False,
        "totp_enabled_at": None,
        "recovery_codes_remaining": 10,
        "webauthn_credentials": 1,
    }


def test_registering_a_security_key_and_a_second_one(client, ada, key, outbox):
    user, token = ada
    options = begin_registration(client, token, passwordless=False)
    assert options["authenticatorSelection"] == {
        "residentKey": "discouraged",
        "requireResidentKey": False,
        "userVerification": "preferred",
    }
    first = post(client, REGISTER, {"name": "YubiKey", "credential": key.register(options, uv=False)}, token)
    assert first.status_code == 201 and first.json()["credential"]["passwordless"] is False
    assert len(first.json()["recovery_codes"]) == 10
    codes = set(RecoveryCode.objects.values_list("code_hash", flat=True))
    # The same authenticator is excluded the next time, as a browser would honour.
    options = begin_registration(client, token, passwordless=False)
    assert options["excludeCredentials"] == [
        {"id": b64url(key.credentials[0].credential_id), "type": "public-key", "transports": ["usb"]}
    ]
    with pytest.raises(Refused):
        key.register(options)
    spare = SoftAuthenticator(ORIGIN)
    second = post(client, REGISTER, {"name": "Spare", "credential": spare.register(options, uv=False)}, token)
    assert second.status_code == 201 and second.json()["recovery_codes"] == []  # not the first factor
    assert set(RecoveryCode.objects.values_list("code_hash", flat=True)) == codes  # the set stays
    texts = [e.payload["text"] for e in outbox.filter(kind="mfa_factor_added").order_by("created_at")]
    assert all("A security key was just added" in text for text in texts)
    assert "New recovery codes" in texts[0] and "New recovery codes" not in texts[1]


def test_the_user_handle_is_per_account_and_stable(client, ada, bob):
    _, ada_token = ada
    _, bob_token = bob
    first = begin_registration(client, ada_token)["user"]["id"]
    assert begin_registration(client, ada_token, passwordless=False)["user"]["id"] == first
    assert begin_registration(client, bob_token)["user"]["id"] != first


def test_a_new_begin_replaces_the_unfinished_one(client, ada, key):
    _, token = ada
    old = begin_registration(client, token)
    begin_registration(client, token)
    assert WebAuthnChallenge.objects.count() == 1
    assert refused(post(client, REGISTER, {"name": "Phone", "credential": key.register(old)}, token))


def test_a_passkey_must_verify_the_user_at_registration(client, ada, key):
    user, token = ada
    assert refused(register(client, token, key, passwordless=True, uv=False))
    assert not WebAuthnCredential.objects.exists() and not RecoveryCode.objects.exists()
    assert not WebAuthnChallenge.objects.exists()  # the refused response used the challenge up


@pytest.mark.parametrize(
    "tweaks",
    [
        {"origin": "https://evil.example"},
        {"origin": "http://auth.example.com"},  # not the configured scheme
        {"origin": "https://auth.example.com:8443"},
        {"rp_id": "evil.example"},
        {"rp_id": "example.com"},  # a parent domain is not the configured RP id
        {"challenge": b64url(b"\x00" * 64)},  # never issued
        {"client_type": "webauthn.get"},
        {"cross_origin": True},
        {"up": False},
    ],
    ids=[
        "foreign-origin",
        "http-origin",
        "other-port",
        "foreign-rp-id",
        "parent-rp-id",
        "made-up-challenge",
        "assertion-type",
        "cross-origin",
        "no-user-presence",
    ],
)
def test_registration_refuses_responses_not_made_for_this_ceremony(client, ada, key, tweaks):
    _, token = ada
    assert refused(register(client, token, key, **tweaks))
    assert not WebAuthnCredential.objects.exists()


def test_registration_refuses_a_replayed_response(client, ada, key):
    _, token = ada
    options = begin_registration(client, token)
    credential = key.register(options)
    assert post(client, REGISTER, {"name": "Phone", "credential": credential}, token).status_code == 201
    assert refused(post(client, REGISTER, {"name": "Phone", "credential": credential}, token))
    assert WebAuthnCredential.objects.count() == 1


def test_registration_refuses_an_expired_challenge(client, ada, key, clock, settings):
    _, token = ada
    options = begin_registration(client, token)
    clock.tick(settings.WEBAUTHN_CHALLENGE_TTL_SECONDS + 1)
    post(client, REAUTH, {"password": PASSWORD}, token)  # still a recent session
    assert refused(post(client, REGISTER, {"name": "Phone", "credential": key.register(options)}, token))


def test_registration_refuses_another_accounts_ceremony(client, ada, bob, key):
    _, ada_token = ada
    _, bob_token = bob
    bobs_options = begin_registration(client, bob_token)
    begin_registration(client, ada_token)
    assert refused(post(client, REGISTER, {"name": "Phone", "credential": key.register(bobs_options)}, ada_token))
    assert WebAuthnChallenge.objects.filter(user__email="bob@example.com").exists()  # Bob's is untouched


def test_a_credential_id_registered_to_another_account_is_refused(client, ada, bob, key):
    _, ada_token = ada
    _, bob_token = bob
    assert register(client, bob_token, key).status_code == 201
    taken = key.credentials[0].credential_id
    assert refused(register(client, ada_token, SoftAuthenticator(ORIGIN), credential_id=taken))
    assert WebAuthnCredential.objects.get().user.email == "bob@example.com"


def test_credential_ids_are_at_most_1023_bytes(client, ada):
    _, token = ada
    assert refused(register(client, token, SoftAuthenticator(ORIGIN), credential_id=b"\x01" * 1024))
    assert register(client, token, SoftAuthenticator(ORIGIN), credential_id=b"\x02" * 1023).status_code == 201


def test_a_public_key_with_a_big_cose_map_is_not_stored(client, ada):
    _, token = ada
    assert refused(register(client, token, SoftAuthenticator(ORIGIN), cose_extra={99: b"x" * 3000}))
    assert register(client, token, SoftAuthenticator(ORIGIN), cose_extra={99: b"x" * 100}).status_code == 201


def test_a_cose_map_with_duplicate_keys_is_refused(client, ada, key):
    """py_webauthn 3 parses CBOR refusing duplicate map keys: {3: -7, 3: -257} is one key twice."""
    _, token = ada
    options = begin_registration(client, token)
    credential = key.register(options)

    def duplicate_alg(data):
        attestation = cbor2.loads(data)
        auth_data = attestation["authData"]
        cose = key.credentials[-1].cose_public_key()
        doubled = bytes([cose[0] + 1]) + cose[1:] + cbor2.dumps(3) + cbor2.dumps(-257)  # a map of 6 with "3" twice
        attestation["authData"] = auth_data[: len(auth_data) - len(cose)] + doubled
        return cbor2.dumps(attestation)

    assert refused(
        post(
            client,
            REGISTER,
            {"name": "Phone", "credential": tampered(credential, "attestationObject", duplicate_alg)},
            token,
        )
    )


def test_the_request_never_names_the_relying_party(client, ada, key):
    """The RP id and origin come from the configuration: a foreign Host or Origin header changes
    neither the options nor what is accepted."""
    _, token = ada
    foreign = {"HTTP_ORIGIN": "https://evil.example", "HTTP_X_FORWARDED_HOST": "evil.example"}
    options = post(client, BEGIN, {"passwordless": True}, token, **foreign).json()["options"]
    assert options["rp"]["id"] == RP_ID
    forged = key.register(options, origin="https://evil.example", rp_id="evil.example")
    assert refused(post(client, REGISTER, {"name": "Phone", "credential": forged}, token, **foreign))
    assert post(client, PASSKEY_BEGIN, **foreign).json()["options"]["rpId"] == RP_ID


def test_registration_refuses_malformed_attestation_data_without_an_error(client, ada, key):
    _, token = ada
    options = begin_registration(client, token)
    credential = key.register(options)
    for change in (
        lambda data: b"not cbor at all",
        lambda data: cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": b"\x00" * 10}),
        lambda data: cbor2.dumps(
            {"fmt": "packed", "attStmt": {"alg": -7, "sig": b"x"}, "authData": cbor2.loads(data)["authData"]}
        ),
        lambda data: cbor2.dumps({"fmt": 7, "attStmt": {}, "authData": cbor2.loads(data)["authData"]}),
        lambda data: data[:-3],
    ):
        begin = begin_registration(client, token)
        fresh = key.register(begin)
        key.credentials.pop()
        assert refused(
            post(client, REGISTER, {"name": "Phone", "credential": tampered(fresh, "attestationObject", change)}, token)
        )
    assert not WebAuthnCredential.objects.exists() and credential


def test_too_many_credentials(client, ada, settings):
    settings.WEBAUTHN_MAX_CREDENTIALS = 2
    _, token = ada
    for _ in range(2):
        assert register(client, token, SoftAuthenticator(ORIGIN)).status_code == 201
    response = post(client, BEGIN, {"passwordless": True}, token)
    assert response.status_code == 400 and response.json()["code"] == "too_many_credentials"


@pytest.mark.parametrize(
    "method, path, body",
    [("post", BEGIN, {"passwordless": True}), ("post", REGISTER, {"name": "Phone", "credential": {}})],
)
def test_registering_needs_a_recent_authentication(client, ada, clock, method, path, body):
    _, token = ada
    clock.tick(timedelta(minutes=10, seconds=1))
    response = getattr(client, method)(path, body, format="json", **auth(token))
    assert response.status_code == 403 and response.json()["code"] == "reauthentication_required"
    assert not WebAuthnChallenge.objects.exists() and not WebAuthnUserHandle.objects.exists()


def test_a_stale_session_cannot_finish_a_registration_it_began(client, ada, key, clock):
    _, token = ada
    options = begin_registration(client, token)
    clock.tick(timedelta(minutes=10, seconds=1))
    response = post(client, REGISTER, {"name": "Phone", "credential": key.register(options)}, token)
    assert response.json()["code"] == "reauthentication_required" and not WebAuthnCredential.objects.exists()


def test_the_webauthn_endpoints_need_a_token(client):
    assert client.get(LIST).status_code == 401
    assert post(client, BEGIN, {"passwordless": True}).status_code == 401
    assert post(client, REGISTER, {"name": "x", "credential": {}}).status_code == 401
    assert client.patch(item_url(1), {"name": "x"}, format="json").status_code == 401
    assert client.delete(item_url(1)).status_code == 401
    assert post(client, REAUTH_BEGIN).status_code == 401


# ---- the list, renaming, removing ------------------------------------------------------------


def test_list_rename_and_remove(client, ada_passkey, outbox, clock):
    user, token, _ = ada_passkey
    clock.tick(1)
    assert (
        register(client, token, SoftAuthenticator(ORIGIN), passwordless=False, uv=False, name="YubiKey").status_code
        == 201
    )
    items = client.get(LIST, **auth(token)).json()
    assert [(i["name"], i["passwordless"]) for i in items] == [("Phone", True), ("YubiKey", False)]
    assert all(set(i) == {"id", "name", "passwordless", "created_at", "last_used_at"} for i in items)
    renamed = client.patch(item_url(items[1]["id"]), {"name": "Blue key"}, format="json", **auth(token))
    assert renamed.status_code == 200 and renamed.json() == {**items[1], "name": "Blue key"}
    removed = client.delete(item_url(items[1]["id"]), **auth(token))
    assert removed.status_code == 204
    assert [i["id"] for i in client.get(LIST, **auth(token)).json()] == [items[0]["id"]]
    notice = outbox.get(kind="mfa_factor_removed")
    assert "A security key was just removed" in notice.payload["text"] and "still work" in notice.payload["text"]
    assert RecoveryCode.objects.filter(user=user).count() == 10  # a factor remains
    assert client.delete(item_url(items[1]["id"]), **auth(token)).status_code == 404


def test_removing_the_last_factor_removes_the_recovery_codes(client, ada_passkey, outbox):
    user, token, _ = ada_passkey
    pk = WebAuthnCredential.objects.get().pk
    assert client.delete(item_url(pk), **auth(token)).status_code == 204
    assert not RecoveryCode.objects.filter(user=user).exists()
    assert "It was your last second factor" in outbox.get(kind="mfa_factor_removed").payload["text"]
    assert set(password_login(client)) == {"token", "expiry", "user"}  # the password alone again
    assert post(client, "/api/auth/mfa/recovery-codes/", token=token).json()["code"] == "mfa_not_enabled"


def test_another_accounts_credential_is_not_found(client, ada_passkey, bob):
    _, _, _ = ada_passkey
    _, bob_token = bob
    pk = WebAuthnCredential.objects.get().pk
    patched = client.patch(item_url(pk), {"name": "Mine now"}, format="json", **auth(bob_token))
    assert patched.status_code == 404 and patched.json()["code"] == "not_found"
    deleted = client.delete(item_url(pk), **auth(bob_token))
    assert deleted.status_code == 404
    assert client.delete(item_url(999999), **auth(bob_token)).status_code == 404
    assert WebAuthnCredential.objects.get().name == "Phone"
    assert client.get(LIST, **auth(bob_token)).json() == []


def test_renaming_needs_no_reauthentication_but_removing_does(client, ada_passkey, clock):
    _, token, _ = ada_passkey
    pk = WebAuthnCredential.objects.get().pk
    clock.tick(timedelta(minutes=11))
    assert client.get(LIST, **auth(token)).status_code == 200
    assert client.patch(item_url(pk), {"name": "Old phone"}, format="json", **auth(token)).status_code == 200
    stale = client.delete(item_url(pk), **auth(token))
    assert stale.status_code == 403 and stale.json()["code"] == "reauthentication_required"
    assert WebAuthnCredential.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    "name, accepted",
    [
        ("Phone", True),
        ("x" * 64, True),
        ("Clé de Zoë 🔑", True),
        ("a b", True),
        ("x" * 65, False),
        ("", False),
        (" Phone", False),
        ("Phone ", False),
        ("Phone\n", False),
        ("Ph\x00one", False),
        ("Ph\x1bone", False),
        ("Ph\x85one", False),
        (7, False),
        (None, False),
    ],
)
def test_names_are_one_to_64_printable_characters(client, ada_passkey, name, accepted):
    _, token, _ = ada_passkey
    pk = WebAuthnCredential.objects.get().pk
    response = client.patch(item_url(pk), {"name": name}, format="json", **auth(token))
    assert (response.status_code == 200) is accepted, response.content
    if not accepted:
        assert response.json()["code"] == "validation_error"


# ---- passwordless, usernameless login ----------------------------------------------------------


def test_passkey_login_options_name_no_account(client, ada_passkey):
    options = passkey_options(client)
    assert set(options) == {"challenge", "timeout", "rpId", "allowCredentials", "userVerification"}
    assert (options["rpId"], options["allowCredentials"], options["userVerification"]) == (RP_ID, [], "required")
    # Anyone may ask: nothing is stored (attack finding: stored challenges let many addresses fill
    # the database). The challenge is signed: 32 random bytes, its expiry and an HMAC.
    assert not WebAuthnChallenge.objects.exists()
    assert len(base64.urlsafe_b64decode(options["challenge"] + "==")) == 72
    assert passkey_options(client)["challenge"] != options["challenge"]


def test_a_passkey_logs_in_by_itself(client, ada_passkey):
    user, _, key = ada_passkey
    response = passkey_login(client, key)
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) == {"token", "expiry", "user"} and data["user"]["email"] == "ada@example.com"
    session = client.get("/api/auth/sessions/", **auth(data["token"])).json()
    current = next(row for row in session if row["current"])
    assert (current["auth_method"], current["second_factor"]) == ("passkey", None)
    stored = WebAuthnCredential.objects.get()
    assert stored.sign_count == 1 and stored.last_used_at is not None
    # The challenge that logged in is recorded, until it expires, so it logs in once only.
    (used,) = WebAuthnChallenge.objects.all()
    assert used.purpose == "passkey_login" and used.user is None
    assert AuthToken.objects.filter(auth_method="passkey").count() == 1


def test_a_passkey_login_in_the_browser_needs_csrf_and_sets_the_cookie(ada_passkey):
    _, _, key = ada_passkey
    browser = APIClient(enforce_csrf_checks=True)
    browser.get("/api/auth/csrf/")
    csrf = browser.cookies["csrftoken"].value
    cookie = {"HTTP_X_AUTH_TRANSPORT": "cookie"}
    options = passkey_options(browser, HTTP_X_CSRFTOKEN=csrf, **cookie)
    body = {"credential": key.assertion(options)}
    no_csrf = post(browser, PASSKEY_LOGIN, body, **cookie)
    assert no_csrf.status_code == 403 and no_csrf.json()["code"] == "csrf_failed"
    assert WebAuthnCredential.objects.get().sign_count == 0  # refused before the assertion was looked at
    response = post(browser, PASSKEY_LOGIN, body, HTTP_X_CSRFTOKEN=csrf, **cookie)
    assert response.status_code == 200, response.content
    assert "token" not in response.json() and response.cookies["auth_token"]["httponly"]
    assert browser.cookies["csrftoken"].value != csrf  # rotated, as at login
    me = browser.get("/api/auth/me/", HTTP_X_AUTH_TRANSPORT="cookie")
    assert me.status_code == 200 and me.json()["email"] == "ada@example.com"


def test_a_passkey_login_is_never_asked_for_a_second_factor(client, ada_passkey):
    _, _, key = ada_passkey
    assert password_login(client)["mfa_required"] is True  # the password alone is not enough now
    assert "token" in passkey_login(client, key).json()


def test_a_replayed_assertion_is_refused(client, ada_passkey):
    _, _, key = ada_passkey
    options = passkey_options(client)
    credential = key.assertion(options)
    assert post(client, PASSKEY_LOGIN, {"credential": credential}).status_code == 200
    assert refused(post(client, PASSKEY_LOGIN, {"credential": credential}))
    assert AuthToken.objects.filter(auth_method="passkey").count() == 1


def test_an_assertion_for_a_counterless_passkey_is_still_single_use(client, make_user, clock):
    make_user()
    token = login_token(client)
    synced = SoftAuthenticator(ORIGIN, counter_step=0)  # like most synced passkeys: the counter stays 0
    assert register(client, token, synced, backup_eligible=True, backed_up=True).status_code == 201
    options = passkey_options(client)
    credential = synced.assertion(options)
    assert post(client, PASSKEY_LOGIN, {"credential": credential}).status_code == 200
    assert refused(post(client, PASSKEY_LOGIN, {"credential": credential}))  # the challenge is gone
    assert passkey_login(client, synced).status_code == 200  # a fresh one works: 0 after 0 is no regression
    stored = WebAuthnCredential.objects.get()
    assert (stored.sign_count, stored.backup_eligible, stored.backed_up) == (0, True, True)


def test_an_expired_challenge_is_refused(client, ada_passkey, clock, settings):
    _, _, key = ada_passkey
    options = passkey_options(client)
    clock.tick(settings.WEBAUTHN_CHALLENGE_TTL_SECONDS + 1)
    assert refused(passkey_login(client, key, options))
    assert not WebAuthnChallenge.objects.exists()


def test_a_challenge_lives_its_ttl(client, ada_passkey, clock, settings):
    _, _, key = ada_passkey
    options = passkey_options(client)
    clock.tick(settings.WEBAUTHN_CHALLENGE_TTL_SECONDS - 5)
    assert passkey_login(client, key, options).status_code == 200


def test_challenges_of_other_purposes_do_not_log_in(client, ada_passkey):
    _, token, key = ada_passkey
    reauth_options = post(client, REAUTH_BEGIN, token=token).json()["options"]
    assert refused(post(client, PASSKEY_LOGIN, {"credential": key.assertion(reauth_options)}))
    # The reauthentication's challenge is still there for its own purpose.
    assert WebAuthnChallenge.objects.filter(purpose="reauthenticate").count() == 1
    registration = begin_registration(client, token)
    assert refused(post(client, PASSKEY_LOGIN, {"credential": key.assertion({**registration, "rpId": RP_ID})}))


@pytest.mark.parametrize(
    "tweaks",
    [
        {"origin": "https://evil.example"},
        {"origin": "https://auth.example.com.evil.example"},
        {"origin": "http://auth.example.com"},
        {"rp_id": "evil.example"},
        {"rp_id": "example.com"},
        {"client_type": "webauthn.create"},
        {"cross_origin": True},
        {"up": False},
        {"uv": False},
    ],
    ids=[
        "foreign-origin",
        "look-alike-origin",
        "http-origin",
        "foreign-rp-id-hash",
        "parent-rp-id-hash",
        "registration-type",
        "cross-origin",
        "no-user-presence",
        "no-user-verification",
    ],
)
def test_passkey_login_refuses_assertions_not_made_for_this_site(client, ada_passkey, tweaks):
    _, _, key = ada_passkey
    assert refused(passkey_login(client, key, **tweaks))
    assert WebAuthnChallenge.objects.count() == 0  # used up all the same: no second try with it
    assert not AuthToken.objects.filter(auth_method="passkey").exists()


def test_a_tampered_signature_is_refused(client, ada_passkey):
    _, _, key = ada_passkey
    credential = key.assertion(passkey_options(client))
    assert refused(post(client, PASSKEY_LOGIN, {"credential": tampered(credential, "signature", flip_last_bit)}))
    garbage = tampered(credential, "signature", lambda data: b"\x30\x06\x02\x01\x01\x02\x01\x01")
    assert refused(post(client, PASSKEY_LOGIN, {"credential": garbage}))


def test_tampered_client_data_or_authenticator_data_is_refused(client, ada_passkey):
    _, _, key = ada_passkey
    options = passkey_options(client)
    credential = key.assertion(options)

    def add_a_field(data):  # the same challenge, origin and type: still not what was signed
        return json.dumps({**json.loads(data), "extra": 1}).encode()

    assert refused(post(client, PASSKEY_LOGIN, {"credential": tampered(credential, "clientDataJSON", add_a_field)}))
    options = passkey_options(client)
    credential = key.assertion(options)

    def raise_the_counter(data):
        return data[:33] + (2**31).to_bytes(4, "big")

    assert refused(
        post(client, PASSKEY_LOGIN, {"credential": tampered(credential, "authenticatorData", raise_the_counter)})
    )
    assert WebAuthnCredential.objects.get().sign_count == 0


@pytest.mark.parametrize("counter", [3, 5])  # lower, and equal (not zero)
def test_a_signature_counter_that_does_not_go_up_is_refused_and_logged(client, ada_passkey, caplog, counter):
    _, _, key = ada_passkey
    credential = key.credentials[0]
    credential.sign_count = 4
    assert passkey_login(client, key).status_code == 200  # counter 5
    with caplog.at_level(logging.INFO, logger="accounts.passkeys"):
        assert refused(passkey_login(client, key, sign_count=counter))
    assert WebAuthnCredential.objects.get().sign_count == 5
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "accounts.passkeys"]
    assert len(warnings) == 1 and "possible cloned authenticator" in warnings[0].getMessage()
    assert passkey_login(client, key, sign_count=6).status_code == 200


def test_no_clone_warning_for_an_unsigned_low_counter(client, ada_passkey, caplog):
    _, _, key = ada_passkey
    key.credentials[0].sign_count = 4
    assert passkey_login(client, key).status_code == 200
    forged = key.assertion(passkey_options(client), sign_count=1)
    with caplog.at_level(logging.INFO, logger="accounts.passkeys"):
        assert refused(post(client, PASSKEY_LOGIN, {"credential": tampered(forged, "signature", flip_last_bit)}))
        assert refused(passkey_login(client, key, sign_count=2, uv=False))  # refused for its missing UV too
    assert not [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "accounts.passkeys"]


def test_an_unknown_credential_is_refused(client, ada_passkey):
    stranger = SoftAuthenticator(ORIGIN)
    stranger.register(
        {
            "rp": {"id": RP_ID},
            "user": {"id": b64url(b"u" * 32)},
            "challenge": b64url(b"c" * 32),
            "authenticatorSelection": {"residentKey": "required"},
        }
    )
    assert refused(passkey_login(client, stranger))


def test_the_user_handle_must_be_the_credentials_account(client, ada_passkey, bob):
    _, _, key = ada_passkey
    _, bob_token = bob
    begin_registration(client, bob_token)  # Bob has a user handle too
    bobs_handle = bytes(WebAuthnUserHandle.objects.get(user__email="bob@example.com").handle)
    assert refused(passkey_login(client, key, user_handle=bobs_handle))
    assert refused(passkey_login(client, key, user_handle=b"\x00" * 32))
    assert refused(passkey_login(client, key, user_handle=None))  # a passkey login must name the account
    assert passkey_login(client, key).status_code == 200


def test_a_security_key_does_not_log_in_by_itself(client, ada_security_key):
    _, _, key = ada_security_key
    key.credentials[0].discoverable = True  # even if the authenticator kept it as discoverable
    assert refused(passkey_login(client, key))
    assert refused(passkey_login(client, key, uv=True))


def test_a_deactivated_account_cannot_log_in_with_its_passkey(client, ada_passkey):
    user, _, key = ada_passkey
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert refused(passkey_login(client, key))


def test_a_changed_backup_eligibility_is_refused(client, ada_passkey):
    _, _, key = ada_passkey
    assert refused(passkey_login(client, key, backup_eligible=True))
    assert refused(passkey_login(client, key, backed_up=True, backup_eligible=False))  # BS without BE


def test_a_removed_passkey_no_longer_logs_in(client, ada_passkey):
    _, token, key = ada_passkey
    assert client.delete(item_url(WebAuthnCredential.objects.get().pk), **auth(token)).status_code == 204
    assert refused(passkey_login(client, key))


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"credential": None},
        {"credential": "a string"},
        {"credential": []},
        {"credential": {}},
        {"credential": {"id": "AA", "rawId": "AA", "type": "public-key"}},
        {"credential": {"id": "AA", "rawId": "AA", "type": "password", "response": {}}},
        {
            "credential": {
                "id": "A A",
                "rawId": "AA",
                "type": "public-key",
                "response": {"clientDataJSON": "AA", "authenticatorData": "AA", "signature": "AA"},
            }
        },
        {
            "credential": {
                "id": "AA",
                "rawId": "AA",
                "type": "public-key",
                "response": {"clientDataJSON": "AA==", "authenticatorData": "AA", "signature": "AA"},
            }
        },
        {
            "credential": {
                "id": "AA",
                "rawId": "AA",
                "type": "public-key",
                "response": {"clientDataJSON": 1, "authenticatorData": "AA", "signature": "AA"},
            }
        },
        {
            "credential": {
                "id": "AA",
                "rawId": "AA",
                "type": "public-key",
                "response": {"clientDataJSON": "AA", "authenticatorData": "AA", "signature": "AA", "userHandle": 5},
            }
        },
        {
            "credential": {
                "id": "AA",
                "rawId": "AA",
                "type": "public-key",
                "authenticatorAttachment": "usb",
                "response": {"clientDataJSON": "AA", "authenticatorData": "AA", "signature": "AA"},
            }
        },
        {
            "credential": {
                "id": "A" * 1367,
                "rawId": "AA",
                "type": "public-key",
                "response": {"clientDataJSON": "AA", "authenticatorData": "AA", "signature": "AA"},
            }
        },
    ],
)
def test_malformed_credentials_are_validation_errors(client, body):
    response = post(client, PASSKEY_LOGIN, body)
    assert response.status_code == 400 and response.json()["code"] == "validation_error", response.content


@pytest.mark.parametrize(
    "response_part",
    [
        {"clientDataJSON": "AA", "authenticatorData": "AA", "signature": "AA"},
        {"clientDataJSON": b64url(b"[1, 2]"), "authenticatorData": "AA", "signature": "AA"},
        {"clientDataJSON": b64url(b'{"type": "webauthn.get"}'), "authenticatorData": "AA", "signature": "AA"},
        {
            "clientDataJSON": b64url(b'{"type": 1, "challenge": 5, "origin": null}'),
            "authenticatorData": "AA",
            "signature": "AA",
        },
        {"clientDataJSON": b64url(b"\xff\xfe"), "authenticatorData": "AA", "signature": "AA"},
        {"clientDataJSON": "A", "authenticatorData": "A", "signature": "A"},  # not even base64
    ],
)
def test_well_formed_nonsense_is_refused_not_an_error(client, ada_passkey, response_part):
    credential_id = b64url(ada_passkey[2].credentials[0].credential_id)
    body = {
        "credential": {"id": credential_id, "rawId": credential_id, "type": "public-key", "response": response_part}
    }
    assert refused(post(client, PASSKEY_LOGIN, body))


def test_a_real_challenge_with_nonsense_around_it_is_refused_and_used_up(client, ada_passkey):
    key = ada_passkey[2]
    options = passkey_options(client)
    credential = key.assertion(options)
    credential["response"]["authenticatorData"] = "AAAA"
    assert refused(post(client, PASSKEY_LOGIN, {"credential": credential}))
    assert not WebAuthnChallenge.objects.exists()
    mismatch = key.assertion(passkey_options(client))
    mismatch["id"] = b64url(b"another id")  # id and rawId differ
    assert refused(post(client, PASSKEY_LOGIN, {"credential": mismatch}))


def test_the_passkey_endpoints_are_throttled_per_client(client, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "webauthn_ip": "3/10m"}
    answers = [post(client, PASSKEY_BEGIN, REMOTE_ADDR="10.1.1.1").status_code for _ in range(3)]
    answers.append(post(client, PASSKEY_LOGIN, {"credential": {}}, REMOTE_ADDR="10.1.1.1").status_code)
    answers.append(post(client, PASSKEY_BEGIN, REMOTE_ADDR="10.1.1.1").status_code)
    assert answers == [200, 200, 200, 429, 429]
    assert post(client, PASSKEY_BEGIN, REMOTE_ADDR="10.1.1.2").status_code == 200
    refused_one = post(client, MFA_BEGIN, {"challenge": "x" * 43}, REMOTE_ADDR="10.1.1.1")
    assert refused_one.status_code == 429 and "Retry-After" in refused_one.headers


def test_expired_challenges_are_dropped_by_the_relay_job(client, ada_passkey, clock, settings):
    from django.conf import settings as django_settings

    from accounts.passkeys import forget_expired_challenges

    assert "accounts.passkeys.forget_expired_challenges" in django_settings.OUTBOX_RELAY_JOBS
    _, _, key = ada_passkey
    token = passkey_login(client, key).json()["token"]  # leaves the record of its used challenge
    reauth_options = post(client, "/api/auth/reauthenticate/webauthn/begin/", token=token)
    assert reauth_options.status_code == 200
    assert forget_expired_challenges() == 0 and WebAuthnChallenge.objects.count() == 2
    clock.tick(settings.WEBAUTHN_CHALLENGE_TTL_SECONDS)
    assert forget_expired_challenges() == 2 and not WebAuthnChallenge.objects.exists()


# ---- the login's second step -----------------------------------------------------------------


def test_a_security_key_is_the_second_step_of_a_password_login(client, ada_security_key):
    user, _, key = ada_security_key
    first = password_login(client)
    assert first["mfa_required"] is True and first["methods"] == ["recovery_code", "webauthn"]
    options = second_step_options(client, first["challenge"])
    assert options["allowCredentials"] == [
        {"id": b64url(key.credentials[0].credential_id), "type": "public-key", "transports": ["usb"]}
    ]
    assert options["userVerification"] == "preferred" and options["rpId"] == RP_ID
    response = post(
        client, LOGIN_MFA, {"challenge": first["challenge"], "credential": key.assertion(options, uv=False)}
    )
    assert response.status_code == 200, response.content
    token = response.json()["token"]
    current = next(row for row in client.get("/api/auth/sessions/", **auth(token)).json() if row["current"])
    assert (current["auth_method"], current["second_factor"]) == ("password", "webauthn")
    assert not LoginChallenge.objects.exists() and not WebAuthnChallenge.objects.exists()
    again = post(client, LOGIN_MFA, {"challenge": first["challenge"], "credential": key.assertion(options)})
    assert again.json()["code"] == "invalid_challenge"


def test_a_passkey_works_as_the_second_step_too(client, ada_passkey):
    _, _, key = ada_passkey
    challenge = password_login(client)["challenge"]
    options = second_step_options(client, challenge)
    assert post(client, LOGIN_MFA, {"challenge": challenge, "credential": key.assertion(options)}).status_code == 200


def test_the_second_step_in_the_browser(ada_security_key):
    _, _, key = ada_security_key
    browser = APIClient(enforce_csrf_checks=True)
    browser.get("/api/auth/csrf/")
    csrf = browser.cookies["csrftoken"].value
    cookie = {"HTTP_X_AUTH_TRANSPORT": "cookie", "HTTP_X_CSRFTOKEN": csrf}
    challenge = post(browser, LOGIN, {"email": "ada@example.com", "password": PASSWORD}, **cookie).json()["challenge"]
    options = post(browser, MFA_BEGIN, {"challenge": challenge}, **cookie).json()["options"]
    response = post(browser, LOGIN_MFA, {"challenge": challenge, "credential": key.assertion(options)}, **cookie)
    assert response.status_code == 200 and "token" not in response.json()
    assert response.cookies["auth_token"]["httponly"]


def test_every_method_the_account_has_is_named(client, ada_security_key, clock):
    import pyotp

    _, token, _ = ada_security_key
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    code = pyotp.TOTP(secret).now()
    confirmed = post(client, "/api/auth/mfa/totp/confirm/", {"code": code}, token)
    assert confirmed.status_code == 200 and confirmed.json() == {"recovery_codes": []}  # not the first factor
    assert password_login(client)["methods"] == ["totp", "recovery_code", "webauthn"]
    RecoveryCode.objects.update(used_at=datetime.now(UTC))
    assert password_login(client)["methods"] == ["totp", "webauthn"]


def test_another_accounts_credential_does_not_complete_the_second_step(client, ada_security_key, bob):
    _, _, _ = ada_security_key
    _, bob_token = bob
    bobs_key = SoftAuthenticator(ORIGIN)
    assert register(client, bob_token, bobs_key, passwordless=False).status_code == 201
    challenge = password_login(client)["challenge"]
    options = second_step_options(client, challenge)
    bobs_assertion = bobs_key.assertion(options, credential=bobs_key.credentials[0])
    response = post(client, LOGIN_MFA, {"challenge": challenge, "credential": bobs_assertion})
    assert refused(response)
    assert LoginChallenge.objects.get().failed_attempts == 1


def test_the_second_step_needs_its_own_begin(client, ada_security_key):
    _, token, key = ada_security_key
    first, second = password_login(client)["challenge"], password_login(client)["challenge"]
    options_of_first = second_step_options(client, first)
    # An assertion for the first login's options does not complete the second login.
    assert refused(post(client, LOGIN_MFA, {"challenge": second, "credential": key.assertion(options_of_first)}))
    # Nor do the options of a passkey login or of a reauthentication.
    for options in (passkey_options(client), post(client, REAUTH_BEGIN, token=token).json()["options"]):
        assert refused(
            post(
                client,
                LOGIN_MFA,
                {
                    "challenge": second,
                    "credential": key.assertion({**options, "allowCredentials": []}, credential=key.credentials[0]),
                },
            )
        )
    assert (
        post(client, LOGIN_MFA, {"challenge": first, "credential": key.assertion(options_of_first)}).status_code == 200
    )


def test_a_new_second_step_begin_replaces_the_earlier_one(client, ada_security_key):
    _, _, key = ada_security_key
    challenge = password_login(client)["challenge"]
    old = second_step_options(client, challenge)
    new = second_step_options(client, challenge)
    assert WebAuthnChallenge.objects.count() == 1
    assert refused(post(client, LOGIN_MFA, {"challenge": challenge, "credential": key.assertion(old)}))
    assert post(client, LOGIN_MFA, {"challenge": challenge, "credential": key.assertion(new)}).status_code == 200


def test_five_refused_assertions_kill_the_login_challenge(client, ada_security_key):
    _, _, key = ada_security_key
    challenge = password_login(client)["challenge"]
    for _ in range(5):
        options = second_step_options(client, challenge)
        bad = tampered(key.assertion(options), "signature", flip_last_bit)
        assert refused(post(client, LOGIN_MFA, {"challenge": challenge, "credential": bad}))
    dead = post(client, MFA_BEGIN, {"challenge": challenge})
    assert dead.status_code == 400 and dead.json()["code"] == "invalid_challenge"


def test_refused_assertions_spend_the_second_factor_budget(client, ada_security_key, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "mfa_account": "2/15m"}
    _, _, key = ada_security_key
    answers = []
    for _ in range(3):
        challenge = password_login(client)["challenge"]
        bad = tampered(key.assertion(second_step_options(client, challenge)), "signature", flip_last_bit)
        answers.append(post(client, LOGIN_MFA, {"challenge": challenge, "credential": bad}).status_code)
    assert answers == [400, 400, 429]


def test_second_step_begin_refuses_dead_unknown_and_factorless_challenges(client, ada_security_key, clock, settings):
    user, token, _ = ada_security_key
    unknown = post(client, MFA_BEGIN, {"challenge": "x" * 43})
    assert unknown.status_code == 400 and unknown.json()["code"] == "invalid_challenge"
    challenge = password_login(client)["challenge"]
    clock.tick(settings.MFA_CHALLENGE_TTL_MINUTES * 60 + 1)
    assert post(client, MFA_BEGIN, {"challenge": challenge}).json()["code"] == "invalid_challenge"
    assert not LoginChallenge.objects.exists()


def test_the_second_steps_webauthn_challenge_dies_with_its_login_challenge(client, ada_security_key, clock, settings):
    from accounts.mfa_login import forget_expired_challenges

    _, _, key = ada_security_key
    challenge = password_login(client)["challenge"]
    options = second_step_options(client, challenge)
    clock.tick(settings.MFA_CHALLENGE_TTL_MINUTES * 60 + 1)
    assert forget_expired_challenges() == 2 and not WebAuthnChallenge.objects.exists()  # the two rows
    response = post(client, LOGIN_MFA, {"challenge": challenge, "credential": key.assertion(options)})
    assert response.json()["code"] == "invalid_challenge"


def test_second_step_begin_for_an_account_with_only_an_app(client, make_user, clock):
    import pyotp

    make_user()
    token = login_token(client)
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    assert post(client, "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(secret).now()}, token).status_code == 200
    first = password_login(client)
    assert first["methods"] == ["totp", "recovery_code"]
    response = post(client, MFA_BEGIN, {"challenge": first["challenge"]})
    assert refused_with_detail(response)
    assert not WebAuthnChallenge.objects.exists()


def refused_with_detail(response):
    assert response.status_code == 400 and response.json()["code"] == "invalid_credential"
    return True


def test_adding_or_removing_a_credential_kills_pending_login_challenges(client, ada_security_key):
    _, token, key = ada_security_key
    challenge = password_login(client)["challenge"]
    assert register(client, token, SoftAuthenticator(ORIGIN), passwordless=False).status_code == 201
    assert post(client, MFA_BEGIN, {"challenge": challenge}).json()["code"] == "invalid_challenge"
    challenge = password_login(client)["challenge"]
    options = second_step_options(client, challenge)
    other = WebAuthnCredential.objects.exclude(credential_id=key.credentials[0].credential_id).get()
    assert client.delete(item_url(other.pk), **auth(token)).status_code == 204
    response = post(client, LOGIN_MFA, {"challenge": challenge, "credential": key.assertion(options)})
    assert response.json()["code"] == "invalid_challenge"


@pytest.mark.parametrize(
    "body",
    [
        {"challenge": "c" * 43, "code": "123456", "credential": {}},
        {"challenge": "c" * 43, "recovery_code": "ABCD-EFGH-IJKL", "credential": {}},
        {"challenge": "c" * 43, "credential": "x"},
        {"challenge": "c" * 43, "credential": None},
        {"credential": {}},
    ],
)
def test_the_second_step_refuses_malformed_bodies(client, body):
    assert post(client, LOGIN_MFA, body).json()["code"] == "validation_error"


# ---- reauthentication ------------------------------------------------------------------------


def test_reauthenticating_with_a_passkey(client, ada_passkey, clock):
    _, token, key = ada_passkey
    clock.tick(timedelta(minutes=30))
    assert post(client, BEGIN, {"passwordless": True}, token).json()["code"] == "reauthentication_required"
    options = post(client, REAUTH_BEGIN, token=token).json()["options"]
    assert options["allowCredentials"][0]["id"] == b64url(key.credentials[0].credential_id)
    response = post(client, REAUTH, {"credential": key.assertion(options)}, token)
    assert response.status_code == 200, response.content
    until = datetime.fromisoformat(response.json()["reauthenticated_until"].replace("Z", "+00:00"))
    assert until == datetime.now(UTC) + timedelta(minutes=10)
    assert post(client, BEGIN, {"passwordless": True}, token).status_code == 200
    assert WebAuthnCredential.objects.get().sign_count == 1


def test_a_replayed_or_foreign_reauthentication_is_refused(client, ada_passkey, bob, clock):
    _, token, key = ada_passkey
    _, bob_token = bob
    bobs_key = SoftAuthenticator(ORIGIN)
    assert register(client, bob_token, bobs_key).status_code == 201
    clock.tick(timedelta(minutes=30))
    options = post(client, REAUTH_BEGIN, token=token).json()["options"]
    credential = key.assertion(options)
    assert post(client, REAUTH, {"credential": credential}, token).status_code == 200
    assert refused(post(client, REAUTH, {"credential": credential}, token))
    # Bob's passkey, or Bob's session with Ada's assertion: never.
    options = post(client, REAUTH_BEGIN, token=token).json()["options"]
    assert refused(
        post(client, REAUTH, {"credential": bobs_key.assertion(options, credential=bobs_key.credentials[0])}, token)
    )
    options = post(client, REAUTH_BEGIN, token=token).json()["options"]
    assert refused(post(client, REAUTH, {"credential": key.assertion(options)}, bob_token))
    assert refused(post(client, REAUTH, {"credential": key.assertion(options, origin="https://evil.example")}, token))


def test_reauthentication_failures_spend_the_second_factor_budget(client, ada_passkey, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "mfa_account": "2/15m"}
    _, token, key = ada_passkey
    answers = []
    for _ in range(3):
        options = post(client, REAUTH_BEGIN, token=token).json()["options"]
        bad = tampered(key.assertion(options), "signature", flip_last_bit)
        answers.append(post(client, REAUTH, {"credential": bad}, token).status_code)
    assert answers == [400, 400, 429]


def test_reauthentication_begin_needs_a_credential(client, ada):
    _, token = ada
    assert refused_with_detail(post(client, REAUTH_BEGIN, token=token))
    assert not WebAuthnChallenge.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"password": PASSWORD, "credential": {}},
        {"code": "123456", "credential": {}},
        {"credential": "x"},
        {"credential": {"id": "AA"}},
    ],
)
def test_reauthenticate_refuses_malformed_bodies(client, ada, body):
    _, token = ada
    assert post(client, REAUTH, body, token).json()["code"] == "validation_error"


# ---- the rest of the account -----------------------------------------------------------------


def test_recovery_codes_work_with_a_passkey_only_account(client, ada_passkey, outbox):
    _, token, _ = ada_passkey
    response = post(client, "/api/auth/mfa/recovery-codes/", token=token)
    assert response.status_code == 200 and len(response.json()["recovery_codes"]) == 10
    challenge = password_login(client)["challenge"]
    used = post(client, LOGIN_MFA, {"challenge": challenge, "recovery_code": response.json()["recovery_codes"][0]})
    assert used.status_code == 200


def test_disabling_the_app_keeps_the_codes_while_a_key_remains(client, ada_security_key, clock):
    import pyotp

    user, token, _ = ada_security_key
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    assert post(client, "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(secret).now()}, token).status_code == 200
    clock.tick(30)
    response = client.delete("/api/auth/mfa/totp/", {"code": pyotp.TOTP(secret).now()}, format="json", **auth(token))
    assert response.status_code == 204
    assert RecoveryCode.objects.filter(user=user).count() == 10
    assert password_login(client)["methods"] == ["recovery_code", "webauthn"]


def test_an_admin_sees_and_resets_a_passkey_only_account(client, admin, ada_passkey, outbox):
    user, _, key = ada_passkey
    token = login_token(client, email="root@example.com")
    listed = client.get("/api/admin/users/?search=ada", **auth(token)).json()["results"]
    assert [row["mfa_enabled"] for row in listed] == [True]
    assert post(client, f"/api/admin/users/{user.pk}/mfa/reset/", token=token).status_code == 204
    assert not WebAuthnCredential.objects.filter(user=user).exists() and not RecoveryCode.objects.exists()
    assert refused(passkey_login(client, key))
    assert client.get(f"/api/admin/users/{user.pk}/", **auth(token)).json()["mfa_enabled"] is False


def test_deleting_the_account_deletes_its_credentials(client, ada_passkey):
    user, token, key = ada_passkey
    response = client.delete("/api/auth/me/", {"password": PASSWORD}, format="json", **auth(token))
    assert response.status_code == 204
    assert not WebAuthnCredential.objects.exists() and not WebAuthnUserHandle.objects.exists()
    assert refused(passkey_login(client, key))


def test_me_stays_one_query_for_an_account_with_passkeys(client, ada_passkey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, token, _ = ada_passkey
    client.get("/api/auth/me/", **auth(token))  # a first request may touch the token
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/auth/me/", **auth(token)).status_code == 200
    assert len(queries.captured_queries) == 1


def test_a_login_by_emailed_code_takes_the_security_key_as_its_second_step(client, ada_security_key):
    from accounts import login, mfa_login

    user, _, key = ada_security_key
    assert mfa_login.needs_second_factor(user)
    started = mfa_login.start(user, first_factor=login.EMAIL_CODE)  # what login/code/confirm/ answers
    assert started.methods == ("recovery_code", "webauthn")
    options = second_step_options(client, started.challenge)
    response = post(client, LOGIN_MFA, {"challenge": started.challenge, "credential": key.assertion(options)})
    assert response.status_code == 200, response.content
    current = next(
        r for r in client.get("/api/auth/sessions/", **auth(response.json()["token"])).json() if r["current"]
    )
    assert (current["auth_method"], current["second_factor"]) == ("email_code", "webauthn")


def test_a_login_challenge_this_site_did_not_sign_is_refused(client, ada_passkey):
    """The usernameless login's challenge is signed, not stored: a made-up one, or a real one
    with its expiry moved, is refused even with a right signature of the passkey over it."""
    import secrets

    _, _, key = ada_passkey
    options = passkey_options(client)
    real = from_b64url(options["challenge"])
    later = real[:32] + (int.from_bytes(real[32:40], "big") + 3600).to_bytes(8, "big") + real[40:]
    for challenge in (secrets.token_bytes(len(real)), later, real[:-1]):
        response = passkey_login(client, key, {**options, "challenge": b64url(challenge)})
        assert refused(response), response.content
    assert not WebAuthnChallenge.objects.exists()
    assert passkey_login(client, key, options).status_code == 200  # the real one still works


def test_a_response_made_in_another_sites_frame_is_refused(client, ada, key):
    """Attack finding: py_webauthn does not read topOrigin, which a browser sets only for a
    ceremony in another site's frame (crossOrigin false is no proof of the contrary)."""
    user, token = ada
    framed = {"crossOrigin": False, "topOrigin": "https://evil.example"}
    assert refused(register(client, token, SoftAuthenticator(ORIGIN), client_extra=framed))
    assert register(client, token, key).status_code == 201
    assert refused(passkey_login(client, key, client_extra=framed))
    assert passkey_login(client, key).status_code == 200


def test_a_public_key_off_its_curve_is_not_registered(client, ada, key):
    """Attack finding: an EC point not on P-256 was stored, a factor that can never verify."""
    user, token = ada
    options = begin_registration(client, token)
    response = key.register(options)
    credential = key.credentials[-1]
    numbers = credential.private_key.public_key().public_numbers()
    off_curve = {
        1: 2,
        3: -7,
        -1: 1,
        -2: numbers.x.to_bytes(32, "big"),
        -3: ((numbers.y + 1) % 2**256).to_bytes(32, "big"),
    }
    attestation = cbor2.loads(from_b64url(response["response"]["attestationObject"]))
    auth_data = attestation["authData"]
    good_key = credential.cose_public_key()
    attestation["authData"] = auth_data.replace(good_key, cbor2.dumps(off_curve))
    response["response"]["attestationObject"] = b64url(cbor2.dumps(attestation))
    assert refused(post(client, REGISTER, {"name": "Broken", "credential": response}, token))
    assert not WebAuthnCredential.objects.exists()


@pytest.mark.parametrize("name", ["\u202egnp.exe", "a\u200bb", "\ufeffx", "a\u2028b", "a\u2066b\u2069"])
def test_names_with_invisible_characters_are_refused(client, ada_passkey, name):
    _, token, _ = ada_passkey
    pk = WebAuthnCredential.objects.get().pk
    response = client.patch(item_url(pk), {"name": name}, format="json", **auth(token))
    assert response.status_code == 400 and response.json()["code"] == "validation_error"
    assert WebAuthnCredential.objects.get().name == "Phone"
