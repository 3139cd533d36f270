import pytest

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "3/15m", "login_ip": "100/m",
                               "email_address": "2/h", "email_ip": "100/h", "register_ip": "2/h",
                               "key_guess_ip": "3/m"}
    return settings.THROTTLE_RATES


def test_login_is_throttled_per_account_whatever_the_ip(client, make_user, rates):
    make_user()
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert client.post("/api/auth/login/", {"email": "ada@example.com", "password": "wrong password!!"},
                           format="json", REMOTE_ADDR=ip).status_code == 400
    response = client.post("/api/auth/login/", {"email": "ADA@example.com", "password": PASSWORD},
                           format="json", REMOTE_ADDR="10.0.0.4")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and int(response["Retry-After"]) > 0
    other = client.post("/api/auth/login/", {"email": "bob@example.com", "password": "x" * 12}, format="json")
    assert other.status_code == 400


def test_window_passes_and_the_right_password_works_again(client, make_user, rates, monkeypatch):
    import time as real_time

    make_user()
    for _ in range(3):
        client.post("/api/auth/login/", {"email": "ada@example.com", "password": "wrong password!!"}, format="json")
    later = real_time.time() + 15 * 60 + 1
    monkeypatch.setattr("rest_framework.throttling.SimpleRateThrottle.timer", lambda self: later)
    assert client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD},
                       format="json").status_code == 200


def test_reset_is_throttled_per_address_identically_for_known_and_unknown(client, make_user, rates):
    make_user()
    for email in ("ada@example.com", "nobody@example.com"):
        codes = [client.post("/api/auth/password/reset/", {"email": email}, format="json").status_code
                 for _ in range(3)]
        assert codes == [202, 202, 429]


def test_register_is_throttled_per_ip(client, rates):
    codes = [client.post("/api/auth/register/", {"email": f"u{i}@example.com", "password": PASSWORD},
                         format="json", REMOTE_ADDR="10.9.9.9").status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_key_guessing_is_throttled_per_ip(client, rates):
    codes = [client.post("/api/auth/email/confirm/", {"key": f"guess{i}"}, format="json").status_code
             for i in range(4)]
    assert codes == [400, 400, 400, 429]


def test_openapi_schema_describes_every_endpoint(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for expected in ["/api/auth/register/", "/api/auth/login/", "/api/auth/password/reset/confirm/",
                     "/api/auth/sessions/{public_id}/", "/api/admin/users/", "/api/dashboard/"]:
        assert expected in paths, expected


def test_docs_page_is_served_without_inline_scripts(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html.replace(" ", "")
