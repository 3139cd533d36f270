"""Nothing an anonymous caller can see (answer, status, work done on the request path) tells a
registered address from an unregistered one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import AddressRequest, User
from tests.conftest import PASSWORD, queued_payloads, relay_round

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_taken_username_answers_alike_for_a_registered_and_a_new_address(client, make_user):
    make_user(email="ada@example.com", username="ada")
    make_user(email="bob@example.com", username="bob")
    answers = [
        client.post("/api/auth/register/", {"email": email, "password": PASSWORD, "username": "BOB"}, format="json")
        for email in ("ada@example.com", "new@example.com")
    ]
    assert [a.status_code for a in answers] == [400, 400]
    assert answers[0].content == answers[1].content
    assert answers[0].json()["fields"] == {"username": ["This username is taken."]}
    assert not User.objects.filter(email="new@example.com").exists()
    assert queued_payloads() == []


def statements(client, path, email):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(path, {"email": email}, format="json")
    assert response.status_code == 202
    return response.content, [q["sql"].split(" WHERE ")[0].split(" VALUES ")[0] for q in queries]


@pytest.mark.parametrize("path", ["/api/auth/password/reset/", "/api/auth/email/resend/"])
def test_reset_and_resend_do_the_same_work_for_known_and_unknown_addresses(client, make_user, path):
    make_user(email="ada@example.com", confirmed=False)
    known = statements(client, path, "ada@example.com")
    unknown = statements(client, path, "nobody@example.com")
    assert known == unknown
    assert not any("accounts_user" in sql for sql in known[1])  # the address is not looked up here
    assert AddressRequest.objects.count() == 2 and queued_payloads() == []
    # Off the request path, the relay resolves both: only the account's owner gets an email.
    assert relay_round() == 2
    assert [p["to"] for p in queued_payloads()] == ["ada@example.com"]
    assert AddressRequest.objects.count() == 0


def test_address_requests_older_than_their_lifetime_are_dropped_unanswered(client, make_user):
    from datetime import timedelta

    from django.utils import timezone

    make_user()
    client.post("/api/auth/password/reset/", {"email": "ada@example.com"}, format="json")
    AddressRequest.objects.update(created_at=timezone.now() - timedelta(hours=1))
    assert relay_round() == 0
    assert queued_payloads() == [] and AddressRequest.objects.count() == 0


def test_a_sign_up_claims_no_username_until_its_address_is_confirmed(client, make_user):
    """Attack: sign up {target address, fresh handle}, then try to take the handle. It used to be
    taken for a new address and free for a registered one; now it is free for both."""
    from tests.conftest import auth, link_key, login_token

    make_user(email="ada@example.com")
    make_user(email="prober@example.com")
    prober = login_token(client, email="prober@example.com")
    for email, handle in (("ada@example.com", "handle-one"), ("new@example.com", "handle-two")):
        assert (
            client.post(
                "/api/auth/register/", {"email": email, "password": PASSWORD, "username": handle}, format="json"
            ).status_code
            == 201
        )
    answers = [
        client.patch("/api/auth/me/", {"username": handle}, format="json", **auth(prober))
        for handle in ("handle-one", "handle-two")
    ]
    assert [a.status_code for a in answers] == [200, 200]
    # The new account gets the handle it asked for when it confirms, unless it was taken meanwhile.
    assert client.patch("/api/auth/me/", {"username": "someone-else"}, format="json", **auth(prober)).status_code == 200
    key = link_key(queued_payloads()[-1], "confirm-email")
    assert client.post("/api/auth/email/confirm/", {"key": key}, format="json").status_code == 200
    assert User.objects.get(email="new@example.com").username == "handle-two"


def test_a_username_taken_before_confirmation_is_not_claimed(client, make_user):
    from tests.conftest import link_key

    assert (
        client.post(
            "/api/auth/register/", {"email": "new@example.com", "password": PASSWORD, "username": "ada"}, format="json"
        ).status_code
        == 201
    )
    make_user(email="fast@example.com", username="ADA")
    key = link_key(queued_payloads()[-1], "confirm-email")
    assert client.post("/api/auth/email/confirm/", {"key": key}, format="json").status_code == 200
    user = User.objects.get(email="new@example.com")
    assert user.email_confirmed and user.username is None and user.requested_username is None


@pytest.mark.parametrize("reset_requested", [False, True])
def test_a_reset_code_check_does_the_same_work_for_known_and_unknown_addresses(client, make_user, reset_requested):
    """Attacks: time POST reset/verify {email, code}. A registered address cost one more query
    (36 of 40 addresses classified right); once a reset was requested, a wrong guess cost a
    write for it and none for an unknown address (35 of 40). Now: one query and one count of the
    try, whatever the case."""
    import re

    make_user(email="ada@example.com")
    if reset_requested:
        for email in ("ada@example.com", "nobody@example.com"):
            client.post("/api/auth/password/reset/", {"email": email}, format="json")
        relay_round()

    def statements(email):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                "/api/auth/password/reset/verify/", {"email": email, "code": "000000"}, format="json"
            )
        assert response.status_code == 400 and response.json()["code"] == "invalid_reset"
        return [re.sub(r"'[^']*'", "?", q["sql"]) for q in captured]

    assert statements("ada@example.com") == statements("nobody@example.com")
