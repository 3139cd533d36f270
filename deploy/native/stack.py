#!/usr/bin/env python3
"""Native launcher: runs the compose stack's programs on this machine, with the same files.

nginx renders services/web/nginx/nginx.conf.template through start-gateway.sh, the API runs
services/api/bin/start-api.sh (gunicorn.conf.py), the worker runs
services/mailer/bin/start-mailer.sh, and every setting comes from .env.example, then .env,
then the process environment. Only what differs between a container network and one machine
is set here: loopback addresses, ports, local directories, and MailDev in place of MailHog.

Standard library only, so it runs before any virtualenv exists. From the repository root:

    python3 -m deploy.native.stack run             # make run
    python3 -m deploy.native.stack manage ARGS...  # make manage ARGS="..."

Public API, for tests/integration and bench (`from deploy.native.stack import Stack, ...`);
every other name in this module is private to it:

    Stack(run_dir, overrides=None, postgres_port=None, quiet=False)
        The whole system as local processes; see the class for its methods and attributes.
    PORT_NAMES      the settings that name the stack's listening ports (GATEWAY_PORT, ...)
    free_port()     a free loopback port, never the same twice in one process
    free_ports()    a free port for each of PORT_NAMES: {"GATEWAY_PORT": 2xxxx, ...}
    load_env_file(path)   KEY=value lines of an env file (.env.example's syntax) as a dict
    ROOT, API_DIR, API_VENV, MAILER_DIR, MAILER_VENV, WEB_DIR, MAILDEV, PG_BIN
                    the repository, the services and their virtualenvs, the programs it runs
"""

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from types import FrameType

__all__ = [
    "API_DIR",
    "API_VENV",
    "MAILDEV",
    "MAILER_DIR",
    "MAILER_VENV",
    "PG_BIN",
    "PORT_NAMES",
    "ROOT",
    "WEB_DIR",
    "Stack",
    "free_port",
    "free_ports",
    "load_env_file",
]

ROOT = Path(__file__).resolve().parents[2]
API_DIR = ROOT / "services" / "api"
API_VENV = API_DIR / ".venv"
MAILER_DIR = ROOT / "services" / "mailer"
MAILER_VENV = MAILER_DIR / ".venv"
WEB_DIR = ROOT / "services" / "web"
MAILDEV = ROOT / "deploy" / "native" / "node_modules" / ".bin" / "maildev"
PG_BIN = Path(os.environ.get("PG_BIN") or "/usr/lib/postgresql/15/bin")

# The settings that name a port the stack listens on (PostgreSQL's is Stack's postgres_port).
PORT_NAMES = (
    "GATEWAY_PORT",
    "API_PORT",
    "REDIS_PORT",
    "SMTP_PORT",
    "MAIL_UI_PORT",
    "MAILER_METRICS_PORT",
    "OUTBOX_RELAY_METRICS_PORT",
)


def load_env_file(path: Path) -> dict[str, str]:
    """The KEY=value lines of an env file (comments, blank lines and lines without = skipped;
    one pair of matching quotes around a value removed). An absent file is empty."""
    values: dict[str, str] = {}
    if not path.exists():
        return values
    for line in path.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, _, value = line.partition("=")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
            value = value[1:-1]
        values[key.strip()] = value
    return values


_taken_ports: set[int] = set()


def free_port() -> int:
    """A free loopback port below Linux's ephemeral range (so no outgoing connection takes it
    meanwhile), never the same twice in one process. For tests and benchmarks that start stacks."""
    while True:
        port = random.randint(20000, 32000)  # noqa: S311  # nosec B311 - a port, not a secret
        if port in _taken_ports:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
        _taken_ports.add(port)
        return port


def free_ports(names: Iterable[str] = PORT_NAMES) -> dict[str, int]:
    """A free_port() for each name: by default every port of a stack, as Stack overrides."""
    return {name: free_port() for name in names}


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _wait_for(
    check: Callable[[], bool],
    what: str,
    timeout: float = 60.0,
    process: "subprocess.Popen[bytes] | None" = None,
    log: Path | None = None,
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            tail = log.read_text()[-3000:] if log and log.exists() else ""
            raise RuntimeError(f"{what} exited with {process.returncode}\n{tail}")
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} not ready after {timeout:.0f}s")


def _tcp_open(port: int) -> Callable[[], bool]:
    def check() -> bool:
        with socket.create_connection(("127.0.0.1", port), timeout=1):
            return True

    return check


