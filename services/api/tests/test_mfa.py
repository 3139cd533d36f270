"""Second factors: TOTP set-up and confirmation, recovery codes, the login's second step, disabling."""

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from freezegun import freeze_time

from accounts.models import AuthToken, LoginChallenge, RecoveryCode, TOTPDevice
from tests.conftest import PASSWORD, auth, login_token

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 1, 4, 12, 0, 0, tzinfo=UTC)  # the start of a 30-second step
SETUP, CONFIRM, TOTP, STATUS = (
    "/api/auth/mfa/totp/setup/",
    "/api/auth/mfa/totp/confirm/",
    "/api/auth/mfa/totp/",
    "/api/auth/mfa/",
)
CODES, LOGIN, LOGIN_MFA = "/api/auth/mfa/recovery-codes/", "/api/auth/login/", "/api/auth/login/mfa/"


def code_at(secret, when, offset_steps=0):
    return pyotp.TOTP(secret).generate_otp(int(when.timestamp()) // 30 + offset_steps)


@pytest.fixture
def clock():
    with freeze_time(T0) as frozen:
        yield frozen


def post(client, url, body=None, token=None, **extra):
    return client.post(url, body, format="json", **(auth(token) if token else {}), **extra)


@pytest.fixture
def ada(client, make_user, clock):
    user = make_user()
    return user, login_token(client)


@pytest.fixture
def ada_mfa(client, ada, clock):
    """Ada with a confirmed app (its code of T0's step used), at T0 + 60 s."""
    user, token = ada
    secret = post(client, SETUP, token=token).json()["secret"]
    response = post(client, CONFIRM, {"code": code_at(secret, T0)}, token)
    assert response.status_code == 200, response.content
    clock.tick(60)
    return user, token, secret, response.json()["recovery_codes"]


def now():
    return datetime.now(UTC)


def start_login(client, **extra):
    response = post(client, LOGIN, {"email": "ada@example.com", "password": PASSWORD}, **extra)
    assert response.status_code == 200, response.content
    return response.json()


# ---- set-up and confirmation ---------------------------------------------------------------


def test_setup_gives_a_fresh_secret_and_otpauth_uri_stored_unconfirmed(client, ada, settings):
    settings.SITE_NAME = "Example Auth"
    user, token = ada
    first = post(client, SETUP, token=token)
    assert first.status_code == 200 and set(first.json()) == {"secret", "otpauth_uri"}
    secret, uri = first.json()["secret"], urlsplit(first.json()["otpauth_uri"])
    assert len(secret) == 32 and pyotp.TOTP(secret).byte_secret()  # 160 bits of base32
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert uri.path == "/Example%20Auth:ada%40example.com"
    query = parse_qs(uri.query)
    assert query["secret"] == [secret] and query["issuer"] == ["Example Auth"]
    device = TOTPDevice.objects.get(user=user)
    assert device.confirmed_at is None and secret not in device.encrypted_secret
    again = post(client, SETUP, token=token).json()["secret"]
    assert again != secret and TOTPDevice.objects.count() == 1  # replaces the unconfirmed seed
    assert client.get(STATUS, **auth(token)).json()["totp_enabled"] is False


def test_setup_needs_a_token(client):
    assert post(client, SETUP).status_code == 401
    assert post(client, CONFIRM, {"code": "123456"}).status_code == 401
    assert client.get(STATUS).status_code == 401


def test_confirm_enables_and_returns_ten_recovery_codes_once(client, ada, outbox):
    user, token = ada
    secret = post(client, SETUP, token=token).json()["secret"]
    response = post(client, CONFIRM, {"code": code_at(secret, T0)}, token)
    assert response.status_code == 200
    codes = response.json()["recovery_codes"]
    assert len(codes) == 10 and len(set(codes)) == 10
    for code in codes:
        assert len(code) == 14 and code[4] == code[9] == "-"  # 12 base32 characters: 60 bits
        assert set(code.replace("-", "")) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
    stored = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(stored) == 10 and not {c.replace("-", "") for c in codes} & set(stored)
    assert all(len(h) == 64 for h in stored)
    assert TOTPDevice.objects.get(user=user).confirmed_at is not None
    status = client.get(STATUS, **auth(token)).json()
    assert status["totp_enabled"] is True and status["recovery_codes_remaining"] == 10
    assert secret not in str(status) and not any(code in str(status) for code in codes)
    notice = outbox.get(kind="mfa_factor_added")
    assert notice.to == "ada@example.com" and "authenticator app" in notice.payload["text"]
    again = post(client, CONFIRM, {"code": code_at(secret, T0, 1)}, token)
    assert again.status_code == 400 and again.json()["code"] == "totp_already_enabled"
    assert post(client, SETUP, token=token).json()["code"] == "totp_already_enabled"


def test_confirm_without_setup_and_with_a_wrong_code(client, ada):
    _, token = ada
    assert post(client, CONFIRM, {"code": "123456"}, token).json()["code"] == "totp_not_set_up"
    secret = post(client, SETUP, token=token).json()["secret"]
    wrong = str((int(code_at(secret, T0)) + 1) % 10**6).zfill(6)
    response = post(client, CONFIRM, {"code": wrong}, token)
    assert response.status_code == 400
    assert response.json() == {"code": "invalid_code", "detail": "The code is not correct."}
    assert TOTPDevice.objects.get().confirmed_at is None and RecoveryCode.objects.count() == 0


@pytest.mark.parametrize("body", [{"code": 123456}, {"code": "12345"}, {"code": "1234567"}, {"code": "١٢٣٤٥٦"}, {}])
def test_confirm_refuses_malformed_codes(client, ada, body):
    _, token = ada
    post(client, SETUP, token=token)
    assert post(client, CONFIRM, body, token).json()["code"] == "validation_error"


# ---- the drift window and replays ----------------------------------------------------------


@pytest.mark.parametrize("offset, accepted", [(-1, True), (0, True), (1, True), (-2, False), (2, False)])
def test_codes_of_the_previous_and_next_step_work_two_steps_away_do_not(client, ada_mfa, offset, accepted):
    _, _, secret, _ = ada_mfa
    challenge = start_login(client)["challenge"]
    response = post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(secret, now(), offset)})
    assert (response.status_code == 200) is accepted, response.content
    if not accepted:
        assert response.json()["code"] == "invalid_code"


