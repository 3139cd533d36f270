import pytest
from mailer import settings as settings_module


def test_bad_boolean_fails_loudly(monkeypatch):
    monkeypatch.setenv("SMTP_USE_TLS", "maybe")
    with pytest.raises(ValueError, match="SMTP_USE_TLS"):
        settings_module.load()


def test_tls_and_ssl_exclude_each_other(monkeypatch):
    monkeypatch.setenv("SMTP_USE_TLS", "true")
    monkeypatch.setenv("SMTP_USE_SSL", "yes")
    with pytest.raises(ValueError, match="exclude"):
        settings_module.load()


def test_backoff_is_bounded_by_default(monkeypatch):
    monkeypatch.delenv("MAILER_MAX_BACKOFF_MS", raising=False)
    monkeypatch.delenv("MAILER_HEARTBEAT_TIMEOUT_MS", raising=False)
    loaded = settings_module.load()
    assert loaded.max_backoff_ms == 300_000 and loaded.heartbeat_timeout_ms == 15_000
