"""Every password check spends from one budget per account and per client address: login, the
Django admin's login, and the current password before a change, deletion or email change."""

import threading

import pytest
from django.conf import settings as django_settings

from accounts import throttling
from accounts.models import User
from tests.conftest import PASSWORD, auth, login_token

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def rates(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "3/15m", "login_ip": "1000/m"}


def wrong_login(client, **identifier):
    return client.post("/api/auth/login/", {**identifier, "password": "not the password"}, format="json")


def test_an_address_out_of_budget_cannot_drain_an_accounts_budget(client, make_user, settings):
    """Attack finding: refused checks used to spend the account's unit, so one exhausted address
    locked any owner out (from every address) without a password ever being checked."""
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "3/15m", "login_ip": "2/10m"}
    make_user()
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.66"}
    for i in range(2):
        client.post(
            "/api/auth/login/", {"email": f"nobody{i}@example.com", "password": "x" * 12}, format="json", **attacker
        )
    for _ in range(5):
        response = client.post(
            "/api/auth/login/", {"email": "ada@example.com", "password": "a guess"}, format="json", **attacker
        )
        assert response.status_code == 429
    owner = client.post(
        "/api/auth/login/",
        {"email": "ada@example.com", "password": PASSWORD},
        format="json",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert owner.status_code == 200, owner.json()


SENSITIVE = [
    ("post", "/api/auth/password/change/", lambda pw: {"current_password": pw, "new_password": "another passphrase"}),
    ("post", "/api/auth/email/change/", lambda pw: {"new_email": "new@example.com", "password": pw}),
    ("delete", "/api/auth/me/", lambda pw: {"password": pw}),
]


@pytest.mark.parametrize("method, path, body", SENSITIVE, ids=["change", "email", "delete"])
def test_a_stolen_token_buys_no_extra_password_guesses(client, make_user, rates, method, path, body):
    make_user()
    token = login_token(client)
    codes = [
        getattr(client, method)(path, body(f"guess number {i}"), format="json", **auth(token)).status_code
        for i in range(3)
    ]
    assert codes == [400, 400, 400]
    right = getattr(client, method)(path, body(PASSWORD), format="json", **auth(token))
    assert right.status_code == 429 and right.json()["code"] == "throttled" and int(right["Retry-After"]) > 0
    # The same budget as login: the account's login is refused too, and nothing changed.
    assert (
        client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json").status_code
        == 429
    )
    user = User.objects.get()
    assert user.check_password(PASSWORD) and user.email == "ada@example.com"


def test_current_password_guesses_count_per_client_address_too(client, make_user, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "100/15m", "login_ip": "3/10m"}
    make_user()
    make_user(email="bob@example.com")
    token = login_token(client, email="bob@example.com", REMOTE_ADDR="10.1.1.1")
    for i in range(2):
        client.post(
            "/api/auth/password/change/",
            {"current_password": f"guess {i} xxxxxxx", "new_password": "x" * 20},
            format="json",
            REMOTE_ADDR="10.1.1.1",
            **auth(token),
        )
    # The address has used its 3 checks (one good login gave its unit back): other accounts too.
    assert (
        client.post(
            "/api/auth/login/",
            {"email": "ada@example.com", "password": "not it at all"},
            format="json",
            REMOTE_ADDR="10.1.1.1",
        ).status_code
        == 400
    )
    response = client.post(
        "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json", REMOTE_ADDR="10.1.1.1"
    )
    assert response.status_code == 429


def test_email_and_username_share_the_account_budget(client, make_user, rates):
    make_user(username="ada")
    assert wrong_login(client, email="ada@example.com").status_code == 400
    assert wrong_login(client, username="ADA").status_code == 400
    assert wrong_login(client, email="Ada@Example.com").status_code == 400
    assert client.post("/api/auth/login/", {"username": "ada", "password": PASSWORD}, format="json").status_code == 429


def test_unknown_identifiers_are_budgeted_like_accounts(client, rates):
    codes = [wrong_login(client, email="nobody@example.com").status_code for _ in range(4)]
    assert codes == [400, 400, 400, 429]


def test_a_correct_password_gives_its_check_back(client, make_user, rates):
    make_user()
    for _ in range(6):
        login_token(client)
    assert wrong_login(client, email="ada@example.com").status_code == 400


def test_an_inactive_accounts_correct_password_costs_like_a_wrong_one(client, make_user, rates):
    make_user(is_active=False)
    codes = [
        client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json").status_code
        for _ in range(4)
    ]
    assert codes == [400, 400, 400, 429]


def test_parallel_spends_never_pass_more_than_the_limit(settings):
    settings.THROTTLE_RATES = {**django_settings.THROTTLE_RATES, "login_account": "10/15m"}
    allowed, barrier = [], threading.Barrier(20)

    def spend():
        barrier.wait()
        allowed.append(throttling.spend("login_account", "user:42").allowed)

    threads = [threading.Thread(target=spend) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 10 and len(allowed) == 20


def test_the_budget_comes_back_as_its_window_slides_past(client, make_user, rates, monkeypatch):
    """3 per 15 minutes, spent at the start of a window: the next window still weighs them, so
    a burst aimed at a boundary gains nothing; a third of the way in, one check fits again."""
    make_user()
    for _ in range(3):
        wrong_login(client, email="ada@example.com")
    start = throttling.timer()
    monkeypatch.setattr("accounts.throttling.timer", lambda: start - 1 + 15 * 60)  # the next window starts
    refused = wrong_login(client, email="ada@example.com")
    assert refused.status_code == 429 and 300 <= int(refused["Retry-After"]) <= 301
    monkeypatch.setattr("accounts.throttling.timer", lambda: start - 1 + 20 * 60 + 1)
    assert login_token(client)


def test_the_budget_holds_whatever_happens_to_the_cache(client, make_user, rates, settings):
    """Attack: freeze Redis, so each gunicorn worker falls back to its own memory (and a worker
    restart empties it): 83 checks of one account in 40 s. The budget lives in the database."""
    make_user()
    for _ in range(3):
        wrong_login(client, email="ada@example.com")
    settings.CACHES = {"default": {"BACKEND": "core.cache.FallbackRedisCache", "LOCATION": "redis://127.0.0.1:1/0"}}
    from django.core.cache import caches

    caches["default"].clear()  # a new worker: empty memory, and Redis unreachable
    assert wrong_login(client, email="ada@example.com").status_code == 429
    assert throttling.ThrottleCount.objects.filter(name__startswith="throttle:login_account:").get().count == 3