def test_a_code_is_accepted_once(client, ada_mfa):
    _, _, secret, _ = ada_mfa
    code = code_at(secret, now())
    assert post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": code}).status_code == 200
    replay = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": code})
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_code"


def test_after_a_code_the_earlier_steps_codes_are_refused_too(client, ada_mfa):
    _, _, secret, _ = ada_mfa
    ahead = code_at(secret, now(), 1)  # the next step's code, taken early
    assert post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": ahead}).status_code == 200
    current = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": code_at(secret, now())})
    assert current.json()["code"] == "invalid_code"


def test_the_confirming_code_cannot_be_replayed_at_login(client, ada, clock):
    _, token = ada
    secret = post(client, SETUP, token=token).json()["secret"]
    code = code_at(secret, T0)
    assert post(client, CONFIRM, {"code": code}, token).status_code == 200
    clock.tick(20)  # still the same step
    response = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": code})
    assert response.json()["code"] == "invalid_code"


def test_another_accounts_code_never_works(client, ada_mfa, make_user):
    make_user(email="bob@example.com")
    bob_token = login_token(client, email="bob@example.com")
    bob_secret = post(client, SETUP, token=bob_token).json()["secret"]
    assert post(client, CONFIRM, {"code": code_at(bob_secret, now())}, bob_token).status_code == 200
    challenge = start_login(client)["challenge"]  # Ada's login
    response = post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(bob_secret, now(), 1)})
    assert response.json()["code"] == "invalid_code"


# ---- the login's second step ---------------------------------------------------------------


def test_a_right_password_gives_a_challenge_and_no_token(client, ada_mfa):
    before = AuthToken.objects.count()
    data = start_login(client)
    assert set(data) == {"mfa_required", "challenge", "methods"}
    assert data["mfa_required"] is True and data["methods"] == ["totp", "recovery_code"]
    assert len(data["challenge"]) >= 43 and AuthToken.objects.count() == before
    stored = LoginChallenge.objects.get()
    assert stored.challenge_hash != data["challenge"] and len(stored.challenge_hash) == 64


