"""The image's health check: a worker process for mailer.actors must exist and Redis must answer."""
from dataclasses import replace

from mailer import healthcheck
from tests.helpers import free_port


def fake_proc(tmp_path, *commands):
    for pid, argv in enumerate(commands, start=100):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "cmdline").write_bytes(b"\0".join(argv) + b"\0")
    return tmp_path


def test_finds_the_worker(tmp_path):
    proc = fake_proc(tmp_path, [b"/bin/bash"], [b"/opt/venv/bin/python", b"/opt/venv/bin/dramatiq",
                                                b"mailer.broker", b"mailer.actors", b"--queues", b"emails"])
    assert healthcheck.worker_running(proc)


def test_no_worker_is_unhealthy(tmp_path, monkeypatch, capsys):
    proc = fake_proc(tmp_path, [b"/bin/bash"], [b"python", b"-m", b"mailer.healthcheck"])
    assert not healthcheck.worker_running(proc)
    monkeypatch.setattr(healthcheck, "worker_running", lambda: False)
    assert healthcheck.main() == 1
    assert "no dramatiq worker" in capsys.readouterr().out


def test_redis_down_is_unhealthy(monkeypatch, capsys):
    closed = replace(healthcheck.settings, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    monkeypatch.setattr(healthcheck, "settings", closed)
    monkeypatch.setattr(healthcheck, "worker_running", lambda: True)
    assert healthcheck.main() == 1
    assert "Redis" in capsys.readouterr().out
