"""One WebAuthn challenge, used by several requests at the same moment: exactly one of them
succeeds (accounts/passkeys.py takes the challenge under its row lock and deletes it first).

The test database is SQLite in memory with a shared cache, whose table locks fail at once
("database table is locked") where a database file would wait out SQLITE_BUSY_TIMEOUT_S and
PostgreSQL would wait on the row lock: each thread retries its whole transaction then, as waiting
would. The property under test is the same: however they interleave, one login and no more.
With DATABASE_URL=postgres://... it runs on PostgreSQL, where the challenge's row lock is what
orders them (without select_for_update there, all four log in).
"""

import threading
import time

import pytest
from django.db import OperationalError, connection

from accounts import passkeys
from accounts.errors import InvalidCredential
from accounts.models import AuthToken, WebAuthnChallenge
from tests.conftest import PASSWORD
from tests.soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = "https://auth.example.com"


@pytest.fixture(autouse=True)
def relying_party(settings):
    settings.WEBAUTHN_RP_ID = "auth.example.com"
    settings.WEBAUTHN_ORIGINS = [ORIGIN]


def run_together(count, work):
    """`work()` in `count` threads released at once; what each returned or raised."""
    barrier, outcomes = threading.Barrier(count), []

    def run():
        barrier.wait()
        try:
            for _ in range(200):
                try:
                    outcomes.append(work())
                    return
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.005)
            outcomes.append(TimeoutError("still locked"))
        except Exception as exc:  # noqa: BLE001  # the outcome under test
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_parallel_uses_of_one_passkey_login_challenge_give_one_login(client, make_user):
    make_user()
    token = client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    auth = {"HTTP_AUTHORIZATION": f"Token {token.json()['token']}"}
    key = SoftAuthenticator(ORIGIN, counter_step=0)  # no counter: only the challenge stops a replay
    options = client.post("/api/auth/mfa/webauthn/register/begin/", {"passwordless": True}, format="json", **auth)
    body = {"name": "Phone", "credential": key.register(options.json()["options"])}
    assert client.post("/api/auth/mfa/webauthn/register/", body, format="json", **auth).status_code == 201

    assertion = key.assertion(passkeys.begin_passkey_login())
    outcomes = run_together(4, lambda: passkeys.passkey_login(assertion))
    logged_in = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(logged_in) == 1 and logged_in[0].email == "ada@example.com", outcomes
    assert all(isinstance(o, InvalidCredential) for o in outcomes if isinstance(o, Exception)), outcomes
    assert WebAuthnChallenge.objects.filter(purpose="passkey_login").count() == 1  # the record of the one use
    assert AuthToken.objects.count() == 1  # the password login's; passkey_login itself makes none
