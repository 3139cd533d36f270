"""Production settings refuse to start without their secrets."""
import os
import subprocess
import sys
from pathlib import Path

import pytest

API_DIR = Path(__file__).resolve().parents[1]


def load_settings(**env):
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "APP_ENV"))}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('loaded')"],
        cwd=API_DIR, env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True, text=True, timeout=60,
    )


@pytest.mark.parametrize("env, missing", [
    ({}, "DJANGO_SECRET_KEY"),
    ({"DJANGO_SECRET_KEY": "k" * 60}, "DJANGO_ALLOWED_HOSTS"),
    ({"DJANGO_SECRET_KEY": "short", "DJANGO_ALLOWED_HOSTS": "example.com"}, "at least 50"),
    ({"DJANGO_SECRET_KEY": "k" * 60, "DJANGO_ALLOWED_HOSTS": "example.com", "DJANGO_DEBUG": "true"},
     "DJANGO_DEBUG"),
])
def test_production_refuses_to_start_without_secrets(env, missing):
    result = load_settings(**env)
    assert result.returncode != 0
    assert missing in result.stderr


def test_production_starts_with_them():
    result = load_settings(DJANGO_SECRET_KEY="k" * 60, DJANGO_ALLOWED_HOSTS="example.com")
    assert result.returncode == 0, result.stderr
    assert "loaded" in result.stdout

