"""A reset link or code acts on its own account only, never on a deactivated one; codes use the
whole 6-digit space, and a code takes exactly PASSWORD_RESET_CODE_MAX_ATTEMPTS wrong tries."""

import re

import pytest

from accounts.models import User
from tests.conftest import queued_payloads, relay_round

# Reset emails reach the queue on commit.
pytestmark = pytest.mark.django_db(transaction=True)
NEW = "a brand new passphrase"


@pytest.fixture
def two_accounts(make_user):
    return make_user(email="ada@example.com"), make_user(email="bob@example.com")


def reset_mail(client, email):
    assert client.post("/api/auth/password/reset/", {"email": email}, format="json").status_code == 202
    relay_round()
    payload = queued_payloads()[-1]
    assert payload["to"] == email, payload
    link = re.search(r"/reset-password/([^/\s]+)/(\S+)", payload["text"])
    code = re.search(r"^(\d{6})$", payload["text"], re.M)
    assert link and code, payload["text"]
    uid, token = link.groups()
    return uid, token, code.group(1)


def verify(client, **body):
    return client.post("/api/auth/password/reset/verify/", body, format="json")


def confirm(client, **body):
    return client.post("/api/auth/password/reset/confirm/", {**body, "new_password": NEW}, format="json")


def test_a_link_resets_its_own_account_among_several(client, two_accounts):
    ada, bob = two_accounts
    uid, token, _ = reset_mail(client, "bob@example.com")
    assert confirm(client, uid=uid, token=token).status_code == 200
    assert User.objects.get(pk=bob.pk).check_password(NEW)
    assert not User.objects.get(pk=ada.pk).check_password(NEW)


def test_a_code_resets_its_own_account_among_several(client, two_accounts):
    ada, bob = two_accounts
    reset_mail(client, "ada@example.com")
    _, _, code = reset_mail(client, "bob@example.com")
    assert confirm(client, email="bob@example.com", code=code).status_code == 200
    assert User.objects.get(pk=bob.pk).check_password(NEW)
    assert not User.objects.get(pk=ada.pk).check_password(NEW)


def test_a_link_and_a_code_die_when_the_account_is_deactivated(client, two_accounts):
    _, bob = two_accounts
    uid, token, code = reset_mail(client, "bob@example.com")
    User.objects.filter(pk=bob.pk).update(is_active=False)
    for body in ({"uid": uid, "token": token}, {"email": "bob@example.com", "code": code}):
        assert verify(client, **body).status_code == 400, body
        response = confirm(client, **body)
        assert response.status_code == 400 and response.json()["code"] == "invalid_reset", body
    assert not User.objects.get(pk=bob.pk).check_password(NEW)


def test_a_code_survives_one_wrong_try_fewer_than_the_limit(client, two_accounts, settings):
    # Each wrong try counts once, from zero, and a new request starts the count again.
    tries = settings.PASSWORD_RESET_CODE_MAX_ATTEMPTS - 1
    for _ in range(2):
        _, _, code = reset_mail(client, "ada@example.com")
        wrong = f"{(int(code) + 1) % 10**6:06d}"
        for _ in range(tries):
            assert verify(client, email="ada@example.com", code=wrong).status_code == 400
    assert confirm(client, email="ada@example.com", code=code).status_code == 200


def test_codes_are_drawn_from_the_whole_six_digit_space(client, two_accounts, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "email_address": "100/h", "email_ip": "100/h"}
    codes = [int(reset_mail(client, "ada@example.com")[2]) for _ in range(20)]
    # 20 draws from a million all below 10,000 happen once in 10**40: the space is not small.
    assert max(codes) >= 10_000
    assert len(set(codes)) > 1


def test_a_wrong_code_costs_the_same_statements_for_a_live_code_as_for_an_unknown_address(client, two_accounts):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, _, code = reset_mail(client, "ada@example.com")
    wrong = f"{(int(code) + 1) % 10**6:06d}"

    def statements(email):
        with CaptureQueriesContext(connection) as queries:
            response = verify(client, email=email, code=wrong)
        assert response.status_code == 400
        return response.content, [q["sql"].split(" WHERE ")[0].split(" VALUES ")[0] for q in queries]

    assert statements("ada@example.com") == statements("nobody@example.com")
