from datetime import timedelta

import pytest
from django.db import OperationalError
from django.urls import path
from django.utils import timezone
from outbox.models import OutboxEmail

pytestmark = pytest.mark.django_db


def test_unknown_url_is_json_404(client):
    response = client.get("/api/nope/")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "detail": "Not found."}


def test_wrong_method_is_json_405(client):
    response = client.get("/api/auth/register/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert client.post("/api/health/live/").json()["code"] == "method_not_allowed"


def test_trace_is_refused(client):
    response = client.generic("TRACE", "/api/auth/login/")
    assert response.status_code == 405


def _crash(request):
    raise RuntimeError("boom: secret-stack-detail")


from config.urls import handler500  # noqa: E402,F401
from config.urls import urlpatterns as real_urlpatterns  # noqa: E402

urlpatterns = [*real_urlpatterns, path("crash/", _crash)]


def test_crash_is_json_500_without_traceback(client, settings):
    settings.ROOT_URLCONF = __name__
    client.raise_request_exception = False
    response = client.get("/crash/")
    assert response.status_code == 500
    assert response.json() == {"code": "server_error", "detail": "Internal server error."}
    assert b"secret-stack-detail" not in response.content


def test_live(client):
    response = client.get("/api/health/live/")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


def test_ready_reports_redis_down_as_degraded_but_stays_in_rotation(client, settings):
    # With Redis down the API still registers users (the outbox keeps their emails), so the
    # readiness probe must not take it out of rotation.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/api/health/ready/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "redis": "error", "outbox": "ok"},
        "outbox": {"pending": 0, "oldest_seconds": 0},
    }


def test_ready_ok_when_both_answer(client, monkeypatch):
    monkeypatch.setattr("core.health.redis.Redis.ping", lambda self: True)
    response = client.get("/api/health/ready/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "outbox": "ok"},
        "outbox": {"pending": 0, "oldest_seconds": 0},
    }


def test_ready_reports_an_old_outbox_backlog(client, monkeypatch, settings):
    monkeypatch.setattr("core.health.redis.Redis.ping", lambda self: True)
    settings.OUTBOX_STALE_AFTER_S = 300
    old = OutboxEmail.objects.create(kind="account_deleted", to="a@example.com", payload={})
    OutboxEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(seconds=400))
    OutboxEmail.objects.create(kind="account_deleted", to="b@example.com", payload={})
    body = client.get("/api/health/ready/").json()
    assert body["status"] == "degraded" and body["checks"]["outbox"] == "stale"
    assert body["outbox"]["pending"] == 2 and 399 <= body["outbox"]["oldest_seconds"] <= 460


def test_ready_fails_when_the_database_is_down(client, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("database down")

    monkeypatch.setattr("core.health.connection.cursor", broken)
    response = client.get("/api/health/ready/")
    assert response.status_code == 503 and response.json()["checks"]["database"] == "error"


def test_security_headers_on_api_responses(client):
    response = client.get("/api/nope/")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Cache-Control"] == "no-store"


def test_auth_responses_are_no_store(client):
    response = client.post("/api/auth/login/", {"email": "a@example.com", "password": "x" * 12}, format="json")
    assert response.status_code == 400 and response.headers["Cache-Control"] == "no-store"


def test_log_lines_carry_the_gateways_request_id(client, caplog, settings):
    from core.middleware import RequestIdLogFilter

    caplog.handler.addFilter(RequestIdLogFilter())
    client.post("/api/auth/register/", {"email": "not an address"}, format="json", HTTP_X_REQUEST_ID="0123abcd")
    (record,) = [r for r in caplog.records if r.name == "django.request"]  # "Bad Request: /api/auth/register/"
    assert record.request_id == "0123abcd"


def test_a_forged_request_id_is_replaced(client, caplog):
    from core.middleware import RequestIdLogFilter

    caplog.handler.addFilter(RequestIdLogFilter())
    client.post("/api/auth/register/", {"email": "not an address"}, format="json", HTTP_X_REQUEST_ID="x\nFAKE LOG LINE")
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    assert len(record.request_id) == 32 and "FAKE" not in record.request_id


@pytest.mark.parametrize("origin", ["https://evil.example", "null", "http://127.0.0.1:8080.evil.example"])
def test_no_cors_grant_for_foreign_or_null_origins(client, origin):
    # Checklist 33: the web app is same-origin behind the gateway, so the API grants no origin.
    preflight = client.options("/api/auth/login/", HTTP_ORIGIN=origin, HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    simple = client.post(
        "/api/auth/login/", {"email": "a@example.com", "password": "x"}, format="json", HTTP_ORIGIN=origin
    )
    for response in (preflight, simple):
        assert not any(name.lower().startswith("access-control-") for name in response.headers)


def test_a_database_lock_held_too_long_is_a_clean_503(client, monkeypatch, caplog):
    """SQLite: another process kept the write lock past the busy timeout. Transactions take the
    lock first (IMMEDIATE), so nothing was written: the client may simply retry."""

    def locked(**kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr("accounts.registration.register_user", locked)
    response = client.post(
        "/api/auth/register/", {"email": "ada@example.com", "password": "a fine passphrase"}, format="json"
    )
    assert response.status_code == 503 and response["Retry-After"] == "1"
    assert response.json() == {"code": "database_busy", "detail": "The service is busy. Try again in a moment."}
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize(
    "path, status, code",
    [
        ("/api/health/live/", 403, "csrf_failed"),
        ("/api/health/ready/", 403, "csrf_failed"),
        ("/api/schema/", 405, "method_not_allowed"),
        ("/api/docs/", 405, "method_not_allowed"),
    ],
)
def test_errors_of_views_outside_drf_or_with_their_own_renderers_are_json(path, status, code):
    """Attack: POST to the probes got Django's HTML CSRF page, to the schema a YAML 405."""
    from rest_framework.test import APIClient

    response = APIClient(enforce_csrf_checks=True).post(path, {}, format="json")
    assert response.status_code == status and response["Content-Type"] == "application/json"
    assert response.json()["code"] == code


@pytest.mark.parametrize("method, path", [("post", "/api/auth/login"), ("get", "/api/auth/me")])
def test_a_path_without_its_slash_is_a_json_404_not_a_redirect(client, method, path):
    """Attack: a 301 with an empty text/html body; following it turns the POST into a GET."""
    response = getattr(client, method)(path)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
