"""bin/start-mailer.sh runs the dramatiq CLI found on PATH with the right modules and flags."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

SERVICE = Path(__file__).resolve().parent.parent
SCRIPT = SERVICE / "bin" / "start-mailer.sh"


def run_with_fake_dramatiq(tmp_path, **env):
    fake = tmp_path / "dramatiq"
    fake.write_text('#!/bin/sh\npwd\nfor arg in "$@"; do echo "$arg"; done\n')
    fake.chmod(0o755)
    environment = {"PATH": f"{tmp_path}:/usr/bin:/bin", **env}
    result = subprocess.run(
        [str(SCRIPT)], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=10, check=True
    )
    return result.stdout.splitlines()


def test_the_script_is_executable():
    assert os.access(SCRIPT, os.X_OK)


def test_it_starts_the_worker_from_the_service_directory(tmp_path):
    cwd, *args = run_with_fake_dramatiq(tmp_path)
    assert Path(cwd) == SERVICE
    assert args == [
        "mailer.broker",
        "mailer.actors",
        "--queues",
        "emails",
        "--processes",
        "1",
        "--threads",
        "4",
        "--worker-shutdown-timeout",
        "30000",
    ]


def test_threads_and_shutdown_timeout_come_from_the_environment(tmp_path):
    _, *args = run_with_fake_dramatiq(tmp_path, MAILER_THREADS="8", MAILER_SHUTDOWN_TIMEOUT_S="45")
    assert args[-6:] == ["--processes", "1", "--threads", "8", "--worker-shutdown-timeout", "45000"]


def test_always_one_process(tmp_path):
    # Its /metrics and /healthz live in the worker process: one per container, scale with replicas.
    _, *args = run_with_fake_dramatiq(tmp_path, MAILER_PROCESSES="4")
    assert args[args.index("--processes") + 1] == "1"


def test_empty_values_mean_the_defaults(tmp_path):
    _, *args = run_with_fake_dramatiq(tmp_path, MAILER_THREADS="", MAILER_SHUTDOWN_TIMEOUT_S="")
    assert args[-4:] == ["--threads", "4", "--worker-shutdown-timeout", "30000"]


@pytest.mark.parametrize(
    "name, value",
    [
        ("MAILER_THREADS", "0"),
        ("MAILER_THREADS", "four"),
        ("MAILER_SHUTDOWN_TIMEOUT_S", "30s"),
        ("MAILER_SHUTDOWN_TIMEOUT_S", "-1"),
        ("MAILER_SHUTDOWN_TIMEOUT_S", "1+1"),
    ],
)
def test_garbage_stops_the_script_with_the_variables_name(tmp_path, name, value):
    with pytest.raises(subprocess.CalledProcessError) as caught:
        run_with_fake_dramatiq(tmp_path, **{name: value})
    assert caught.value.returncode == 2 and name in caught.value.stderr
    assert caught.value.stdout == ""  # dramatiq was not started


def test_the_real_cli_knows_these_flags():
    dramatiq = Path(sys.executable).parent / "dramatiq"
    usage = subprocess.run([str(dramatiq), "--help"], capture_output=True, text=True, timeout=30, check=True).stdout
    for flag in ("--queues", "--processes", "--threads", "--worker-shutdown-timeout"):
        assert flag in usage
    assert "timeout for worker shutdown, in milliseconds" in usage
