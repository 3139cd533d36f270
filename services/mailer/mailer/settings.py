"""The mailer's settings, read once from environment variables (documented in the repo's .env.example).

A bad value stops the worker at start-up with the variable's name, rather than at the first email.
"""

import os
from dataclasses import dataclass

_TRUE = {"true", "1", "yes"}
_FALSE = {"false", "0", "no"}


class ConfigError(ValueError):
    """An environment variable holds a value the mailer cannot use."""


def _raw(name: str) -> str | None:
    # An empty value (`SMTP_USE_TLS=` in an env file) means "not set", as in compose and systemd.
    value = os.environ.get(name, "").strip()
    return value or None


def env_str(name: str, default: str) -> str:
    return _raw(name) or default


def env_bool(name: str, default: bool = False) -> bool:
    raw = _raw(name)
    if raw is None:
        return default
    if raw.lower() in _TRUE:
        return True
    if raw.lower() in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of true/false/1/0/yes/no, not {raw!r}")


def env_int(name: str, default: int, minimum: int = 0, maximum: int | None = None) -> int:
    raw = _raw(name)
    if raw is None:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be an integer, not {raw!r}") from None
    if value < minimum or (maximum is not None and value > maximum):
        raise ConfigError(f"{name} must be between {minimum} and {maximum or 'any'}, not {value}")
    return value


@dataclass(frozen=True)
class Settings:
    broker: str
    redis_url: str
    smtp_host: str
    smtp_port: int
    smtp_use_tls: bool
    smtp_use_ssl: bool
    smtp_user: str
    smtp_password: str
    smtp_timeout: int
    smtp_max_messages_per_connection: int
    smtp_idle_s: int
    mail_from: str
    message_id_domain: str
    max_retries: int
    min_backoff_ms: int
    max_backoff_ms: int
    heartbeat_timeout_ms: int
    maintenance_chance: int
    send_time_limit_ms: int
    sent_ttl_s: int
    dead_letter_ttl_s: int
    metrics_host: str
    metrics_port: int

    def __repr__(self) -> str:
        # Settings end up in tracebacks and debug output: never show the password.
        return f"Settings(smtp={self.smtp_host}:{self.smtp_port}, user={self.smtp_user!r}, password=***)"


def load() -> Settings:
    settings = Settings(
        # stub = Dramatiq's in-memory StubBroker, for this service's tests only.
        broker=env_str("MAILER_BROKER", "redis"),
        redis_url=env_str("REDIS_URL", "redis://127.0.0.1:6379/0"),
        smtp_host=env_str("SMTP_HOST", "127.0.0.1"),
        smtp_port=env_int("SMTP_PORT", 1025, minimum=1, maximum=65535),
        smtp_use_tls=env_bool("SMTP_USE_TLS"),
        smtp_use_ssl=env_bool("SMTP_USE_SSL"),
        smtp_user=env_str("SMTP_USER", ""),
        # Not stripped: a password may legitimately end in a space.
        smtp_password=os.environ.get("SMTP_PASSWORD", ""),
        smtp_timeout=env_int("SMTP_TIMEOUT", 10, minimum=1),
        # Each worker thread keeps its SMTP connection for the next email (mailer/smtp.py): at most
        # this many emails per connection (1: a new connection for every email, QUIT after it)...
        smtp_max_messages_per_connection=env_int("MAILER_SMTP_MAX_MESSAGES_PER_CONNECTION", 100, minimum=1),
        # ...and not after this many idle seconds, which should stay below the relay's own idle
        # timeout (then QUIT, and the next email connects again).
        smtp_idle_s=env_int("MAILER_SMTP_IDLE_S", 30, minimum=1),
        mail_from=env_str("MAIL_FROM", "Auth Platform <no-reply@localhost>"),
        message_id_domain=env_str("MAIL_MESSAGE_ID_DOMAIN", "auth-platform.local"),
        max_retries=env_int("MAILER_MAX_RETRIES", 12),
        min_backoff_ms=env_int("MAILER_MIN_BACKOFF_MS", 1000, minimum=1),
        # Bounded: Dramatiq's own default lets the backoff grow to 7 days.
        max_backoff_ms=env_int("MAILER_MAX_BACKOFF_MS", 300_000, minimum=1),
        # A worker that has not been heard from for this long is dead; its messages go back on
        # the queue at the next maintenance run (Dramatiq's default is 60 s).
        heartbeat_timeout_ms=env_int("MAILER_HEARTBEAT_TIMEOUT_MS", 15_000, minimum=1000),
        # Out of 1,000,000 broker commands (dramatiq 2.x's MAINTENANCE_SCALE). An idle worker
        # polls each queue about once a second, so Dramatiq's default of 1000 runs maintenance
        # every ~15 minutes; 100000 (10%) brings a killed worker's messages back within seconds.
        maintenance_chance=env_int("MAILER_MAINTENANCE_CHANCE", 100_000, maximum=1_000_000),
        # The longest one send may take before it is abandoned and retried; also the lifetime of
        # the per-email sending lock (see sent_log), so a killed worker's in-flight emails are
        # retried this long after they started.
        send_time_limit_ms=env_int("MAILER_SEND_TIME_LIMIT_S", 120, minimum=1) * 1000,
        # How long "this email was sent" is remembered (mailer/sent_log.py). Longer than any way a
        # message can come back: retries (about an hour with the default backoff), a dead letter
        # replayed before it expires, or the API re-enqueueing the same outbox id.
        sent_ttl_s=env_int("MAILER_SENT_TTL_S", 8 * 86_400, minimum=60),
        # How long a dead letter stays in Redis for `python -m mailer.deadletters`. Dramatiq keeps
        # them 7 days by default; the links inside are useless long before that.
        dead_letter_ttl_s=env_int("MAILER_DEAD_LETTER_TTL_S", 3 * 86_400, minimum=60),
        # GET /metrics and /healthz, served from the worker process (mailer/status.py); port 0: off.
        # All interfaces by default: Prometheus scrapes the container from outside.
        metrics_host=env_str("MAILER_METRICS_HOST", "0.0.0.0"),  # noqa: S104 - in its container, where Prometheus reaches it  # nosec B104
        metrics_port=env_int("MAILER_METRICS_PORT", 9108, maximum=65535),
    )
    if settings.broker not in {"redis", "stub"}:
        raise ConfigError(f"MAILER_BROKER must be redis, stub or empty, not {settings.broker!r}")
    if settings.smtp_use_tls and settings.smtp_use_ssl:
        raise ConfigError("SMTP_USE_TLS (STARTTLS) and SMTP_USE_SSL (implicit TLS) exclude each other")
    if settings.min_backoff_ms > settings.max_backoff_ms:
        raise ConfigError("MAILER_MIN_BACKOFF_MS must not exceed MAILER_MAX_BACKOFF_MS")
    return settings


settings = load()
