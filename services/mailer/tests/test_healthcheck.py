"""The image's health check: the worker's /healthz, or (port 0) a worker process and Redis answering."""

from dataclasses import replace

import pytest

from mailer import healthcheck
from mailer.status import StatusServer
from tests.helpers import free_port


def fake_proc(tmp_path, *commands):
    for pid, argv in enumerate(commands, start=100):
        (tmp_path / str(pid)).mkdir()
        (tmp_path / str(pid) / "cmdline").write_bytes(b"\0".join(argv) + b"\0")
    return tmp_path


def test_finds_the_worker(tmp_path):
    proc = fake_proc(
        tmp_path,
        [b"/bin/bash"],
        [
            b"/opt/venv/bin/python",
            b"/opt/venv/bin/dramatiq",
            b"mailer.broker",
            b"mailer.actors",
            b"--queues",
            b"emails",
        ],
    )
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


@pytest.fixture
def status_port(stub_broker, worker, monkeypatch):
    """The worker's status server on a free port; the health check's settings point at it."""
    server = StatusServer("127.0.0.1", free_port())
    server.after_worker_boot(stub_broker, worker)
    monkeypatch.setattr(
        healthcheck,
        "settings",
        replace(
            healthcheck.settings,
            metrics_host="0.0.0.0",  # noqa: S104
            metrics_port=server.port,
        ),
    )
    # With the port set, /proc is not looked at: a worker process would be found "alive" even when
    # its consumer thread has died.
    monkeypatch.setattr(healthcheck, "worker_running", lambda: pytest.fail("looked at /proc"))
    yield server
    server.after_worker_shutdown(stub_broker, worker)


def test_asks_the_workers_healthz(status_port, capsys):
    assert healthcheck.main() == 0
    assert capsys.readouterr().out == "ok\n"


def test_reports_the_workers_reason(status_port, stub_broker, worker, capsys):
    status_port.before_worker_shutdown(stub_broker, worker)
    assert healthcheck.main() == 1
    assert capsys.readouterr().out == "unhealthy: worker shutting down\n"


def test_no_status_server_is_unhealthy(monkeypatch, capsys):
    port = free_port()
    monkeypatch.setattr(healthcheck, "settings", replace(healthcheck.settings, metrics_port=port))
    assert healthcheck.main() == 1
    assert f"unhealthy: no answer from the worker at http://127.0.0.1:{port}/healthz" in capsys.readouterr().out


@pytest.mark.parametrize(
    "host, url",
    [
        ("0.0.0.0", "http://127.0.0.1:9108/healthz"),  # noqa: S104 - a value, not a bind
        ("127.0.0.1", "http://127.0.0.1:9108/healthz"),
        ("10.1.2.3", "http://10.1.2.3:9108/healthz"),
    ],
)
def test_probe_url(host, url):
    assert healthcheck.probe_url(host, 9108) == url
