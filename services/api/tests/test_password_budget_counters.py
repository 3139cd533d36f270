"""The password-check budget's counters in the database: a correct password gives back its own
account's unit only, and the relay's clean-up drops only counters whose windows are over."""

import time

import pytest

from accounts.models import ThrottleCount
from accounts.throttling import forget_expired_counts
from tests.conftest import PASSWORD, login_token

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # the start of a quarter of an hour
QUARTER = 15 * 60


@pytest.fixture
def clock(monkeypatch):
    """The time the throttles read, moved by hand."""
    now = [T0 + 1]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


@pytest.fixture
def rates(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "3/15m", "login_ip": "1000/15m"}


def wrong_login(client, email="ada@example.com"):
    return client.post(
        "/api/auth/login/", {"email": email, "password": "not the password"}, format="json", REMOTE_ADDR="203.0.113.1"
    )


def test_a_correct_password_gives_back_its_own_accounts_unit_only(client, make_user, clock, rates):
    make_user()
    make_user(email="mallory@example.com")
    assert [wrong_login(client).status_code for _ in range(3)] == [400, 400, 400]
    # Someone logging in to their own account, again and again, buys no guesses at Ada's.
    for _ in range(3):
        login_token(client, email="mallory@example.com", REMOTE_ADDR="198.51.100.9")
    assert wrong_login(client).status_code == 429
    refused = client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    assert refused.status_code == 429


def test_the_clean_up_drops_only_counters_whose_windows_are_over(client, make_user, clock, rates):
    make_user()
    assert [wrong_login(client).status_code for _ in range(4)] == [400, 400, 400, 429]
    counters = ThrottleCount.objects.count()
    assert counters >= 1
    # The current window and the next one (which still weighs it) need the counter.
    for later in (1, QUARTER, 2 * QUARTER - 2):
        clock[0] = T0 + later
        assert forget_expired_counts() == 0, later
    assert ThrottleCount.objects.count() == counters
    clock[0] = T0 + QUARTER + 1
    assert wrong_login(client).status_code == 429  # the budget is still spent
    clock[0] = T0 + 3 * QUARTER + 10
    left = ThrottleCount.objects.count()
    assert forget_expired_counts() == left > 0
    assert ThrottleCount.objects.count() == 0
    assert wrong_login(client).status_code == 400
