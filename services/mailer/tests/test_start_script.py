"""bin/start-mailer.sh runs the dramatiq CLI found on PATH with the right modules and flags."""
import os
import subprocess
import sys
from pathlib import Path

SERVICE = Path(__file__).resolve().parent.parent
SCRIPT = SERVICE / "bin" / "start-mailer.sh"


def run_with_fake_dramatiq(tmp_path, **env):
    fake = tmp_path / "dramatiq"
    fake.write_text('#!/bin/sh\npwd\nfor arg in "$@"; do echo "$arg"; done\n')
    fake.chmod(0o755)
    environment = {"PATH": f"{tmp_path}:/usr/bin:/bin", **env}
    result = subprocess.run([str(SCRIPT)], cwd=tmp_path, env=environment, capture_output=True, text=True,
                            timeout=10, check=True)
    return result.stdout.splitlines()


def test_the_script_is_executable():
    assert os.access(SCRIPT, os.X_OK)


def test_it_starts_the_worker_from_the_service_directory(tmp_path):
    cwd, *args = run_with_fake_dramatiq(tmp_path)
    assert Path(cwd) == SERVICE
    assert args == ["mailer.broker", "mailer.actors", "--queues", "emails", "--processes", "1", "--threads", "4"]


def test_processes_and_threads_come_from_the_environment(tmp_path):
    _, *args = run_with_fake_dramatiq(tmp_path, MAILER_PROCESSES="2", MAILER_THREADS="8")
    assert args[-4:] == ["--processes", "2", "--threads", "8"]


def test_the_real_cli_knows_these_flags():
    dramatiq = Path(sys.executable).parent / "dramatiq"
    usage = subprocess.run([str(dramatiq), "--help"], capture_output=True, text=True, timeout=30, check=True).stdout
    for flag in ("--queues", "--processes", "--threads"):
        assert flag in usage
