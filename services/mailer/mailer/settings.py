"""The mailer's settings, read once from environment variables (see the repo's .env.example)."""
import os
from dataclasses import dataclass

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name, default=False):
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"{name} must be true or false, not {raw!r}")


def env_int(name, default):
    raw = os.environ.get(name)
    return default if raw in (None, "") else int(raw)


@dataclass(frozen=True)
class Settings:
    redis_url: str
    smtp_host: str
    smtp_port: int
    smtp_use_tls: bool
    smtp_use_ssl: bool
    smtp_user: str
    smtp_password: str
    smtp_timeout: int
    mail_from: str
    message_id_domain: str
    max_retries: int
    min_backoff_ms: int
    max_backoff_ms: int
    heartbeat_timeout_ms: int
    maintenance_chance: int


def load():
    settings = Settings(
        redis_url=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
        smtp_host=os.environ.get("SMTP_HOST", "127.0.0.1"),
        smtp_port=env_int("SMTP_PORT", 1025),
        smtp_use_tls=env_bool("SMTP_USE_TLS"),
        smtp_use_ssl=env_bool("SMTP_USE_SSL"),
        smtp_user=os.environ.get("SMTP_USER", ""),
        smtp_password=os.environ.get("SMTP_PASSWORD", ""),
        smtp_timeout=env_int("SMTP_TIMEOUT", 10),
        mail_from=os.environ.get("MAIL_FROM", "Auth Platform <no-reply@localhost>"),
        message_id_domain=os.environ.get("MAIL_MESSAGE_ID_DOMAIN", "auth-platform.local"),
        max_retries=env_int("MAILER_MAX_RETRIES", 12),
        min_backoff_ms=env_int("MAILER_MIN_BACKOFF_MS", 1000),
        # Bounded: Dramatiq's default backoff grows to 7 days.
        max_backoff_ms=env_int("MAILER_MAX_BACKOFF_MS", 300_000),
        # With Dramatiq's defaults a killed worker's messages come back after ~15 minutes.
        heartbeat_timeout_ms=env_int("MAILER_HEARTBEAT_TIMEOUT_MS", 15_000),
        maintenance_chance=env_int("MAILER_MAINTENANCE_CHANCE", 1000),
    )
    if settings.smtp_use_tls and settings.smtp_use_ssl:
        raise ValueError("SMTP_USE_TLS (STARTTLS) and SMTP_USE_SSL (implicit TLS) exclude each other")
    return settings


settings = load()
