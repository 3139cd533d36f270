"""The catalogues (locale/<language>/LC_MESSAGES/django.po): complete, compiled, and in step with
the code and templates. `make messages` refreshes them."""

import shutil
import subprocess  # nosec B404
from pathlib import Path

import pytest
from django.conf import settings

API = Path(__file__).resolve().parents[1]
TRANSLATED = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
MSGFMT = shutil.which("msgfmt")  # GNU gettext: `make test` installs it


def catalogue(language):
    return API / "locale" / language / "LC_MESSAGES" / "django.po"


def msgids(po_text):
    """Each entry's context and msgid, as written (the PO format's quoted lines joined)."""
    entries: set[tuple[str | None, str]] = set()
    current: dict[str, str] = {}
    field = None
    for line in [*po_text.splitlines(), ""]:
        if line.startswith(("msgctxt ", "msgid ")):
            field, _, rest = line.partition(" ")
            if field == "msgctxt" or "msgid" in current:
                if "msgid" in current:
                    entries.add((current.get("msgctxt"), current["msgid"]))
                current = {}
            current[field] = rest[1:-1]
        elif line.startswith('"') and field in ("msgctxt", "msgid"):
            current[field] += line[1:-1]
        elif line.startswith("msgid_plural") or line.startswith("msgstr"):
            field = None
    if "msgid" in current:
        entries.add((current.get("msgctxt"), current["msgid"]))
    return entries - {(None, "")}


def test_there_is_at_least_one_translation():
    assert TRANSLATED == ["de"]


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_and_the_compiled_catalogue_is_current(language, tmp_path):
    assert MSGFMT, "GNU gettext's msgfmt is missing (make system-packages installs it)"
    result = subprocess.run(  # nosec B603
        [MSGFMT, "--check", "--statistics", "-o", str(tmp_path / "django.mo"), str(catalogue(language))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # "N translated messages." and nothing fuzzy or untranslated after it.
    assert result.stderr.strip().endswith("translated messages."), result.stderr
    compiled = catalogue(language).with_suffix(".mo")
    assert compiled.read_bytes() == (tmp_path / "django.mo").read_bytes(), "run `make messages` and commit the .mo"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_catalogue_has_every_message_of_the_code_and_no_other(language, tmp_path):
    """makemessages over a copy of the sources gives the same entries as the committed catalogue."""
    copy = tmp_path / "api"
    shutil.copytree(
        API, copy, ignore=shutil.ignore_patterns(".venv", "tests", "bench", "staticfiles", "*.sqlite3", "__pycache__")
    )
    result = subprocess.run(  # nosec B603
        [
            str(API / ".venv" / "bin" / "python"),
            "manage.py",
            "makemessages",
            "-l",
            language,
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SETTINGS_MODULE": "config.test_settings", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    fresh = msgids((copy / "locale" / language / "LC_MESSAGES" / "django.po").read_text())
    committed = msgids(catalogue(language).read_text())
    assert fresh - committed == set(), "messages not in the catalogue: run `make messages` and translate them"
    assert committed - fresh == set(), "messages no longer used: run `make messages`"
    assert len(committed) > 100
