"""Login by emailed code: the same answer for every address, one use, few tries, short life."""

import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from freezegun import freeze_time
from rest_framework.test import APIClient

from accounts.login_codes import forget_expired_codes
from accounts.models import LoginCode
from tests.conftest import auth, login_token, relay_round

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 1, 4, 12, 0, 0, tzinfo=UTC)
REQUEST, CONFIRM = "/api/auth/login/code/", "/api/auth/login/code/confirm/"


@pytest.fixture
def clock():
    with freeze_time(T0) as frozen:
        yield frozen


def post(client, url, body=None, token=None, **extra):
    return client.post(url, body, format="json", **(auth(token) if token else {}), **extra)


def emailed_code(outbox, to="ada@example.com"):
    email = outbox.filter(kind="login_code", to=to).order_by("-created_at").first()
    assert email is not None, "no sign-in code was mailed"
    match = re.search(r"^([A-Z0-9]{4}-[A-Z0-9]{4})$", email.payload["text"], re.MULTILINE)
    assert match, email.payload["text"]
    return match.group(1)


def ask(client, email="ada@example.com"):
    response = post(client, REQUEST, {"email": email})
    assert response.status_code == 202
    relay_round()  # the relay resolves the address off the request path
    return response.json()


@pytest.fixture
def ada(make_user, clock):
    return make_user()


def test_a_code_logs_in_once_and_the_session_says_so(client, ada, outbox):
    ask(client)
    code = emailed_code(outbox)
    assert outbox.get(kind="login_code").payload["subject"] == "Your sign-in code"
    response = post(client, CONFIRM, {"email": "ada@example.com", "code": code})
    assert response.status_code == 200 and set(response.json()) == {"token", "expiry", "user"}
    rows = client.get("/api/auth/sessions/", **auth(response.json()["token"])).json()
    assert [(row["auth_method"], row["second_factor"]) for row in rows] == [("email_code", None)]
    again = post(client, CONFIRM, {"email": "ada@example.com", "code": code})
    assert again.status_code == 400 and again.json()["code"] == "invalid_code"


def test_the_code_is_typed_as_people_type_it(client, ada, outbox):
    ask(client)
    code = emailed_code(outbox).lower().replace("-", " ")
    assert post(client, CONFIRM, {"email": "ADA@example.com", "code": code}).status_code == 200


def test_unknown_unconfirmed_and_inactive_addresses_get_the_same_answer_and_no_email(client, make_user, outbox):
    make_user(email="new@example.com", confirmed=False)
    make_user(email="gone@example.com", is_active=False)
    known = make_user()
    answers = [ask(client, address) for address in ("nobody@example.com", "new@example.com", "gone@example.com")]
    assert answers == [ask(client, known.email)] * 3
    assert list(outbox.filter(kind="login_code").values_list("to", flat=True)) == ["ada@example.com"]
    wrong = post(client, CONFIRM, {"email": "nobody@example.com", "code": "ABCD-EFGH"})
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_code"


def test_three_wrong_tries_kill_the_code(client, ada, outbox):
    ask(client)
    code = emailed_code(outbox)
    for _ in range(3):
        assert post(client, CONFIRM, {"email": "ada@example.com", "code": "WXYZ-2345"}).status_code == 400
    assert post(client, CONFIRM, {"email": "ada@example.com", "code": code}).json()["code"] == "invalid_code"
    ask(client)  # a new code has a whole budget of tries again
    assert post(client, CONFIRM, {"email": "ada@example.com", "code": emailed_code(outbox)}).status_code == 200


def test_a_new_code_replaces_the_old_one(client, ada, outbox, clock):
    ask(client)
    old = emailed_code(outbox)
    clock.tick(1)
    ask(client)
    new = emailed_code(outbox)
    assert old != new and LoginCode.objects.count() == 1
    assert post(client, CONFIRM, {"email": "ada@example.com", "code": old}).status_code == 400
    assert post(client, CONFIRM, {"email": "ada@example.com", "code": new}).status_code == 200


def test_a_code_expires(client, ada, outbox, clock):
    ask(client)
    code = emailed_code(outbox)
    clock.tick(timedelta(minutes=10, seconds=1))
    assert post(client, CONFIRM, {"email": "ada@example.com", "code": code}).json()["code"] == "invalid_code"
    assert forget_expired_codes() == 1 and not LoginCode.objects.exists()


def test_a_password_change_kills_the_code(client, ada, outbox):
    ask(client)
    code = emailed_code(outbox)
    ada.set_password("another fine passphrase")
    ada.save()
    assert post(client, CONFIRM, {"email": "ada@example.com", "code": code}).json()["code"] == "invalid_code"


def test_a_code_for_one_address_never_logs_into_another(client, ada, make_user, outbox):
    make_user(email="bob@example.com")
    ask(client)
    code = emailed_code(outbox)
    assert post(client, CONFIRM, {"email": "bob@example.com", "code": code}).json()["code"] == "invalid_code"


def test_an_account_with_a_second_factor_still_needs_it(client, ada, outbox, clock):
    token = login_token(client)
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    totp = pyotp.TOTP(secret)
    assert post(client, "/api/auth/mfa/totp/confirm/", {"code": totp.now()}, token).status_code == 200
    clock.tick(30)
    ask(client)
    first = post(client, CONFIRM, {"email": "ada@example.com", "code": emailed_code(outbox)}).json()
    assert first["mfa_required"] is True and "token" not in first
    second = post(client, "/api/auth/login/mfa/", {"challenge": first["challenge"], "code": totp.now()})
    assert second.status_code == 200
    rows = client.get("/api/auth/sessions/", **auth(second.json()["token"])).json()
    assert ("email_code", "totp") in [(row["auth_method"], row["second_factor"]) for row in rows]


def test_requests_are_throttled_per_address(client, ada, outbox):
    statuses = [post(client, REQUEST, {"email": "ada@example.com"}).status_code for _ in range(8)]
    assert 429 in statuses and statuses[0] == 202


def test_guesses_are_throttled_per_client(client, ada):
    statuses = [
        post(client, CONFIRM, {"email": f"user{i}@example.com", "code": "ABCD-EFGH"}).status_code for i in range(40)
    ]
    assert statuses[0] == 400 and statuses[-1] == 429


def test_cookie_transport_needs_csrf(client, ada, outbox):
    ask(client)
    body = {"email": "ada@example.com", "code": emailed_code(outbox)}
    refused = post(APIClient(enforce_csrf_checks=True), CONFIRM, body, HTTP_X_AUTH_TRANSPORT="cookie")
    assert refused.status_code == 403 and refused.json()["code"] == "csrf_failed"
    assert LoginCode.objects.exists()  # a refused request used nothing up
