"""Production settings refuse to start without their secrets."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

API_DIR = Path(__file__).resolve().parents[1]


# A production key for these subprocesses: generated, never written down.
MFA_KEY = Fernet.generate_key().decode()


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV", "MFA_"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('loaded')"],
        cwd=API_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env, missing",
    [
        ({}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "k" * 60}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "example.com"}, "MFA_ENCRYPTION_KEYS"),
        (
            {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "example.com", "MFA_ENCRYPTION_KEYS": ""},
            "MFA_ENCRYPTION_KEYS must not be empty",
        ),
        (
            {"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "example.com", "MFA_ENCRYPTION_KEYS": "short"},
            "MFA_ENCRYPTION_KEYS must be Fernet keys",
        ),
        (
            {
                "DJANGO_SECRET_KEY": "k" * 60,
                "DJANGO_ALLOWED_HOSTS": "example.com",
                "MFA_ENCRYPTION_KEYS": f"{MFA_KEY},ZGV2ZWxvcG1lbnQtb25seS1tZmEta2V5LW5vdC1zZWM=",
            },
            "MFA_ENCRYPTION_KEYS must not contain the development key",
        ),
        ({"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "example.com"}, "at least 50"),
        (
            {
                "DJANGO_SECRET_KEY": "k" * 60,
                "DJANGO_ALLOWED_HOSTS": "example.com",
                "MFA_ENCRYPTION_KEYS": MFA_KEY,
                "DJANGO_DEBUG": "true",
            },
            "DJANGO_DEBUG",
        ),
    ],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    result = load_settings(**env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize("minutes", ["0", "61", "1440"])
def test_a_reset_link_cannot_be_configured_to_live_over_an_hour(minutes):
    result = load_settings(APP_ENV="development", PASSWORD_RESET_TTL_MINUTES=minutes)
    assert result.returncode != 0 and "PASSWORD_RESET_TTL_MINUTES must be 1 to 60" in result.stderr
    assert load_settings(APP_ENV="development", PASSWORD_RESET_TTL_MINUTES="60").returncode == 0


@pytest.mark.parametrize(
    "name, low, high",
    [
        ("MFA_CHALLENGE_TTL_MINUTES", 1, 15),
        ("REAUTHENTICATION_TIMEOUT_MINUTES", 0.5, 60),
        ("LOGIN_CODE_TTL_MINUTES", 1, 30),
        ("SECURITY_LOG_RETENTION_DAYS", 1, 3650),
        ("SIGN_IN_ALERT_TTL_HOURS", 1, 720),
    ],
)
def test_second_factor_lifetimes_are_bounded(name, low, high):
    for outside in (low - 1, high + 1):
        result = load_settings(APP_ENV="development", **{name: str(outside)})
        assert result.returncode != 0 and f"{name} must be {low} to {high}" in result.stderr
    assert load_settings(APP_ENV="development", **{name: str(high)}).returncode == 0


def test_production_starts_with_them():
    result = load_settings(DJANGO_SECRET_KEY="k" * 60, DJANGO_ALLOWED_HOSTS="example.com", MFA_ENCRYPTION_KEYS=MFA_KEY)
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout


def test_development_has_a_fixed_mfa_key_and_takes_a_list_newest_first():
    script = "import django; django.setup(); from django.conf import settings; print(settings.MFA_ENCRYPTION_KEYS)"
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV", "MFA_"))}
    run = lambda **env: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script],
        cwd=API_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "APP_ENV": "development", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run().stdout.strip() == "['ZGV2ZWxvcG1lbnQtb25seS1tZmEta2V5LW5vdC1zZWM=']"
    other = Fernet.generate_key().decode()
    assert run(MFA_ENCRYPTION_KEYS=f"{MFA_KEY},{other}").stdout.strip() == str([MFA_KEY, other])


def test_production_settings_pass_check_deploy_with_no_warnings(tmp_path):
    # Checklist 36: `manage.py check --deploy` is clean with production settings. Only the
    # required variables are set, so the defaults are what is checked.
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "APP_ENV", "SECURE_", "AUTH_COOKIE", "DATABASE_URL", "MFA_"))
    }
    env = {
        **clean,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_SECRET_KEY": "k" * 30 + "Zq9!x" * 6,
        "MFA_ENCRYPTION_KEYS": MFA_KEY,
        "DJANGO_ALLOWED_HOSTS": "auth.example.com",
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=API_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues (0 silenced)" in result.stdout


def test_production_redirects_plain_http_but_not_the_probes(tmp_path):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV", "SECURE_", "MFA_"))}
    script = (
        "import django; django.setup()\n"
        "from django.test import Client\n"
        "c = Client(HTTP_HOST='auth.example.com')\n"
        "print(c.get('/api/auth/me/').status_code, c.get('/api/health/live/').status_code,\n"
        "      c.get('/api/health/live/', HTTP_X_FORWARDED_PROTO='https').headers.get('Strict-Transport-Security'))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=API_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DJANGO_SECRET_KEY": "k" * 60,
            "DJANGO_ALLOWED_HOSTS": "auth.example.com",
            "MFA_ENCRYPTION_KEYS": MFA_KEY,
            "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["301", "200", "max-age=63072000;", "includeSubDomains;", "preload"]


def webauthn_settings(**env):
    script = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGINS, settings.WEBAUTHN_CHALLENGE_TTL_SECONDS)"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV", "MFA_", "WEBAUTHN_"))}
    return subprocess.run(
        [sys.executable, "-c", script],
        cwd=API_DIR,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", "APP_ENV": "development", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_webauthn_settings_come_from_frontend_url_and_their_own_variables():
    env = {
        "FRONTEND_URL": "https://Auth.Example.com:443/app/",
        "WEBAUTHN_EXTRA_ORIGINS": "https://app.auth.example.com",
        "WEBAUTHN_CHALLENGE_TTL_SECONDS": "120",
    }
    result = webauthn_settings(**env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "auth.example.com ['https://auth.example.com', 'https://app.auth.example.com'] 120"


@pytest.mark.parametrize("seconds", ["29", "601"])
def test_the_webauthn_challenge_lifetime_is_bounded(seconds):
    result = webauthn_settings(WEBAUTHN_CHALLENGE_TTL_SECONDS=seconds)
    assert result.returncode != 0 and "WEBAUTHN_CHALLENGE_TTL_SECONDS must be 30 to 600" in result.stderr


@pytest.mark.parametrize(
    "frontend_url, extra, production, expected",
    [
        ("http://127.0.0.1:8080", [], True, ("127.0.0.1", ["http://127.0.0.1:8080"])),
        # The RP id is the host alone, the origin the browser's form of it (default port dropped).
        ("https://Auth.Example.com:443/app/", [], True, ("auth.example.com", ["https://auth.example.com"])),
        ("https://bücher.example", [], True, ("xn--bcher-kva.example", ["https://xn--bcher-kva.example"])),
        (
            "http://localhost:8080",
            ["http://localhost:5173", "http://app.localhost:8080/", "http://localhost:8080"],
            False,
            ("localhost", ["http://localhost:8080", "http://localhost:5173", "http://app.localhost:8080"]),
        ),
    ],
)
def test_the_relying_party_is_frontend_urls_host_and_origin(frontend_url, extra, production, expected):
    from config.relying_party import relying_party

    assert relying_party(frontend_url, extra, production=production) == expected


@pytest.mark.parametrize(
    "extra, production, message",
    [
        ("https://evilexample.com", False, "not on example.com"),  # a suffix, not a subdomain
        ("https://example.org", False, "not on example.com"),
        ("https://com", False, "not on example.com"),  # a parent
        ("https://example.com/app", False, "origins like"),
        ("https://u:p@example.com", False, "origins like"),
        ("https://example.com?x=1", False, "origins like"),
        ("https://example.com#x", False, "origins like"),
        ("example.com", False, "origins like"),
        ("ftp://example.com", False, "origins like"),
        ("https://a.example.com:99999", False, "origins like"),
        ("http://app.example.com", True, "must be https in production"),
    ],
)
def test_extra_webauthn_origins_are_origins_on_the_relying_party(extra, production, message):
    from django.core.exceptions import ImproperlyConfigured

    from config.relying_party import relying_party

    with pytest.raises(ImproperlyConfigured, match=message):
        relying_party("https://example.com", [extra], production=production)
    assert relying_party("https://example.com", ["https://app.example.com"], production=True)[1] == [
        "https://example.com",
        "https://app.example.com",
    ]
