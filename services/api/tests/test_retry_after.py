"""Retry-After tells a refused client when its next request fits: never too early, and at most a
second late (the header is whole seconds, rounded up), whatever the previous window left."""

import time

import pytest

pytestmark = pytest.mark.django_db

T0 = 1_800_000_000.0  # the start of a minute
PERIOD = 60


@pytest.fixture
def clock(monkeypatch):
    """The time the throttles and the cache read, moved by hand."""
    now = [T0 + 1]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def key_guess(client):
    return client.post("/api/auth/email/confirm/", {"key": "a guess"}, format="json")


@pytest.mark.parametrize("limit", [1, 3, 10])
@pytest.mark.parametrize("earlier", [0, 2, 10], ids=lambda n: f"{n}-earlier")
@pytest.mark.parametrize("at", [0.0, 0.5, 0.9], ids=lambda f: f"at-{f}")
def test_the_next_request_fits_at_retry_after_and_not_seconds_before(client, clock, settings, limit, earlier, at):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "key_guess_ip": f"{limit}/m"}
    clock[0] = T0 - PERIOD + 0.001  # the previous minute
    for _ in range(earlier):
        key_guess(client)
    clock[0] = T0 + at * PERIOD
    for _ in range(limit + 1):
        refused = key_guess(client)
        if refused.status_code == 429:
            break
    assert refused.status_code == 429
    wait, refused_at = int(refused["Retry-After"]), clock[0]
    assert wait >= 1
    if wait >= 2:  # a refused request is not counted, so probing early changes nothing
        clock[0] = refused_at + wait - 2
        assert key_guess(client).status_code == 429, f"Retry-After {wait} is more than a second late"
    clock[0] = refused_at + wait
    assert key_guess(client).status_code == 400, f"Retry-After {wait} is too early"