def _http_ok(url: str, host: str | None = None) -> Callable[[], bool]:
    def check() -> bool:
        request = urllib.request.Request(url, headers={"Host": host} if host else {})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                return bool(response.status == 200)
        except urllib.error.URLError:
            return False

    return check


class Stack:
    """The whole system as local processes, configured like compose but on loopback ports.

    `overrides` (settings over .env.example, .env and the process environment; ints are written
    as strings) usually include a port for each of PORT_NAMES, e.g. free_ports(). With a
    `postgres_port`, start() also starts an ephemeral PostgreSQL there and the API uses it;
    without one, the API's embedded SQLite database in `run_dir`.

    Methods: start() (returns the stack), stop(), service_env(venv), manage(*args),
    start_service(name) and stop_service(name) for one service at a time, process(name).
    Attributes: gateway_url, app_url, mail_ui_url, ports (name -> port), env (every setting), run_dir,
    logs (one <service>.log each), postgres_port, processes ((name, Popen) in start order).
    """

    def __init__(
        self,
        run_dir: str | Path,
        overrides: Mapping[str, str | int] | None = None,
        postgres_port: int | None = None,
        quiet: bool = False,
    ) -> None:
        self.run_dir = Path(run_dir).resolve()
        self.logs = self.run_dir / "logs"
        self.processes: list[tuple[str, subprocess.Popen[bytes]]] = []  # in start order
        self.quiet = quiet
        self.postgres_port = postgres_port
        self.ports: dict[str, int] = {}
        self.env = self._build_env({key: str(value) for key, value in (overrides or {}).items()})

    # -- configuration ---------------------------------------------------------------------
    def _build_env(self, overrides: dict[str, str]) -> dict[str, str]:
        env = load_env_file(ROOT / ".env.example")
        # What the user chose (.env, the environment, the caller) rather than .env.example's
        # container defaults: those keep FRONTEND_URL and DATABASE_URL as set.
        chosen = {**load_env_file(ROOT / ".env"), **os.environ, **overrides}
        env.update(chosen)
        self.ports = {name: int(env[name]) for name in PORT_NAMES}
        redis_password = env["REDIS_PASSWORD"]
        env.update(
            {
                "REDIS_URL": f"redis://:{redis_password}@127.0.0.1:{self.ports['REDIS_PORT']}/0"
                "?socket_timeout=5&socket_connect_timeout=5",
                "SMTP_HOST": "127.0.0.1",
                "API_UPSTREAM": f"127.0.0.1:{self.ports['API_PORT']}",
                "GUNICORN_BIND": f"127.0.0.1:{self.ports['API_PORT']}",
                "GUNICORN_FORWARDED_ALLOW_IPS": "127.0.0.1",
                "WEB_ROOT": str(WEB_DIR / "dist"),
                "NGINX_RUN_DIR": str(self.run_dir / "gateway"),
                "API_DATA_DIR": str(self.run_dir),
                "PYTHONUNBUFFERED": "1",
                # In containers these listen on every interface of their own network namespace;
                # natively, on loopback only.
                "MAILER_METRICS_HOST": "127.0.0.1",
                "OUTBOX_RELAY_METRICS_HOST": "127.0.0.1",
            }
        )
        if "FRONTEND_URL" not in chosen:
            # localhost, not 127.0.0.1: an IP address cannot be a WebAuthn relying party, so
            # passkeys need a name (and localhost is a secure context over plain HTTP).
            env["FRONTEND_URL"] = f"http://localhost:{self.ports['GATEWAY_PORT']}"
        if self.postgres_port:
            env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{self.postgres_port}/auth"
        elif "DATABASE_URL" not in chosen:
            env.pop("DATABASE_URL", None)  # the embedded SQLite database in run_dir
        return env

    @property
    def gateway_url(self) -> str:
        """The app, through nginx: http://127.0.0.1:<GATEWAY_PORT>."""
        return f"http://127.0.0.1:{self.ports['GATEWAY_PORT']}"

    @property
    def app_url(self) -> str:
        """The app's public URL (FRONTEND_URL: emails link there): http://localhost:<GATEWAY_PORT>
        by default. Browsers open it; scripts may use gateway_url, the same server."""
        return self.env["FRONTEND_URL"].rstrip("/")

    @property
    def mail_ui_url(self) -> str:
        """MailDev's web UI and REST API: http://127.0.0.1:<MAIL_UI_PORT>."""
        return f"http://127.0.0.1:{self.ports['MAIL_UI_PORT']}"

    def service_env(self, venv: Path | None = None) -> dict[str, str]:
        """A copy of the environment the stack's services run with; with a virtualenv (e.g.
        API_VENV), that one is active in it (first on PATH, VIRTUAL_ENV)."""
        env = dict(self.env)
        if venv is not None:
            env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
            env["VIRTUAL_ENV"] = str(venv)
        return env

    def manage(
        self,
        *args: str,
        env: Mapping[str, str] | None = None,
        timeout: float | None = None,
        capture: bool = True,
    ) -> "subprocess.CompletedProcess[str]":
        """Runs services/api/manage.py with these arguments against the stack (its settings and
        database, the API's virtualenv), plus `env` over them. Returns the finished process, its
        output captured as text unless capture=False; the caller checks its returncode."""
        return subprocess.run(
            [str(API_VENV / "bin" / "python"), "manage.py", *args],
            cwd=API_DIR,
            env={**self.service_env(API_VENV), **(env or {})},
            capture_output=capture,
            text=True,
            timeout=timeout,
            check=False,
        )

    # -- processes -----------------------------------------------------------------------
    def _spawn(
        self,
        name: str,
        argv: list[str],
        env: dict[str, str] | None = None,
        user: str | None = None,
    ) -> tuple["subprocess.Popen[bytes]", Path]:
        log = self.logs / f"{name}.log"
        handle = log.open("ab")
        if user and os.geteuid() == 0:
            argv = ["runuser", "-u", user, "--", *argv]
        process = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=env or self.service_env(),
            stdout=handle,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C reaches the launcher only; it stops children in order
        )
        handle.close()
        self.processes.append((name, process))
        return process, log

    def _say(self, message: str) -> None:
        if not self.quiet:
            print(message, flush=True)

    def start(self) -> "Stack":
        """Starts every service in dependency order (PostgreSQL if any, Redis, MailDev, the
        migrations, the API, the outbox relay, the token cleanup, the mailer, the gateway), each
        ready before the next; on any failure stops what started and raises. Returns self."""
        self._check_prerequisites()
        self.logs.mkdir(parents=True, exist_ok=True)
        try:
            if self.postgres_port:
                self._start_postgres()
            self._start_redis()
            self._start_maildev()
            self._migrate()
            self._start_api()
            self._start_relay()
            self._start_token_cleanup()
            self._start_mailer()
            self._start_gateway()
        except BaseException:
            self.stop()
            raise
        return self

    def _check_prerequisites(self) -> None:
        missing = [
            str(path) for path in (API_VENV, MAILER_VENV, WEB_DIR / "dist" / "index.html", MAILDEV) if not path.exists()
        ]
        missing += [tool for tool in ("nginx", "redis-server", "envsubst") if shutil.which(tool) is None]
        if missing:
            raise SystemExit("missing: " + ", ".join(missing) + "\nrun `make install` first")
        ports = dict(self.ports)
        if self.postgres_port:
            ports["POSTGRES_PORT"] = self.postgres_port
        busy = [f"{name}={port}" for name, port in ports.items() if not _port_is_free(port)]
        if busy:
            raise SystemExit(
                "ports already in use: " + ", ".join(busy) + "\nset other ports, e.g. `GATEWAY_PORT=9080 make run`"
            )

    def _start_postgres(self) -> None:
        if not self.postgres_port:
            raise ValueError("this stack has no postgres_port")
        data = self.run_dir / "postgres"
        if data.exists():
            shutil.rmtree(data)
        data.mkdir(parents=True)
        user = "postgres" if os.geteuid() == 0 else None
        if user:  # initdb refuses root: the cluster belongs to the postgres user
            shutil.chown(data, user, user)
            os.chmod(self.run_dir, 0o755)
        init = (["runuser", "-u", user, "--"] if user else []) + [
            str(PG_BIN / "initdb"),
            *("-D", str(data / "db"), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8"),
        ]
        subprocess.run(init, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        self._run_postgres()
        psql = ["psql", "-h", "127.0.0.1", "-p", str(self.postgres_port), "-U", "postgres", "-v", "ON_ERROR_STOP=1"]
        for _ in range(50):
            if subprocess.run([*psql, "-c", "SELECT 1"], capture_output=True, check=False).returncode == 0:
                break
            time.sleep(0.2)
        subprocess.run([*psql, "-c", "CREATE DATABASE auth"], check=True, capture_output=True)
        self._say(f"postgres   127.0.0.1:{self.postgres_port}")

    def _run_postgres(self) -> None:
        """The server on the cluster in run_dir/postgres (made by _start_postgres)."""
        if not self.postgres_port:
            raise ValueError("this stack has no postgres_port")
        data = self.run_dir / "postgres"
        user = "postgres" if os.geteuid() == 0 else None
        process, log = self._spawn(
            "postgres",
            [
                str(PG_BIN / "postgres"),
                *("-D", str(data / "db"), "-p", str(self.postgres_port), "-k", str(data)),
                *("-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"),
                *("-c", "full_page_writes=off"),
            ],
            user=user,
        )
        _wait_for(_tcp_open(self.postgres_port), "postgres", process=process, log=log)

    def restart_postgres(self) -> None:
        """Stops the database server (pg_ctl's fast shutdown, which ends every connection) and
        starts it again on the same cluster: the data stays, the API's persistent connections
        are dead."""
        user = "postgres" if os.geteuid() == 0 else None
        stop = (["runuser", "-u", user, "--"] if user else []) + [
            str(PG_BIN / "pg_ctl"),
            *("-D", str(self.run_dir / "postgres" / "db"), "stop", "-m", "fast", "-w"),
        ]
        subprocess.run(stop, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        process = self.process("postgres")
        process.wait(timeout=30)
        self.processes = [(n, p) for n, p in self.processes if p is not process]
        self._run_postgres()

    def _start_redis(self) -> None:
        redis_dir = self.run_dir / "redis"
        redis_dir.mkdir(parents=True, exist_ok=True)
        conf = redis_dir / "redis.conf"
        conf.write_text(
            f"port {self.ports['REDIS_PORT']}\nbind 127.0.0.1\nprotected-mode yes\n"
            f'requirepass {self.env["REDIS_PASSWORD"]}\ndir {redis_dir}\nsave ""\n'
            # As in compose: the append-only file keeps queued emails across a Redis restart.
            "appendonly yes\nappendfsync everysec\n"
        )
        conf.chmod(0o600)
        process, log = self._spawn("redis", ["redis-server", str(conf)])
        _wait_for(_tcp_open(self.ports["REDIS_PORT"]), "redis", process=process, log=log)
        self._say(f"redis      127.0.0.1:{self.ports['REDIS_PORT']}")

    def _start_maildev(self) -> None:
        process, log = self._spawn(
            "maildev",
            [
                str(MAILDEV),
                *("--smtp", str(self.ports["SMTP_PORT"]), "--web", str(self.ports["MAIL_UI_PORT"])),
                *("--ip", "127.0.0.1", "--web-ip", "127.0.0.1"),
            ],
        )
        _wait_for(_tcp_open(self.ports["SMTP_PORT"]), "maildev smtp", process=process, log=log)
        _wait_for(_http_ok(f"{self.mail_ui_url}/email"), "maildev web", process=process, log=log)
        self._say(f"mail UI    {self.mail_ui_url}  (SMTP 127.0.0.1:{self.ports['SMTP_PORT']})")

    def _migrate(self) -> None:
        with (self.logs / "migrate.log").open("ab") as handle:
            result = subprocess.run(
                [str(API_DIR / "bin" / "migrate.sh")],
                env=self.service_env(API_VENV),
                stdout=handle,
                stderr=subprocess.STDOUT,
                check=False,
            )
        if result.returncode != 0:
            raise RuntimeError("migrations failed:\n" + (self.logs / "migrate.log").read_text()[-3000:])

    def _start_api(self) -> None:
        process, log = self._spawn("api", [str(API_DIR / "bin" / "start-api.sh")], env=self.service_env(API_VENV))
        _wait_for(
            _http_ok(f"http://127.0.0.1:{self.ports['API_PORT']}/api/health/live/", host="127.0.0.1"),
            "api",
            process=process,
            log=log,
        )
        self._say(f"api        127.0.0.1:{self.ports['API_PORT']} (gunicorn)")

    def _start_relay(self) -> None:
        self._start_worker("relay", API_DIR, "start-outbox-relay.sh", "OUTBOX_RELAY_METRICS_PORT", "outbox relay")

    def _start_token_cleanup(self) -> None:
        self._spawn("token-cleanup", [str(API_DIR / "bin" / "start-token-cleanup.sh")], env=self.service_env(API_VENV))
        self._say("cleanup    expired tokens, every TOKEN_CLEANUP_INTERVAL_S")

    def _start_mailer(self) -> None:
        self._start_worker("mailer", MAILER_DIR, "start-mailer.sh", "MAILER_METRICS_PORT", "dramatiq worker")

    def _start_worker(self, name: str, service_dir: Path, script: str, port_name: str, what: str) -> None:
        """A background service whose readiness is its own /healthz."""
        process, log = self._spawn(
            name, [str(service_dir / "bin" / script)], env=self.service_env(service_dir / ".venv")
        )
        port = self.ports[port_name]
        _wait_for(_http_ok(f"http://127.0.0.1:{port}/healthz"), name, process=process, log=log)
        self._say(f"{name:<10} {what}, metrics http://127.0.0.1:{port}/metrics")

    def _start_gateway(self) -> None:
        process, log = self._spawn("gateway", [str(WEB_DIR / "nginx" / "start-gateway.sh")])
        _wait_for(_http_ok(f"{self.gateway_url}/healthz", host="127.0.0.1"), "gateway", process=process, log=log)
        _wait_for(
            _http_ok(f"{self.gateway_url}/api/health/ready/", host="127.0.0.1"),
            "api through gateway",
            process=process,
            log=log,
        )

    def process(self, name: str) -> "subprocess.Popen[bytes]":
        """The running process of a service (its main process: gunicorn's master, ...)."""
        return next(process for n, process in self.processes if n == name)

    # -- one service at a time (the fault-injection tests, the VM install test) ------------
    def start_service(self, name: str) -> None:
        """Starts one service and waits until it is ready: postgres (only with a postgres_port;
        a new, empty cluster), redis, maildev, api, relay or mailer. start() is not needed first:
        the VM install test starts only the infrastructure (postgres, redis, maildev) this way."""
        starters: dict[str, Callable[[], None]] = {
            "postgres": self._start_postgres,
            "redis": self._start_redis,
            "maildev": self._start_maildev,
            "api": self._start_api,
            "relay": self._start_relay,
            "mailer": self._start_mailer,
        }
        if name not in starters:
            raise ValueError(f"no such service: {name} (one of {', '.join(starters)})")
        self.logs.mkdir(parents=True, exist_ok=True)
        starters[name]()

    def stop_service(self, name: str, sig: int = signal.SIGTERM, timeout: float = 45.0) -> int | None:
        """Stops one service (SIGKILL: kill it and every child at once, like a crash); returns
        its exit status."""
        process = self.process(name)
        self._terminate(process, sig, timeout)
        self.processes = [(n, p) for n, p in self.processes if p is not process]
        return process.returncode

    def stop(self, timeout: float = 45.0) -> None:
        """Stops every service, in reverse start order (SIGTERM, then SIGKILL after `timeout`)."""
        for _, process in reversed(self.processes):
            self._terminate(process, signal.SIGTERM, timeout)
        self.processes = []

    @staticmethod
    def _terminate(process: "subprocess.Popen[bytes]", sig: int, timeout: float) -> None:
        """SIGTERM goes to the service's main process, which stops its own children (dramatiq
        treats a second SIGTERM to a worker as "die now", cutting off a send in flight);
        SIGKILL, and the fallback after `timeout`, go to the whole process group."""
        if process.poll() is not None:
            return
        try:
            if sig == signal.SIGKILL:
                os.killpg(process.pid, sig)
            else:
                os.kill(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """The command line: `run` (make run) and `manage ARGS` (make manage)."""
    parser = argparse.ArgumentParser(prog="python3 -m deploy.native.stack", description=(__doc__ or "").split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="start everything and wait for Ctrl-C")
    run.add_argument("--run-dir", default=str(ROOT / ".run"))
    run.add_argument("--postgres-port", type=int, help="also start an ephemeral PostgreSQL on this port")
    manage = sub.add_parser("manage", help="run services/api/manage.py with the launcher's environment")
    manage.add_argument("--run-dir", default=str(ROOT / ".run"))
    manage.add_argument("args", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)

    if args.command == "manage":
        return Stack(args.run_dir, quiet=True).manage(*args.args, capture=False).returncode

    stack = Stack(args.run_dir, postgres_port=args.postgres_port)
    stopping = False

    def on_signal(signum: int, frame: FrameType | None) -> None:
        nonlocal stopping
        if not stopping:
            stopping = True
            raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, on_signal)
    # Explicitly: a launcher started in the background by a script inherits SIGINT ignored.
    signal.signal(signal.SIGINT, on_signal)
    try:
        stack.start()
        print(
            f"\n  app      {stack.app_url}\n  mail UI  {stack.mail_ui_url}\n  logs     {stack.logs}/\n"
            "\nCtrl-C stops everything.",
            flush=True,
        )
        while all(process.poll() is None for _, process in stack.processes):
            time.sleep(0.5)
        dead = [name for name, process in stack.processes if process.poll() is not None]
        print(f"stopped unexpectedly: {', '.join(dead)} (see {stack.logs}/)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nstopping...", flush=True)
        return 0
    finally:
        stack.stop()


if __name__ == "__main__":
    sys.exit(main())
