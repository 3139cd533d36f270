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
    answers = [client.post("/api/auth/register/", {"email": email, "password": PASSWORD, "username": "BOB"},
                           format="json") for email in ("ada@example.com", "new@example.com")]
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
