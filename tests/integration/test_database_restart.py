"""A database restart costs no request a 5xx: the API's persistent connections die with it, and
the next request on each finds out and reconnects. An authenticated request's own first query
stands in for Django's per-request health check (core/postgresql/base.py, fetch_prepared); every
other request keeps Django's check."""

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.integration.conftest import PASSWORD, Gateway, Mailbox, register_confirmed, start_stack, stop_stack

CLIENTS = 16
# method, path, JSON body, headers
Request = tuple[str, str, dict[str, str] | None, dict[str, str]]


@pytest.fixture(scope="module")
def own_stack():
    stack = start_stack("postgresql")
    yield stack
    stop_stack(stack)


def statuses(gateway_url, requests):
    """The status of each (method, path, body, headers), sent by CLIENTS clients at once."""

    def send(request):
        method, path, body, headers = request
        with Gateway(gateway_url) as session:
            return session.request(method, path, json=body, headers=headers, timeout=30).status_code

    with ThreadPoolExecutor(CLIENTS) as pool:
        return list(pool.map(send, requests))


def test_a_database_restart_costs_no_request_a_5xx(own_stack):
    address = "restart@example.com"
    with Gateway(own_stack.gateway_url) as gateway:
        register_confirmed(gateway, Mailbox(own_stack.mail_ui_url), address)
        token = gateway.post("/api/auth/login/", json={"email": address, "password": PASSWORD}).json()["token"]
    me: Request = ("GET", "/api/auth/me/", None, {"Authorization": f"Token {token}"})
    login: Request = ("POST", "/api/auth/login/", {"email": address, "password": PASSWORD}, {})
    # Every worker holds a persistent connection (DATABASE_CONN_MAX_AGE) that has served requests.
    assert set(statuses(own_stack.gateway_url, [me] * 40)) == {200}

    own_stack.restart_postgres()

    after = statuses(own_stack.gateway_url, [me] * 48 + [login] * 8)
    assert set(after) == {200}, after
    # And the reconnected workers go on as before.
    assert set(statuses(own_stack.gateway_url, [me] * 32)) == {200}
