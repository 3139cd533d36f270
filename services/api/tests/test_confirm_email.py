from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import EmailConfirmation, User
from tests.conftest import PASSWORD, link_key, queued_payloads

URL = "/api/auth/email/confirm/"
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def key(client):
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    return link_key(queued_payloads()[0], "confirm-email")


def test_confirm_marks_the_address_confirmed(client, key):
    response = client.post(URL, {"key": key}, format="json")
    assert response.status_code == 200
    assert response.json() == {"detail": "Your email address is confirmed."}
    assert User.objects.get().email_confirmed


def test_a_key_works_only_once(client, key):
    assert client.post(URL, {"key": key}, format="json").status_code == 200
    again = client.post(URL, {"key": key}, format="json")
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_key"


def test_expired_key_is_refused(client, key):
    EmailConfirmation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    response = client.post(URL, {"key": key}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_key"
    assert not User.objects.get().email_confirmed


def test_key_for_an_address_the_user_no_longer_has_is_refused(client, key):
    User.objects.update(email="other@example.com")
    response = client.post(URL, {"key": key}, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_key"


def test_key_of_a_deactivated_user_is_refused(client, key):
    User.objects.update(is_active=False)
    assert client.post(URL, {"key": key}, format="json").status_code == 400


@pytest.mark.parametrize("body", [{"key": "nonsense"}, {"key": "x" * 43}, {"key": "é" * 20}])
def test_unknown_keys_are_refused(client, key, body):
    response = client.post(URL, body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_key"


@pytest.mark.parametrize("body", [{}, {"key": ""}, {"key": ["a"]}, {"key": "k" * 129}])
def test_bad_input_is_a_validation_error(client, body):
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error" and "key" in response.json()["fields"]
