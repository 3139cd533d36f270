import os

import pytest
from django.core.management import call_command

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def rates(settings):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "login_account": "3/15m",
        "login_ip": "100/m",
        "email_address": "2/h",
        "email_ip": "100/h",
        "register_ip": "2/h",
        "key_guess_ip": "3/m",
    }
    return settings.THROTTLE_RATES


def test_login_is_throttled_per_account_whatever_the_ip(client, make_user, rates):
    make_user()
    for ip in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        assert (
            client.post(
                "/api/auth/login/",
                {"email": "ada@example.com", "password": "wrong password!!"},
                format="json",
                REMOTE_ADDR=ip,
            ).status_code
            == 400
        )
    response = client.post(
        "/api/auth/login/", {"email": "ADA@example.com", "password": PASSWORD}, format="json", REMOTE_ADDR="10.0.0.4"
    )
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
    monkeypatch.setattr("accounts.throttling.timer", lambda: later)
    assert (
        client.post("/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}, format="json").status_code
        == 200
    )


def test_reset_is_throttled_per_address_identically_for_known_and_unknown(client, make_user, rates):
    make_user()
    for email in ("ada@example.com", "nobody@example.com"):
        codes = [
            client.post("/api/auth/password/reset/", {"email": email}, format="json").status_code for _ in range(3)
        ]
        assert codes == [202, 202, 429]


def test_register_is_throttled_per_ip(client, rates):
    codes = [
        client.post(
            "/api/auth/register/",
            {"email": f"u{i}@example.com", "password": PASSWORD},
            format="json",
            REMOTE_ADDR="10.9.9.9",
        ).status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]


def test_register_is_throttled_per_address_identically_for_known_and_unknown(client, make_user, rates):
    make_user()  # ada@example.com exists; nobody@example.com does not
    for email in ("ada@example.com", "nobody@example.com"):
        answers = [
            client.post(
                "/api/auth/register/", {"email": email, "password": PASSWORD}, format="json", REMOTE_ADDR=f"10.8.0.{i}"
            )
            for i in range(3)
        ]
        assert [a.status_code for a in answers] == [201, 201, 429]
        assert answers[0].content == answers[1].content


def test_key_guessing_is_throttled_per_ip(client, rates):
    codes = [client.post("/api/auth/email/confirm/", {"key": f"guess{i}"}, format="json").status_code for i in range(4)]
    assert codes == [400, 400, 400, 429]


def test_openapi_schema_describes_every_endpoint(client):
    response = client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for expected in [
        "/api/auth/register/",
        "/api/auth/login/",
        "/api/auth/password/reset/confirm/",
        "/api/auth/sessions/{public_id}/",
        "/api/admin/users/",
        "/api/dashboard/",
    ]:
        assert expected in paths, expected


def test_schema_generates_without_warnings_and_validates():
    # --fail-on-warn: a view whose request or response drf-spectacular cannot see fails here.
    # --validate checks the result against the OpenAPI 3 JSON schema.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", os.devnull)


def operations(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            yield path, method, operation


def test_every_operation_documents_its_bodies_and_error_answers(client):
    schema = client.get("/api/schema/?format=json").json()
    error_ref = "#/components/schemas/Error"
    checked = 0
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        success = [code for code in responses if code.startswith("2")]
        assert success, (method, path)
        if method in ("post", "patch") and path not in NO_BODY:
            assert "requestBody" in operation, (method, path)
            for code in ("400", "413", "415"):
                assert responses[code]["content"]["application/json"]["schema"]["$ref"] == error_ref, (path, code)
        if operation["security"] != [{}]:
            assert {"401", "403"} <= responses.keys(), (method, path)
        if "{" in path:
            assert "404" in responses, (method, path)
        checked += 1
    assert checked >= 20
    assert schema["components"]["schemas"]["Error"]["required"] == ["code", "detail"]


NO_BODY = {
    "/api/auth/logout/",
    "/api/auth/logout-all/",
    "/api/auth/token/refresh/",
    "/api/auth/mfa/totp/setup/",
    "/api/auth/mfa/recovery-codes/",
    "/api/auth/login/passkey/begin/",
    "/api/auth/reauthenticate/webauthn/begin/",
    "/api/admin/users/{id}/mfa/reset/",
}


def test_throttled_operations_document_429_with_retry_after(client):
    schema = client.get("/api/schema/?format=json").json()
    login = schema["paths"]["/api/auth/login/"]["post"]["responses"]
    assert "Retry-After" in login["429"]["headers"]
    assert "429" not in schema["paths"]["/api/auth/me/"]["get"]["responses"]
    # Search terms are validated (no NUL characters), so the admin list can answer 400.
    assert "400" in schema["paths"]["/api/admin/users/"]["get"]["responses"]
    assert "400" not in schema["paths"]["/api/auth/me/"]["get"]["responses"]


def test_anonymous_operations_need_no_token_and_others_name_both_transports(client):
    schema = client.get("/api/schema/?format=json").json()
    assert schema["paths"]["/api/auth/register/"]["post"]["security"] == [{}]
    assert schema["paths"]["/api/auth/me/"]["get"]["security"] == [{"tokenAuth": []}, {"cookieAuth": []}]
    schemes = schema["components"]["securitySchemes"]
    assert schemes["cookieAuth"] == {**schemes["cookieAuth"], "type": "apiKey", "in": "cookie", "name": "auth_token"}


def test_docs_page_is_served_without_inline_scripts(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html.replace(" ", "")
