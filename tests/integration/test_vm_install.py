"""The VM deploy (deploy/vm) on this machine, with no systemd: install.sh into a temporary prefix,
then the very commands of the installed units' ExecStart= lines, and a user's journey through that
gateway (over TLS, APP_ENV=production). A second install changes nothing; an upgrade to a new
release is a reload (the units' ExecReload=) with no failed request.

The units' sandboxing (User=, ProtectSystem=, ...) needs systemd as PID 1: here their keys are
checked as text and with `systemd-analyze verify`, and the commands run as the current user."""

import base64
import configparser
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
import requests

from deploy.native.stack import ROOT, Stack, free_port, free_ports, load_env_file
from tests.integration.conftest import PASSWORD, Mailbox

VM = ROOT / "deploy" / "vm"
UNITS = ("api", "outbox-relay", "mailer", "gateway", "token-cleanup")
LONG_RUNNING = ("api", "outbox-relay", "mailer", "gateway")
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
}
ENV_EXAMPLE = load_env_file(ROOT / ".env.example")
USER = pwd.getpwuid(os.geteuid()).pw_name


class UnitFile(configparser.ConfigParser):
    def optionxform(self, optionstr: str) -> str:
        return optionstr  # systemd keys are case-sensitive


def read_unit(path):
    unit = UnitFile(interpolation=None, strict=True, empty_lines_in_values=False)
    unit.read_string(Path(path).read_text())
    return unit


def seconds(value):
    match = re.fullmatch(r"(\d+)(s|min)?", value)
    assert match, value
    return int(match.group(1)) * (60 if match.group(2) == "min" else 1)