def test_the_second_step_gives_the_token_exactly_as_login_does(client, ada_mfa):
    user, _, secret, _ = ada_mfa
    response = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": code_at(secret, now())})
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"token", "expiry", "user"} and data["user"]["email"] == "ada@example.com"
    assert client.get("/api/auth/me/", **auth(data["token"])).status_code == 200
    assert LoginChallenge.objects.count() == 0


def test_a_wrong_password_and_an_account_without_mfa_behave_as_before(client, ada_mfa, make_user):
    make_user(email="bob@example.com")
    wrong = post(client, LOGIN, {"email": "ada@example.com", "password": "not the password at all"})
    unknown = post(client, LOGIN, {"email": "nobody@example.com", "password": "not the password at all"})
    assert wrong.status_code == unknown.status_code == 400 and wrong.content == unknown.content
    assert set(post(client, LOGIN, {"email": "bob@example.com", "password": PASSWORD}).json()) == {
        "token",
        "expiry",
        "user",
    }
    assert LoginChallenge.objects.count() == 0


def test_cookie_transport_second_step_needs_csrf_and_sets_the_cookie(ada_mfa):
    from rest_framework.test import APIClient

    _, _, secret, _ = ada_mfa
    browser = APIClient(enforce_csrf_checks=True)
    browser.get("/api/auth/csrf/")
    csrf = browser.cookies["csrftoken"].value
    cookie = {"HTTP_X_AUTH_TRANSPORT": "cookie"}
    challenge = start_login(browser, HTTP_X_CSRFTOKEN=csrf, **cookie)["challenge"]
    body = {"challenge": challenge, "code": code_at(secret, now())}
    refused = post(browser, LOGIN_MFA, body, **cookie)
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    response = post(browser, LOGIN_MFA, body, HTTP_X_CSRFTOKEN=csrf, **cookie)
    assert response.status_code == 200, response.content
    assert "token" not in response.json() and response.cookies["auth_token"]["httponly"]
    assert browser.cookies["csrftoken"].value != csrf  # rotated, as at login


def test_an_expired_challenge_is_refused(client, ada_mfa, clock, settings):
    _, _, secret, _ = ada_mfa
    challenge = start_login(client)["challenge"]
    clock.tick(settings.MFA_CHALLENGE_TTL_MINUTES * 60 + 1)
    response = post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(secret, now())})
    assert response.status_code == 400 and response.json()["code"] == "invalid_challenge"
    assert LoginChallenge.objects.count() == 0


def test_the_challenge_lives_five_minutes_by_default(client, ada_mfa, clock):
    _, _, secret, _ = ada_mfa
    challenge = start_login(client)["challenge"]
    clock.tick(4 * 60 + 50)
    assert post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(secret, now())}).status_code == 200


def test_a_challenge_is_single_use(client, ada_mfa, clock):
    _, _, secret, _ = ada_mfa
    challenge = start_login(client)["challenge"]
    assert post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(secret, now())}).status_code == 200
    clock.tick(30)
    reuse = post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(secret, now())})
    assert reuse.status_code == 400 and reuse.json()["code"] == "invalid_challenge"


def test_an_unknown_challenge_is_refused(client, ada_mfa):
    _, _, secret, _ = ada_mfa
    response = post(client, LOGIN_MFA, {"challenge": "x" * 43, "code": code_at(secret, now())})
    assert response.json()["code"] == "invalid_challenge"


def test_five_wrong_codes_kill_the_challenge(client, ada_mfa):
    _, _, secret, _ = ada_mfa
    challenge = start_login(client)["challenge"]
    right = code_at(secret, now())
    wrong = str((int(right) + 1) % 10**6).zfill(6)
    answers = [post(client, LOGIN_MFA, {"challenge": challenge, "code": wrong}).json()["code"] for _ in range(5)]
    assert answers == ["invalid_code"] * 5
    dead = post(client, LOGIN_MFA, {"challenge": challenge, "code": right})
    assert dead.json()["code"] == "invalid_challenge"
    # The right code was not used up by the dead challenge.
    assert post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": right}).status_code == 200


