import json
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from outbox import mail_queue
from outbox.models import OutboxEmail
from rest_framework.test import APIClient

from accounts.models import User

PASSWORD = "a perfectly fine passphrase"
SCHEMA_PATH = Path(__file__).resolve().parents[3] / "docs" / "contracts" / "mail-message-v2.schema.json"


@pytest.fixture(autouse=True)
def _clean_state():
    cache.clear()
    broker = mail_queue.get_broker()
    broker.flush_all()
    yield
    broker.flush_all()
    mail_queue.hand_over_pause.end()  # a test's broker failure must not pause the next test's hand-over


# A moment that starts a window of every period the rates use (a whole number of days since
# the epoch): a test's requests never straddle two fixed windows (accounts/throttling.py).
WINDOWS_START = 20834 * 86400


@pytest.fixture(autouse=True)
def _throttle_clock(request, monkeypatch):
    if "clock" not in request.fixturenames:  # tests that move time.time themselves
        monkeypatch.setattr("accounts.throttling.timer", lambda: WINDOWS_START + 1.0)


@pytest.fixture
def client():
    return APIClient()


@pytest.fixture
def mail_schema():
    return json.loads(SCHEMA_PATH.read_text())


def relay_round():
    """What the outbox relay does next: resolve recorded reset and resend requests."""
    from accounts import address_requests

    return address_requests.process_pending()


def queued_payloads():
    """Payloads of the messages that reached the (stub) broker, in order."""
    from dramatiq import Message

    broker = mail_queue.get_broker()
    return [Message.decode(raw).args[0] for raw in broker.queues[mail_queue.QUEUE_NAME].queue]


def link_key(payload, route):
    match = re.search(rf"http://127\.0\.0\.1:8080/{route}/(\S+)", payload["text"])
    assert match, payload["text"]
    return match.group(1)


@pytest.fixture
def make_user(db):
    def make(email="ada@example.com", password=PASSWORD, username=None, confirmed=True, **extra):
        return User.objects.create_user(
            email=email, password=password, username=username, email_confirmed=confirmed, **extra
        )

    return make


@pytest.fixture
def outbox():
    return OutboxEmail.objects


def login_token(client, email="ada@example.com", password=PASSWORD, **extra):
    response = client.post("/api/auth/login/", {"email": email, "password": password}, format="json", **extra)
    assert response.status_code == 200, response.content
    return response.json()["token"]


def auth(token):
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


@pytest.fixture
def admin(make_user):
    # Transactional tests flush the rows the data migration made: restore the admin role.
    Group.objects.get_or_create(name="member")
    role, _ = Group.objects.get_or_create(name="admin")
    role.permissions.set(
        Permission.objects.filter(content_type__app_label="accounts", codename__in=["view_user", "change_user"])
    )
    user = make_user(email="root@example.com")
    user.groups.add(role)
    return user


def first_match(pattern, text):
    """The first group of `pattern`'s first match in `text` (an email body); fails the test if none."""
    match = re.search(pattern, text)
    assert match, text
    return match.group(1)


def post(client, url, body=None, token=None, **extra):
    """A JSON POST, with the token in the header when given."""
    return client.post(url, body, format="json", **(auth(token) if token else {}), **extra)