# -- the unit files as written ------------------------------------------------------------------
def test_units_keep_their_rules():
    units = {name: read_unit(VM / "systemd" / f"auth-platform-{name}.service") for name in UNITS}
    for name, unit in units.items():
        service = unit["Service"]
        assert service["User"] == service["Group"] == "auth-platform", name
        assert service["EnvironmentFile"] == "/etc/auth-platform/env", name
        for key, value in HARDENING.items():
            assert service.get(key) == value, f"{name}: {key}"
        assert "CapabilityBoundingSet" in service and "SystemCallFilter" in service, name
        # The command is one of the scripts the images and the native launcher run.
        scripts = re.findall(r"/opt/auth-platform/current/(services/\S+?\.(?:sh|py))\b", service["ExecStart"])
        assert scripts, name
        for script in scripts:
            in_repo = ROOT / script
            assert in_repo.is_file() and (in_repo.suffix == ".py" or os.access(in_repo, os.X_OK)), script
    for name in LONG_RUNNING:
        service = units[name]["Service"]
        assert service["Restart"] == "always" and service["KillMode"] == "mixed", name
        assert units[name]["Install"]["WantedBy"] == "multi-user.target", name

    mailer = units["mailer"]["Service"]
    # SIGTERM to dramatiq's main process only, and time for it to finish the sends in flight.
    assert mailer["KillSignal"] == "SIGTERM"
    assert seconds(mailer["TimeoutStopSec"]) > int(ENV_EXAMPLE["MAILER_SHUTDOWN_TIMEOUT_S"])
    assert mailer["ExecStart"].endswith("/services/mailer/bin/start-mailer.sh")

    api = units["api"]["Service"]
    assert api["ExecStart"].endswith("/services/api/bin/start-api.sh")
    assert api["Type"] == "notify" and api["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert seconds(api["TimeoutStopSec"]) > int(ENV_EXAMPLE["GUNICORN_GRACEFUL_TIMEOUT"])

    gateway = units["gateway"]["Service"]
    # start-gateway.sh, its stdout a pipe: nginx opens /dev/stdout by name, which fails on a
    # journal socket (the VM test starts every unit with a socket as stdout, as journald does).
    assert shlex.split(gateway["ExecStart"]) == [
        "/bin/bash",
        "-c",
        "exec /opt/auth-platform/current/services/web/nginx/start-gateway.sh > >(exec cat)",
    ]
    # ProtectSystem=strict leaves it one writable place: NGINX_RUN_DIR, its RuntimeDirectory.
    assert gateway["RuntimeDirectory"] == "auth-platform-gateway"
    assert gateway["AmbientCapabilities"] == gateway["CapabilityBoundingSet"] == "CAP_NET_BIND_SERVICE"
    assert gateway["KillSignal"] == "SIGQUIT"  # nginx's graceful stop
    for name in ("api", "outbox-relay", "mailer", "token-cleanup"):
        assert units[name]["Service"]["CapabilityBoundingSet"] == "", name
        assert "ReadWritePaths" not in units[name]["Service"], name  # they write only to /tmp

    cleanup = units["token-cleanup"]["Service"]
    assert cleanup["Type"] == "oneshot"
    assert shlex.split(cleanup["ExecStart"])[1:] == [
        "/opt/auth-platform/current/services/api/manage.py",
        "clear_expired_tokens",
    ]
    timer = read_unit(VM / "systemd" / "auth-platform-token-cleanup.timer")["Timer"]
    assert timer["OnCalendar"] == "*:0/15" and timer["Persistent"] == "true"


# -- the install, and the units' commands started by hand ---------------------------------------
def snapshot_source(into):
    """What install.sh reads from a checkout, copied: other work in this tree cannot change the
    release between two installs of one test run."""
    ignore = shutil.ignore_patterns(
        ".venv",
        "node_modules",
        "__pycache__",
        "dist",
        ".pytest_cache",
        ".ruff_cache",
        "staticfiles",
        "db.sqlite3",
        ".hypothesis",
    )
    for part in ("deploy/vm", "services/api", "services/mailer", "services/web/nginx", "docs"):
        shutil.copytree(ROOT / part, into / part, ignore=ignore)
    for part in (".env.example", "services/web/.dockerignore"):
        shutil.copy2(ROOT / part, into / part)


def make_certificate(directory):
    directory.mkdir()
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(directory / "key.pem"),
            "-out",
            str(directory / "cert.pem"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return directory / "cert.pem", directory / "key.pem"


def copy_to_log(journal, path):
    with journal, path.open("ab") as log:
        while chunk := journal.recv(65536):
            log.write(chunk)
            log.flush()


class Vm:
    """The trial install: infrastructure (PostgreSQL, Redis, MailDev), install.sh runs, and the
    units' processes."""

    def __init__(self, tmp):
        self.tmp = tmp
        self.prefix = tmp / "prefix"
        self.src = tmp / "src"
        self.app = self.prefix / "opt" / "auth-platform"
        self.env_file = self.prefix / "etc" / "auth-platform" / "env"
        self.unit_dir = self.prefix / "etc" / "systemd" / "system"
        self.logs = tmp / "logs"
        self.logs.mkdir()
        self.processes = {}
        self.ports = free_ports()
        self.redis_password = uuid.uuid4().hex
        self.infra = Stack(
            tmp / "infra",
            postgres_port=free_port(),
            quiet=True,
            overrides={**self.ports, "REDIS_PASSWORD": self.redis_password},
        )
        self.cert, self.key = make_certificate(tmp / "tls")
        self.url = f"https://127.0.0.1:{self.ports['GATEWAY_PORT']}"
        self.web_dist = tmp / "web-dist"  # a copy of services/web/dist, made by the fixture
        self.first_output, self.first_duration = "", 0.0  # of the fixture's install

    def start_infrastructure(self):
        # The operator's PostgreSQL and Redis, and a mail catcher for SMTP, as the native launcher
        # starts them (PostgreSQL as the postgres user when root).
        for service in ("postgres", "redis", "maildev"):
            self.infra.start_service(service)

    def settings(self):
        ports = self.ports
        return {
            "DATABASE_URL": f"postgres://postgres@127.0.0.1:{self.infra.postgres_port}/auth",
            "REDIS_URL": f"redis://:{self.redis_password}@127.0.0.1:{ports['REDIS_PORT']}/0"
            "?socket_timeout=5&socket_connect_timeout=5",
            "REDIS_PASSWORD": self.redis_password,
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": ports["SMTP_PORT"],
            "GUNICORN_BIND": f"127.0.0.1:{ports['API_PORT']}",
            "GUNICORN_WORKERS": 2,
            "GATEWAY_PORT": ports["GATEWAY_PORT"],
            "FRONTEND_URL": self.url,
            "GATEWAY_TLS_CERT": self.cert,
            "GATEWAY_TLS_KEY": self.key,
            "MAILER_METRICS_PORT": ports["MAILER_METRICS_PORT"],
            "OUTBOX_RELAY_METRICS_PORT": ports["OUTBOX_RELAY_METRICS_PORT"],
        }

    def install(self, web_dist):
        argv = [
            str(self.src / "deploy" / "vm" / "install.sh"),
            "--prefix",
            str(self.prefix),
            "--no-systemd",
            "--user",
            USER,
            "--web-dist",
            str(web_dist),
        ]
        for key, value in self.settings().items():
            argv += ["--set", f"{key}={value}"]
        started = time.monotonic()
        result = subprocess.run(
            argv, capture_output=True, text=True, timeout=240, env={**os.environ, "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
        )
        output = result.stdout + result.stderr
        (self.logs / "install.log").open("a").write(output)
        assert result.returncode == 0, output[-4000:]
        return output, time.monotonic() - started

    # -- the units ------------------------------------------------------------------------
    def unit(self, name):
        return read_unit(self.unit_dir / f"auth-platform-{name}.service")["Service"]

    def unit_environment(self, name):
        """What systemd gives the unit's process: Environment=, then EnvironmentFile= over it."""
        service = self.unit(name)
        env = dict(item.split("=", 1) for item in shlex.split(service.get("Environment", "")))
        env.update(load_env_file(Path(service["EnvironmentFile"])))
        return env

    def run_unit_command(self, name, key="ExecStart", **kwargs):
        service = self.unit(name)
        assert service["User"] == USER  # install.sh wrote --user into the unit
        return subprocess.run(
            shlex.split(service[key]),
            env=self.unit_environment(name),
            cwd=service.get("WorkingDirectory", "/"),
            **kwargs,
        )

    def start_unit(self, name):
        service = self.unit(name)
        assert service["User"] == USER
        # stdout and stderr are a stream socket, as journald gives them (StandardOutput=journal).
        journal, stdout = socket.socketpair()
        process = subprocess.Popen(
            shlex.split(service["ExecStart"]),
            env=self.unit_environment(name),
            cwd=service.get("WorkingDirectory", "/"),
            stdout=stdout.fileno(),
            stderr=stdout.fileno(),
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        stdout.close()
        threading.Thread(target=copy_to_log, args=(journal, self.logs / f"{name}.log"), daemon=True).start()
        self.processes[name] = process
        return process

    def stop_unit(self, name, timeout=None):
        """systemctl stop with KillMode=mixed: KillSignal= to the main process, and after
        TimeoutStopSec= SIGKILL to all that is left."""
        process = self.processes.pop(name)
        service = self.unit(name)
        if process.poll() is None:
            os.kill(process.pid, getattr(signal, service.get("KillSignal", "SIGTERM")))
            try:
                process.wait(timeout or seconds(service["TimeoutStopSec"]))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        try:
            os.killpg(process.pid, signal.SIGKILL)  # leftovers, as the cgroup's end
        except ProcessLookupError:
            pass
        return process.returncode

    def wait_healthy(self, name, url, timeout=60.0):
        process = self.processes[name]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(
                    f"{name} exited with {process.returncode}:\n" + (self.logs / f"{name}.log").read_text()[-3000:]
                )
            try:
                if (
                    requests.get(url, timeout=2, verify=str(self.cert), headers={"Host": "127.0.0.1"}).status_code
                    == 200
                ):
                    return
            except requests.RequestException:
                pass
            time.sleep(0.2)
        raise AssertionError(f"{name} not healthy at {url} after {timeout:.0f}s")

    def start_services(self):
        ports = self.ports
        checks = {
            "api": f"http://127.0.0.1:{ports['API_PORT']}/api/health/ready/",
            "outbox-relay": f"http://127.0.0.1:{ports['OUTBOX_RELAY_METRICS_PORT']}/healthz",
            "mailer": f"http://127.0.0.1:{ports['MAILER_METRICS_PORT']}/healthz",
            "gateway": f"{self.url}/healthz",
        }
        for name in LONG_RUNNING:
            self.start_unit(name)
        for name in LONG_RUNNING:
            self.wait_healthy(name, checks[name])

    def stop(self):
        for name in reversed(list(self.processes)):
            self.stop_unit(name, timeout=30)
        self.infra.stop()


@pytest.fixture(scope="module")
def vm():
    tmp = Path(tempfile.mkdtemp(prefix="auth-vm-"))
    tmp.chmod(0o755)  # the postgres user must reach its data directory
    vm = None
    try:
        vm = Vm(tmp)
        snapshot_source(vm.src)
        shutil.copytree(ROOT / "services" / "web" / "dist", vm.web_dist)
        vm.start_infrastructure()
        vm.first_output, vm.first_duration = vm.install(vm.web_dist)
        vm.start_services()
        yield vm
    finally:
        if vm is not None:
            vm.stop()
        if os.environ.get("KEEP_STACK_LOGS"):
            print(f"VM test files kept in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


def gateway_session(vm):
    session = requests.Session()
    session.trust_env = False  # else REQUESTS_CA_BUNDLE would override verify (and proxies apply)
    session.verify = str(vm.cert)
    return session


def test_install_lays_out_a_release_the_env_file_and_the_units(vm):
    print(f"first install: {vm.first_duration:.1f}s")
    current = vm.app / "current"
    assert current.is_symlink() and os.readlink(current).startswith("releases/")
    release = current.resolve()
    for venv in ("api", "mailer"):  # shared virtualenvs, under the prefix
        target = (release / "venvs" / venv).resolve()
        assert target.parent == vm.app / "venvs" and (target / "bin" / "python").exists(), target
    assert (release / "web" / "index.html").read_bytes() == (vm.web_dist / "index.html").read_bytes()
    assert (release / "services" / "api" / "staticfiles" / "staticfiles.json").exists()  # collectstatic
    assert not (release / "services" / "api" / "tests").exists()  # what the image ships (.dockerignore)
    assert "Applying " in vm.first_output  # migrations ran on the empty database

    # The env file: from .env.example, production, its own secret, 0600, every name known.
    assert vm.env_file.stat().st_mode & 0o777 == 0o600
    env = load_env_file(vm.env_file)
    # (Names .env.example has only as a comment: production sets them, development leaves them out.)
    assert set(env) <= set(ENV_EXAMPLE) | {
        "SECURE_SSL_REDIRECT",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        "MFA_ENCRYPTION_KEYS",
    }
    assert env["APP_ENV"] == "production"
    assert len(env["DJANGO_SECRET_KEY"]) >= 50 and env["DJANGO_SECRET_KEY"] != ENV_EXAMPLE["DJANGO_SECRET_KEY"]
    # Its own key for the second factors' secrets: one Fernet key, 32 random bytes.
    assert len(base64.urlsafe_b64decode(env["MFA_ENCRYPTION_KEYS"])) == 32
    assert env["API_UPSTREAM"] == env["GUNICORN_BIND"] == f"127.0.0.1:{vm.ports['API_PORT']}"
    assert env["WEB_ROOT"] == str(vm.app / "current" / "web")
    assert env["GUNICORN_FORWARDED_ALLOW_IPS"] == "127.0.0.1"

    # The gateway's only writable directory is its RuntimeDirectory (/run/NAME under the prefix).
    gateway = vm.unit("gateway")
    assert env["NGINX_RUN_DIR"] == str(vm.prefix / "run" / gateway["RuntimeDirectory"])
    rendered = (Path(env["NGINX_RUN_DIR"]) / "nginx.conf").read_text()
    assert f"root {env['WEB_ROOT']};" in rendered and f"server {env['API_UPSTREAM']};" in rendered

    # The units, as installed: this prefix's paths and this user, nothing else changed.
    for name in UNITS:
        installed = (vm.unit_dir / f"auth-platform-{name}.service").read_text()
        source = (VM / "systemd" / f"auth-platform-{name}.service").read_text()
        assert installed == (
            source.replace("/opt/auth-platform", str(vm.app))
            .replace("/etc/auth-platform", str(vm.env_file.parent))
            .replace("User=auth-platform", f"User={USER}")
            .replace("Group=auth-platform", f"Group={vm.unit(name)['Group']}")
        ), name


def test_systemd_analyze_verify_accepts_the_installed_units(vm):
    tool = shutil.which("systemd-analyze")
    if tool is None:
        pytest.skip("systemd-analyze is not installed")
    files = sorted(str(path) for path in vm.unit_dir.glob("auth-platform-*"))
    result = subprocess.run([tool, "verify", "--man=no", *files], capture_output=True, text=True, timeout=60)
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0 and re.search(r"PID 1|not been booted|Failed to connect to bus", output):
        pytest.skip(f"systemd-analyze verify needs a running systemd here: {output[:300]}")
    assert result.returncode == 0 and output == "", output


def test_journey_through_the_vm_gateway(vm):
    gateway, mailbox = gateway_session(vm), Mailbox(vm.infra.mail_ui_url)
    home = gateway.get(vm.url + "/", timeout=10)
    assert home.status_code == 200 and '<div id="root">' in home.text
    assert home.headers["Strict-Transport-Security"].startswith("max-age=")

    address = f"vm-{uuid.uuid4().hex[:10]}@example.com"
    assert (
        gateway.post(
            vm.url + "/api/auth/register/", json={"email": address, "password": PASSWORD}, timeout=15
        ).status_code
        == 201
    )
    (message,) = mailbox.wait_for(address)
    match = re.search(r"(https://127\.0\.0\.1:\d+/confirm-email/\S+)", message["text"])
    assert match, message["text"]
    link = match.group(1)
    assert link.startswith(vm.url + "/confirm-email/")  # FRONTEND_URL from the env file
    confirmed = gateway.post(vm.url + "/api/auth/email/confirm/", json={"key": link.rsplit("/", 1)[1]}, timeout=15)
    assert confirmed.status_code == 200, confirmed.text

    login = gateway.post(vm.url + "/api/auth/login/", json={"email": address, "password": PASSWORD}, timeout=15)
    assert login.status_code == 200, login.text
    auth = {"Authorization": f"Token {login.json()['token']}"}
    me = gateway.get(vm.url + "/api/auth/me/", headers=auth, timeout=15)
    assert me.status_code == 200 and me.json()["email"] == address
    assert gateway.post(vm.url + "/api/auth/logout/", headers=auth, timeout=15).status_code == 204
    assert gateway.get(vm.url + "/api/auth/me/", headers=auth, timeout=15).status_code == 401

    # The timer's one-shot: the same command, once.
    cleanup = vm.run_unit_command("token-cleanup", capture_output=True, text=True, timeout=120)
    assert cleanup.returncode == 0, cleanup.stdout + cleanup.stderr
    assert re.search(r"deleted \d+ expired tokens", cleanup.stdout + cleanup.stderr)


def test_a_second_install_changes_nothing(vm):
    env_before = vm.env_file.read_bytes(), vm.env_file.stat().st_mtime_ns
    current_before = os.readlink(vm.app / "current")
    units_before = {path.name: path.stat().st_mtime_ns for path in vm.unit_dir.iterdir()}
    output, duration = vm.install(vm.web_dist)
    print(f"second install: {duration:.1f}s")
    assert "is already built" in output and "No migrations to apply." in output
    assert "keeping " in output and "creating the" not in output and "installed:" not in output
    assert (vm.env_file.read_bytes(), vm.env_file.stat().st_mtime_ns) == env_before
    assert os.readlink(vm.app / "current") == current_before
    assert {path.name: path.stat().st_mtime_ns for path in vm.unit_dir.iterdir()} == units_before


def children(pid):
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def test_an_upgrade_reloads_the_api_with_no_failed_request(vm):
    # A new release: the same code with one more file in the web build.
    new_dist = vm.tmp / "web-dist-2"
    shutil.copytree(vm.web_dist, new_dist)
    (new_dist / "release-marker.txt").write_text("second release\n")
    old_release = (vm.app / "current").resolve()
    output, duration = vm.install(new_dist)
    print(f"upgrade install: {duration:.1f}s")
    new_release = (vm.app / "current").resolve()
    assert new_release != old_release and "No migrations to apply." in output
    assert "creating the" not in output  # the virtualenvs are shared: same requirements
    gateway = gateway_session(vm)
    # The gateway serves the new build at once: WEB_ROOT goes through `current`.
    assert gateway.get(vm.url + "/release-marker.txt", timeout=10).text == "second release\n"

    address = f"vm-{uuid.uuid4().hex[:10]}@example.com"
    assert (
        gateway.post(
            vm.url + "/api/auth/register/", json={"email": address, "password": PASSWORD}, timeout=15
        ).status_code
        == 201
    )
    text = Mailbox(vm.infra.mail_ui_url).wait_for(address)[0]["text"]
    match = re.search(r"/confirm-email/(\S+)", text)
    assert match, text
    key = match.group(1)
    assert gateway.post(vm.url + "/api/auth/email/confirm/", json={"key": key}, timeout=15).status_code == 200
    token = gateway.post(vm.url + "/api/auth/login/", json={"email": address, "password": PASSWORD}, timeout=15).json()[
        "token"
    ]

    results, stop = [], threading.Event()

    def keep_asking():
        with gateway_session(vm) as session:
            while not stop.is_set():
                try:
                    status = session.get(
                        vm.url + "/api/dashboard/", headers={"Authorization": f"Token {token}"}, timeout=10
                    ).status_code
                except requests.RequestException as exc:
                    status = repr(exc)
                results.append(status)

    master = vm.processes["api"].pid
    old_workers = children(master)
    assert len(old_workers) == 2
    threads = [threading.Thread(target=keep_asking) for _ in range(3)]
    for thread in threads:
        thread.start()
    try:
        time.sleep(1)
        # systemctl reload: the unit's own ExecReload= line, with its main PID.
        reload = vm.unit("api")["ExecReload"].replace("$MAINPID", str(master))
        subprocess.run(shlex.split(reload), check=True, timeout=10)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            workers = children(master)
            if len(workers) == 2 and not set(workers) & set(old_workers):
                break
            time.sleep(0.2)
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(30)
    assert vm.processes["api"].poll() is None, "the master must survive a reload"
    new_workers = children(master)
    assert len(new_workers) == 2 and not set(new_workers) & set(old_workers), (old_workers, new_workers)
    # The new workers run the new release: gunicorn re-enters `current` on reload.
    for worker in new_workers:
        assert Path(os.readlink(f"/proc/{worker}/cwd")) == new_release / "services" / "api"
    failures = [status for status in results if status != 200]
    print(f"requests during the reload: {len(results)}, failed: {len(failures)}")
    assert len(results) > 30 and failures == []

    # systemctl restart of the mailer (KillMode=mixed): a clean exit, then it delivers again.
    assert vm.stop_unit("mailer") == 0
    vm.start_unit("mailer")
    vm.wait_healthy("mailer", f"http://127.0.0.1:{vm.ports['MAILER_METRICS_PORT']}/healthz")
    assert gateway.post(vm.url + "/api/auth/password/reset/", json={"email": address}, timeout=15).status_code == 202
    Mailbox(vm.infra.mail_ui_url).wait_for(address, count=2)
