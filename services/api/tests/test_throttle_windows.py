"""Rate limits on a clock: a window refuses until its end and not longer, its counter lasts the
whole window whatever the cache's default timeout, and every unknown identifier has a budget of
its own, like a known one."""

import time

import pytest
from django.core.cache import cache

pytestmark = pytest.mark.django_db

# The start of a minute, of two minutes and of a quarter of an hour.
T0 = 1_800_000_000.0


@pytest.fixture
def clock(monkeypatch):
    """The time the throttles and the cache read, moved by hand."""
    now = [T0 + 1]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def key_guess(client):
    # An email-confirmation key: every guess counts against key_guess_ip.
    return client.post("/api/auth/email/confirm/", {"key": "a guess"}, format="json")


def set_rate(settings, scope, rate):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, scope: rate}


def test_a_one_minute_limit_refuses_until_the_window_has_slid_past_and_then_allows(client, clock, settings):
    set_rate(settings, "key_guess_ip", "2/m")
    assert [key_guess(client).status_code for _ in range(2)] == [400, 400]
    refused = key_guess(client)
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    # Both guesses still weigh fully at the start of the next minute; half of them half way in.
    assert refused["Retry-After"] == "89"
    clock[0] = T0 + 60 + 29
    assert key_guess(client)["Retry-After"] == "1"
    clock[0] = T0 + 60 + 30
    assert key_guess(client).status_code == 400


def test_a_counter_lasts_its_window_and_the_next(client, clock, settings):
    # 15 minutes is longer than the cache's default timeout (300 s): the counter must not lapse.
    set_rate(settings, "key_guess_ip", "2/15m")
    assert [key_guess(client).status_code for _ in range(3)] == [400, 400, 429]
    for later in (301, 600, 899.5, 900, 1349):
        clock[0] = T0 + later
        assert key_guess(client).status_code == 429, later
    clock[0] = T0 + 1350
    assert key_guess(client).status_code == 400


@pytest.mark.parametrize("limit", [1, 2])
def test_a_counter_that_lapses_before_its_increment_still_counts(client, clock, settings, monkeypatch, limit):
    # The key can expire between its creation and its increment: that request counts as the
    # first of a new counter, which then lasts the whole window like any other.
    clock[0] = T0 + 0.5
    set_rate(settings, "key_guess_ip", f"{limit}/15m")
    increment, lapsed = cache.incr, list[str]()

    def incr_after_lapse(key, *args, **kwargs):
        if not lapsed:
            lapsed.append(key)
            cache.delete(key)
        return increment(key, *args, **kwargs)

    monkeypatch.setattr(cache, "incr", incr_after_lapse)
    assert [key_guess(client).status_code for _ in range(limit + 1)] == [400] * limit + [429]
    assert lapsed, "the request path no longer increments a cache counter"
    clock[0] = T0 + 899.7
    assert key_guess(client).status_code == 429


def wrong_login(client, **identifier):
    return client.post("/api/auth/login/", {**identifier, "password": "not the password"}, format="json")


@pytest.mark.parametrize(
    "field, first, same, other",
    [
        ("email", "nobody@example.com", "NoBody@Example.com", "someone@example.com"),
        ("username", "ghost", " GHOST ", "phantom"),
    ],
)
def test_every_unknown_identifier_has_a_budget_of_its_own(client, settings, field, first, same, other):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "2/15m", "login_ip": "1000/m"}
    assert [wrong_login(client, **{field: first}).status_code for _ in range(2)] == [400, 400]
    assert wrong_login(client, **{field: same}).status_code == 429
    assert wrong_login(client, **{field: other}).status_code == 400


def test_requests_of_a_windows_first_second_weigh_until_the_end_of_the_next(client, clock, settings):
    # The previous window's counter must outlive the whole next window, however early it began.
    set_rate(settings, "key_guess_ip", "2/m")
    clock[0] = T0 + 0.2
    assert [key_guess(client).status_code for _ in range(2)] == [400, 400]
    clock[0] = T0 + 60 + 59.5  # their weight is 2 * 0.5 / 60 now: one more guess fits, a second does not
    assert [key_guess(client).status_code for _ in range(2)] == [400, 429]
