"""Settings come from the environment, with safe defaults, and bad values stop the worker at start."""

import pytest

from mailer import settings as settings_module
from mailer.settings import ConfigError

NAMES = [
    "REDIS_URL",
    "SMTP_HOST",
    "SMTP_PORT",
    "SMTP_USE_TLS",
    "SMTP_USE_SSL",
    "SMTP_USER",
    "SMTP_PASSWORD",
    "SMTP_TIMEOUT",
    "MAIL_FROM",
    "MAIL_MESSAGE_ID_DOMAIN",
    "MAILER_MAX_RETRIES",
    "MAILER_MIN_BACKOFF_MS",
    "MAILER_MAX_BACKOFF_MS",
    "MAILER_HEARTBEAT_TIMEOUT_MS",
    "MAILER_MAINTENANCE_CHANCE",
    "MAILER_BROKER",
    "MAILER_SENT_TTL_S",
    "MAILER_DEAD_LETTER_TTL_S",
    "MAILER_METRICS_HOST",
    "MAILER_METRICS_PORT",
    "MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION",
    "MAILER_SMTP_IDLE_S",
]


@pytest.fixture
def clean_env(monkeypatch):
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_defaults(clean_env):
    loaded = settings_module.load()
    assert loaded.broker == "redis"
    assert loaded.redis_url == "redis://127.0.0.1:6379/0"
    assert (loaded.smtp_host, loaded.smtp_port, loaded.smtp_timeout) == ("127.0.0.1", 1025, 10)
    assert (loaded.smtp_max_messages_per_connection, loaded.smtp_idle_s) == (100, 30)
    assert not loaded.smtp_use_tls and not loaded.smtp_use_ssl and loaded.smtp_user == ""
    assert loaded.mail_from == "Auth Platform <no-reply@localhost>"
    assert loaded.message_id_domain == "auth-platform.local"
    assert (loaded.max_retries, loaded.min_backoff_ms, loaded.max_backoff_ms) == (12, 1000, 300_000)
    assert loaded.heartbeat_timeout_ms == 15_000
    assert loaded.maintenance_chance == 100_000
    assert loaded.send_time_limit_ms == 120_000
    assert loaded.sent_ttl_s == 8 * 86_400  # longer than retries, dead-letter replays and re-enqueues
    assert loaded.dead_letter_ttl_s == 3 * 86_400
    assert (loaded.metrics_host, loaded.metrics_port) == ("0.0.0.0", 9108)  # noqa: S104


def test_values_come_from_the_environment(clean_env):
    clean_env.setenv("SMTP_PORT", "2525")
    clean_env.setenv("SMTP_USE_SSL", "YES")
    clean_env.setenv("SMTP_USER", "mailer")
    clean_env.setenv("MAILER_MAX_BACKOFF_MS", "60000")
    loaded = settings_module.load()
    assert (loaded.smtp_port, loaded.smtp_use_ssl) == (2525, True)
    assert (loaded.smtp_user, loaded.max_backoff_ms) == ("mailer", 60000)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("true", True),
        ("1", True),
        ("yes", True),
        ("True", True),
        ("false", False),
        ("0", False),
        ("no", False),
        ("", False),
    ],
)
def test_booleans(clean_env, raw, expected):
    clean_env.setenv("SMTP_USE_TLS", raw)
    assert settings_module.load().smtp_use_tls is expected


@pytest.mark.parametrize(
    "name, raw",
    [
        ("SMTP_USE_TLS", "maybe"),
        ("SMTP_USE_SSL", "on"),
        ("SMTP_PORT", "smtp"),
        ("SMTP_PORT", "70000"),
        ("SMTP_TIMEOUT", "0"),
        ("MAILER_MAX_RETRIES", "-1"),
        ("MAILER_MAINTENANCE_CHANCE", "2000000"),
        ("MAILER_BROKER", "rabbitmq"),
        ("MAILER_METRICS_PORT", "70000"),
        ("MAILER_METRICS_PORT", "-1"),
        ("MAILER_SENT_TTL_S", "8d"),
        ("MAILER_SENT_TTL_S", "0"),
        ("MAILER_DEAD_LETTER_TTL_S", "0"),
        ("MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION", "0"),
        ("MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION", "-5"),
        ("MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION", "many"),
        ("MAILER_SMTP_IDLE_S", "0"),
        ("MAILER_SMTP_IDLE_S", "30s"),
        ("MAILER_SMTP_IDLE_S", "1.5"),
    ],
)
def test_garbage_fails_loudly_with_the_variables_name(clean_env, name, raw):
    clean_env.setenv(name, raw)
    with pytest.raises(ConfigError, match=name):
        settings_module.load()


def test_tls_and_ssl_exclude_each_other(clean_env):
    clean_env.setenv("SMTP_USE_TLS", "true")
    clean_env.setenv("SMTP_USE_SSL", "yes")
    with pytest.raises(ConfigError, match="exclude"):
        settings_module.load()


def test_backoff_bounds_must_be_ordered(clean_env):
    clean_env.setenv("MAILER_MIN_BACKOFF_MS", "5000")
    clean_env.setenv("MAILER_MAX_BACKOFF_MS", "1000")
    with pytest.raises(ConfigError, match="MAILER_MIN_BACKOFF_MS"):
        settings_module.load()


def test_the_password_is_not_shown(clean_env):
    clean_env.setenv("SMTP_USER", "mailer")
    clean_env.setenv("SMTP_PASSWORD", "hunter2 ")
    loaded = settings_module.load()
    assert loaded.smtp_password == "hunter2 "  # kept as is, trailing space included
    assert "hunter2" not in repr(loaded) and "hunter2" not in str(loaded)


def test_metrics_port_zero_turns_the_server_off(clean_env):
    clean_env.setenv("MAILER_METRICS_PORT", "0")
    clean_env.setenv("MAILER_METRICS_HOST", "127.0.0.1")
    clean_env.setenv("MAILER_DEAD_LETTER_TTL_S", "3600")
    loaded = settings_module.load()
    assert (loaded.metrics_host, loaded.metrics_port, loaded.dead_letter_ttl_s) == ("127.0.0.1", 0, 3600)


def test_send_time_limit_is_read_in_seconds(clean_env, monkeypatch):
    monkeypatch.setenv("MAILER_SEND_TIME_LIMIT_S", "20")
    assert settings_module.load().send_time_limit_ms == 20_000
    monkeypatch.setenv("MAILER_SEND_TIME_LIMIT_S", "0")
    with pytest.raises(settings_module.ConfigError, match="MAILER_SEND_TIME_LIMIT_S"):
        settings_module.load()


def test_smtp_connection_reuse_limits(clean_env):
    clean_env.setenv("MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION", "1")  # the smallest: one email per connection
    clean_env.setenv("MAILER_SMTP_IDLE_S", " 5 ")
    loaded = settings_module.load()
    assert (loaded.smtp_max_messages_per_connection, loaded.smtp_idle_s) == (1, 5)
    clean_env.setenv("MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION", "")  # empty: the default
    clean_env.setenv("MAILER_SMTP_IDLE_S", "")
    loaded = settings_module.load()
    assert (loaded.smtp_max_messages_per_connection, loaded.smtp_idle_s) == (100, 30)