def test_wrong_codes_spend_a_per_account_budget_across_challenges(client, ada_mfa, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "mfa_account": "3/15m"}
    _, _, secret, _ = ada_mfa
    right = code_at(secret, now())
    wrong = str((int(right) + 1) % 10**6).zfill(6)
    answers = [
        post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": wrong}).status_code
        for _ in range(4)
    ]
    assert answers == [400, 400, 400, 429]
    throttled = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": right})
    assert throttled.status_code == 429 and "Retry-After" in throttled.headers


def test_a_right_code_gives_its_unit_back(client, ada_mfa, clock, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "mfa_account": "2/15m"}
    _, _, secret, _ = ada_mfa
    for _ in range(4):
        body = {"challenge": start_login(client)["challenge"], "code": code_at(secret, now())}
        assert post(client, LOGIN_MFA, body).status_code == 200
        clock.tick(30)


def test_a_password_change_kills_the_challenge(client, ada_mfa):
    user, _, secret, _ = ada_mfa
    challenge = start_login(client)["challenge"]
    user.set_password("another fine passphrase")
    user.save()
    response = post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(secret, now())})
    assert response.json()["code"] == "invalid_challenge"


@pytest.mark.parametrize(
    "body",
    [
        {"challenge": "c", "code": "123456", "recovery_code": "ABCD-EFGH-IJKL"},
        {"challenge": "c"},
        {"code": "123456"},
        {"challenge": "c", "code": None},
        {"challenge": 1, "code": "123456"},
    ],
)
def test_the_second_step_refuses_malformed_bodies(client, body):
    assert post(client, LOGIN_MFA, body).json()["code"] == "validation_error"


# ---- recovery codes ------------------------------------------------------------------------


def test_a_recovery_code_logs_in_once_and_mails_how_many_remain(client, ada_mfa, outbox):
    _, token, _, codes = ada_mfa
    body = {"challenge": start_login(client)["challenge"], "recovery_code": codes[0].lower().replace("-", " ")}
    response = post(client, LOGIN_MFA, body)
    assert response.status_code == 200 and "token" in response.json()
    notice = outbox.get(kind="recovery_code_used")
    assert "You have 9 recovery codes left." in notice.payload["text"]
    again = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "recovery_code": codes[0]})
    assert again.json()["code"] == "invalid_code"
    assert client.get(STATUS, **auth(token)).json()["recovery_codes_remaining"] == 9


def test_ten_codes_work_and_an_eleventh_use_does_not(client, ada_mfa, outbox, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "mfa_account": "100/15m"}
    _, token, _, codes = ada_mfa
    for code in codes:
        body = {"challenge": start_login(client)["challenge"], "recovery_code": code}
        assert post(client, LOGIN_MFA, body).status_code == 200
    texts = [email.payload["text"] for email in outbox.filter(kind="recovery_code_used")]
    assert len(texts) == 10 and sum("You have no recovery codes left" in text for text in texts) == 1
    eleventh = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "recovery_code": codes[3]})
    assert eleventh.json()["code"] == "invalid_code"
    assert client.get(STATUS, **auth(token)).json()["recovery_codes_remaining"] == 0


def test_another_accounts_recovery_code_never_works(client, ada_mfa, make_user):
    make_user(email="bob@example.com")
    bob_token = login_token(client, email="bob@example.com")
    bob_secret = post(client, SETUP, token=bob_token).json()["secret"]
    bob_codes = post(client, CONFIRM, {"code": code_at(bob_secret, now())}, bob_token).json()["recovery_codes"]
    body = {"challenge": start_login(client)["challenge"], "recovery_code": bob_codes[0]}
    assert post(client, LOGIN_MFA, body).json()["code"] == "invalid_code"


def test_regenerating_replaces_the_whole_set(client, ada_mfa, outbox):
    _, token, _, old = ada_mfa
    response = post(client, CODES, token=token)
    assert response.status_code == 200
    new = response.json()["recovery_codes"]
    assert len(new) == 10 and not set(new) & set(old)
    assert RecoveryCode.objects.count() == 10
    assert outbox.filter(kind="recovery_codes_regenerated").count() == 1
    stale = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "recovery_code": old[1]})
    assert stale.json()["code"] == "invalid_code"
    fresh = post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "recovery_code": new[1]})
    assert fresh.status_code == 200


def test_regenerating_needs_a_second_factor(client, ada):
    _, token = ada
    response = post(client, CODES, token=token)
    assert response.status_code == 400 and response.json()["code"] == "mfa_not_enabled"
    assert post(client, CODES).status_code == 401


def test_recovery_codes_survive_a_rotated_secret_key(client, ada_mfa, settings):
    _, _, _, codes = ada_mfa
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-secret-key-" + "y" * 40
    body = {"challenge": start_login(client)["challenge"], "recovery_code": codes[2]}
    assert post(client, LOGIN_MFA, body).status_code == 200


# ---- disabling -----------------------------------------------------------------------------


def test_disabling_needs_a_current_code_and_a_recent_authentication(client, ada_mfa, outbox, clock):
    user, token, secret, _ = ada_mfa
    code = code_at(secret, now())
    wrong = str((int(code) + 1) % 10**6).zfill(6)
    wrong_code = client.delete(TOTP, {"code": wrong}, format="json", **auth(token))
    assert wrong_code.json()["code"] == "invalid_code" and TOTPDevice.objects.filter(user=user).exists()
    clock.tick(11 * 60)  # past REAUTHENTICATION_TIMEOUT_MINUTES since the login
    stale = client.delete(TOTP, {"code": code_at(secret, now())}, format="json", **auth(token))
    assert stale.status_code == 403 and stale.json()["code"] == "reauthentication_required"
    assert TOTPDevice.objects.filter(user=user).exists()
    assert post(client, "/api/auth/reauthenticate/", {"password": PASSWORD}, token).status_code == 200
    response = client.delete(TOTP, {"code": code_at(secret, now())}, format="json", **auth(token))
    assert response.status_code == 204
    assert not TOTPDevice.objects.exists() and not RecoveryCode.objects.exists()
    assert outbox.filter(kind="mfa_factor_removed").count() == 1
    assert set(start_login(client)) == {"token", "expiry", "user"}  # the password alone again
    again = client.delete(TOTP, {"code": code}, format="json", **auth(token))
    assert again.json()["code"] == "totp_not_enabled"


def test_disabling_with_a_recovery_code_for_a_lost_app(client, ada_mfa):
    _, token, _, codes = ada_mfa
    body = {"recovery_code": codes[0]}
    assert client.delete(TOTP, body, format="json", **auth(token)).status_code == 204
    assert not TOTPDevice.objects.exists()


def test_disabling_kills_pending_challenges(client, ada_mfa, clock):
    _, token, secret, _ = ada_mfa
    challenge = start_login(client)["challenge"]
    body = {"code": code_at(secret, now())}
    assert client.delete(TOTP, body, format="json", **auth(token)).status_code == 204
    clock.tick(30)
    response = post(client, LOGIN_MFA, {"challenge": challenge, "code": code_at(secret, now())})
    assert response.json()["code"] == "invalid_challenge"


def test_disabling_a_replayed_code_is_refused(client, ada_mfa):
    _, token, secret, _ = ada_mfa
    code = code_at(secret, now())
    assert post(client, LOGIN_MFA, {"challenge": start_login(client)["challenge"], "code": code}).status_code == 200
    response = client.delete(TOTP, {"code": code}, format="json", **auth(token))
    assert response.json()["code"] == "invalid_code" and TOTPDevice.objects.exists()


def test_expired_challenges_are_cleaned_up_by_the_relay_job(client, ada_mfa, clock):
    from accounts.mfa_login import forget_expired_challenges

    start_login(client)
    assert forget_expired_challenges() == 0
    clock.tick(timedelta(minutes=6))
    assert forget_expired_challenges() == 1 and not LoginChallenge.objects.exists()
