"""make compose-test: the unchanged compose.yaml + compose.override.yaml, built and run for real
in a private Docker engine, driven through the user journey, then checked for what only running
containers show. See tests/compose/README.md.

    .venv/bin/python -m tests.compose.run

COMPOSE_TEST=skip          where no engine can be started (not root, not Debian): say so, pass
COMPOSE_TEST_IMAGES=auto   pull the real images where a registry answers, else build stand-ins
                   =pull | standin
COMPOSE_TEST_CACHE=DIR     the engine's data root, kept between runs (default
                           /var/tmp/auth-platform-compose-test); "off": a throw-away one
COMPOSE_TEST_KEEP_LOGS=DIR copy the engine's logs there at the end
"""

from __future__ import annotations

import contextlib
import datetime
import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
import yaml

from tests.compose import images
from tests.compose.engine import GATEWAY_ADDRESS, NETNS, EngineError, PrivateEngine
from tests.compose.journey import JourneyFailed, check_account, run_journey

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CACHE = Path("/var/tmp/auth-platform-compose-test")  # noqa: S108 (root only; kept on purpose)
# One run at a time on a machine: the network namespace and the veth pair have fixed names.
LOCK = Path("/var/tmp/auth-platform-compose-test.lock")  # noqa: S108 (root only)
LOCK_TIMEOUT_S = 1800
GATEWAY_URL, MAIL_URL = "http://127.0.0.1:8080", "http://127.0.0.1:8025"
UP_TIMEOUT_S = 600
HEALTHY_TIMEOUT_S = 240
# Debian packages the test needs: the engine, debootstrap for the stand-ins' base, compose 1.29.
PACKAGES = {
    "dockerd": "docker.io",
    "containerd": "containerd",
    "runc": "runc",
    "iptables": "iptables",
    "docker": "docker.io",
    "docker-compose": "docker-compose",
    "debootstrap": "debootstrap",
    "nsenter": "util-linux",
    "ip": "iproute2",
}
# Exit codes other than 0 that `docker compose stop` may leave, by service, and why.
ALLOWED_STOP_CODES: dict[str, dict[int, str]] = {
    # The real image is a Go program that installs no SIGTERM handler: as PID 1 the runtime's
    # default action cannot kill it and it exits 2. The stand-in exits 0.
    "mailhog": {2: "MailHog (Go) as PID 1 on SIGTERM"},
}


class StackFailed(RuntimeError):
    pass


class Interrupted(BaseException):
    pass


class Checks:
    def __init__(self) -> None:
        self.passed = 0

    def ok(self, what: str) -> None:
        self.passed += 1
        print(f"compose-test:   ok  {what}", flush=True)


def say(message: str) -> None:
    print(f"compose-test: {message}", flush=True)


# ---- before an engine ---------------------------------------------------------------------
def preflight() -> str | None:
    """None when an engine can be started here, else why not (one line). Installs the
    Debian packages it needs when root on Debian, without starting Debian's docker service."""
    if os.geteuid() != 0:
        return "needs root (a private dockerd, a network namespace)"
    if not Path("/etc/debian_version").exists():
        return "needs Debian (apt-get for docker.io, debootstrap, docker-compose)"
    missing = sorted(
        {
            package
            for tool, package in PACKAGES.items()
            if shutil.which(tool) is None and not Path(f"/usr/sbin/{tool}").exists()
        }
    )
    if missing:
        say(f"installing Debian packages: {' '.join(missing)}")
        policy = Path("/usr/sbin/policy-rc.d")
        ours = not policy.exists()
        if ours:  # keeps docker.io's scripts from starting a system-wide dockerd
            policy.write_text("#!/bin/sh\nexit 101\n")
            policy.chmod(0o755)
        try:
            env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
            for command in (
                ["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],
            ):
                result = subprocess.run(command, capture_output=True, text=True, env=env)
                if result.returncode != 0:
                    return f"{' '.join(command)} failed: {result.stderr.strip().splitlines()[-1:]}"
        finally:
            if ours:
                policy.unlink()
    os.environ["PATH"] = os.environ.get("PATH", "") + ":/usr/sbin:/sbin"
    return None


# ---- compose ------------------------------------------------------------------------------
class Compose:
    """docker-compose (1.29 here; `docker compose` for users) in the repository, against the
    private engine. Interpolation reads no developer's .env: an empty --env-file."""

    def __init__(self, engine: PrivateEngine, env_file: Path):
        self.engine = engine
        self.env_file = env_file

    def __call__(self, *args: str, timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        command = ["docker-compose", "--project-directory", str(ROOT), "--env-file", str(self.env_file), *args]
        result = subprocess.run(command, cwd=ROOT, env=self.engine.env, capture_output=True, text=True, timeout=timeout)
        if check and result.returncode != 0:
            raise StackFailed(
                f"docker-compose {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout[-4000:]}{result.stderr[-6000:]}"
            )
        return result

    def config(self) -> dict:
        return yaml.safe_load(self("config").stdout)

    def containers(self) -> list[dict]:
        ids = self("ps", "-a", "-q").stdout.split()
        if not ids:
            return []
        return json.loads(self.engine.docker("inspect", *ids).stdout)


def service_of(container: dict) -> str:
    return container["Config"]["Labels"]["com.docker.compose.service"]


def logs_of(compose: Compose, service: str, lines: int = 40) -> str:
    return compose("logs", "--no-color", "--tail", str(lines), service, check=False).stdout


def wait_until_ready(compose: Compose, config: dict, checks: Checks) -> None:
    """Every healthcheck passes, the one-shot migrate finished with 0, the rest run."""
    services = config["services"]
    deadline = time.monotonic() + HEALTHY_TIMEOUT_S
    while True:
        containers = {service_of(c): c for c in compose.containers()}
        pending, broken = [], []
        for name, service in services.items():
            container = containers.get(name)
            if container is None:
                pending.append(f"{name} (no container)")
                continue
            state = container["State"]
            one_shot = service.get("restart") == "no"
            if one_shot:
                if state["Status"] == "exited":
                    if state["ExitCode"] != 0:
                        broken.append(f"{name} exited {state['ExitCode']}")
                else:
                    pending.append(f"{name} {state['Status']}")
                continue
            if state["Status"] != "running" or container["RestartCount"] > 0:
                broken.append(f"{name} {state['Status']} (restarts: {container['RestartCount']})")
            elif "Health" in state and state["Health"]["Status"] != "healthy":
                if state["Health"]["Status"] == "unhealthy":
                    broken.append(f"{name} unhealthy")
                else:
                    pending.append(f"{name} {state['Health']['Status']}")
        if broken or (pending and time.monotonic() > deadline):
            problems = broken or pending
            details = []
            for problem in problems:
                name = problem.split()[0]
                health = containers[name]["State"].get("Health") if name in containers else None
                checked = health["Log"][-1] if health and health.get("Log") else None
                if checked:
                    details.append(
                        f"--- {name}: last health check exited {checked['ExitCode']}: "
                        f"{checked['Output'].strip()[-1500:]}"
                    )
                details.append(f"--- {name}: logs\n{logs_of(compose, name)}")
            raise StackFailed(f"not ready: {', '.join(problems)}\n" + "\n".join(details))
        if not pending:
            break
        time.sleep(2)
    healthy = sorted(name for name, c in containers.items() if "Health" in c["State"])
    checks.ok(
        f"healthy: {', '.join(healthy)}; migrate exited 0; "
        f"running without a healthcheck: {', '.join(sorted(set(containers) - set(healthy) - {'migrate'}))}"
    )


# ---- what running containers show ---------------------------------------------------------
def uids_of(engine: PrivateEngine, container: dict) -> set[int]:
    """The real and effective uids of every process in the container, read from /proc."""
    top = engine.docker("top", container["Id"], "-eo", "pid").stdout.split()[1:]
    uids: set[int] = set()
    for pid in top:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("Uid:"):
                    uids.update(int(uid) for uid in line.split()[1:3])
    return uids


def check_running_properties(engine: PrivateEngine, compose: Compose, ours: set[str], checks: Checks) -> None:
    containers = compose.containers()
    problems, users = [], {}
    image_env: dict[str, dict[str, str]] = {}
    for container in containers:
        name, image = service_of(container), container["Config"]["Image"]
        configured = container["Config"]["User"] or "(image default: root)"
        if image in ours:
            if image not in image_env:
                inspected = json.loads(engine.docker("image", "inspect", image).stdout)[0]
                image_env[image] = dict(item.split("=", 1) for item in inspected["Config"]["Env"])
            running_env = dict(item.split("=", 1) for item in container["Config"]["Env"])
            problems += [
                f"{name}: the env file blanks the image's {key}={value}"
                for key, value in image_env[image].items()
                if value and running_env.get(key) == ""
            ]
            if not container["HostConfig"]["ReadonlyRootfs"]:
                problems.append(f"{name}: root filesystem is writable")
            if configured.split(":")[0] in ("", "0", "root", "(image default"):
                problems.append(f"{name}: runs as {configured}")
        if container["State"]["Status"] == "running":
            uids = uids_of(engine, container)
            users[name] = ",".join(str(uid) for uid in sorted(uids))
            if not uids or 0 in uids:
                problems.append(f"{name}: a process runs as root (uids {sorted(uids)})")
        if container["RestartCount"] != 0 or container["State"]["Status"] == "restarting":
            problems.append(f"{name}: restarted {container['RestartCount']} times")
    if problems:
        raise StackFailed("container properties:\n  " + "\n  ".join(problems))
    checks.ok(
        "our containers: read-only root filesystem, a non-root user, the image's settings not blanked "
        f"({', '.join(sorted(service_of(c) for c in containers if c['Config']['Image'] in ours))})"
    )
    checks.ok(
        "no process of any container runs as root: "
        + ", ".join(f"{name} uid {uids}" for name, uids in sorted(users.items()))
    )
    checks.ok(f"no restarts in {len(containers)} containers")


def grace_of(service: dict) -> float:
    value = str(service.get("stop_grace_period", "10s"))
    total = 0.0
    for amount, unit in re.findall(r"(\d+(?:\.\d+)?)(ms|h|m|s)", value):
        total += float(amount) * {"ms": 0.001, "s": 1, "m": 60, "h": 3600}[unit]
    return total


def check_stop(engine: PrivateEngine, compose: Compose, config: dict, checks: Checks) -> None:
    """docker compose stop: each service ends within its stop_grace_period, by its own stop
    signal (never SIGKILL), with exit code 0 (or one ALLOWED_STOP_CODES documents)."""
    before = {service_of(c): c for c in compose.containers()}
    running = {name: c for name, c in before.items() if c["State"]["Status"] == "running"}
    since = engine.docker("system", "info", "--format", "{{.SystemTime}}").stdout.strip()
    started = time.monotonic()
    compose("stop", timeout=600)
    took = time.monotonic() - started
    until = engine.docker("system", "info", "--format", "{{.SystemTime}}").stdout.strip()
    events = engine.docker(
        "events", "--since", since, "--until", until, "--filter", "type=container", "--format", "{{json .}}"
    ).stdout.splitlines()
    first_signal: dict[str, tuple[int, str]] = {}
    died: dict[str, int] = {}
    killed: set[str] = set()
    for line in events:
        event = json.loads(line)
        container_id, action, attributes = event["id"], event["Action"], event["Actor"]["Attributes"]
        if action == "kill":
            first_signal.setdefault(container_id, (event["timeNano"], attributes.get("signal", "?")))
            if attributes.get("signal") in ("9", "SIGKILL"):
                killed.add(container_id)
        elif action == "die":
            died[container_id] = event["timeNano"]
    problems, lines = [], []
    for name, container in sorted(running.items()):
        container_id = container["Id"]
        after = json.loads(engine.docker("inspect", container_id).stdout)[0]["State"]
        grace = grace_of(config["services"][name])
        if container_id not in died:
            problems.append(f"{name}: no die event")
            continue
        signal_at, sig = first_signal.get(container_id, (died[container_id], "?"))
        seconds = (died[container_id] - signal_at) / 1e9
        code = after["ExitCode"]
        lines.append(f"{name} {seconds:.1f}/{grace:.0f} s signal {sig} exit {code}")
        if container_id in killed:
            problems.append(f"{name}: SIGKILLed after its grace period ({grace:.0f} s)")
        elif seconds > grace:
            problems.append(f"{name}: took {seconds:.1f} s, grace period {grace:.0f} s")
        if code != 0 and code not in ALLOWED_STOP_CODES.get(name, {}):
            problems.append(f"{name}: exit code {code}\n{logs_of(compose, name, 15)}")
    if problems:
        raise StackFailed("docker compose stop:\n  " + "\n  ".join(problems))
    checks.ok(f"docker compose stop in {took:.1f} s; each within its grace period, exit 0: " + "; ".join(lines))


# ---- the run ------------------------------------------------------------------------------
def cache_dir() -> Path | None:
    value = os.environ.get("COMPOSE_TEST_CACHE", str(DEFAULT_CACHE))
    return None if value == "off" else Path(value)


@contextlib.contextmanager
def exclusive(path: Path, timeout: float = LOCK_TIMEOUT_S):
    """One compose test at a time on a machine (another clone's `make test`, say): wait for it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+") as lock:
        deadline = time.monotonic() + timeout
        waiting = False
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if not waiting:
                    lock.seek(0)
                    say(f"waiting for another compose test to finish ({lock.read().strip() or path})")
                    waiting = True
                if time.monotonic() > deadline:
                    raise StackFailed(f"another compose test held {path} for {timeout:.0f} s") from None
                time.sleep(2)
        lock.seek(0)
        lock.truncate()
        lock.write(f"pid {os.getpid()} in {ROOT}\n")
        lock.flush()
        yield


def images_phase(engine: PrivateEngine, config: dict, checks: Checks) -> list[images.OurBuild]:
    builds = images.our_builds(config)
    third_party = images.third_party_images(config)
    mode = os.environ.get("COMPOSE_TEST_IMAGES", "auto")
    if mode == "auto":
        mode = "pull" if images.registry_reachable() else "standin"
        say(
            f"third-party images: {'a registry resolves: pulling' if mode == 'pull' else 'no registry: stand-ins'} "
            f"({', '.join(third_party)})"
        )
    made = images.pull(engine, third_party) if mode == "pull" else images.build_standins(engine, third_party)
    ours = images.build_ours(engine, builds)
    images.add_sizes(engine, made + ours)
    print(images.table(made + ours), flush=True)
    checks.ok(f"built {', '.join(b.image for b in ours)} on {'pulled' if mode == 'pull' else 'stand-in'} bases")

    problems = images.dockerignore_problems(builds)
    counted = []
    for build in builds:
        found, count = images.image_problems(engine, build.image)
        problems += found
        counted.append(f"{build.image} {count} paths")
    if problems:
        raise StackFailed("what must not be in our images:\n  " + "\n  ".join(problems))
    checks.ok(
        "lean images: no virtualenv, node_modules, tests, caches, apt lists or compilers "
        f"({'; '.join(counted)}); .dockerignore files keep them out of the build contexts"
    )
    return builds


def main() -> int:
    started = time.monotonic()
    checks = Checks()
    problem = preflight()
    phases: list[str] = [f"packages {time.monotonic() - started:.0f} s"]
    skip = os.environ.get("COMPOSE_TEST") == "skip"
    if problem:
        if skip:
            say(f"skipped (COMPOSE_TEST=skip): {problem}")
            return 0
        say(f"FAIL: no private Docker engine here: {problem}; set COMPOSE_TEST=skip to skip")
        return 1

    def interrupted(signum, _frame):
        raise Interrupted(signal.Signals(signum).name)

    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGHUP, interrupted)
    cache = cache_dir()
    env_file = Path(tempfile.mkstemp(prefix="compose-test-", suffix=".env")[1])
    engine: PrivateEngine | None = None
    compose: Compose | None = None
    status = 1

    def phase(name: str, since: float) -> float:
        now = time.monotonic()
        phases.append(f"{name} {now - since:.0f} s")
        return now

    try:
        with exclusive(LOCK):
            mark = time.monotonic()
            allowed = images.PACKAGE_REGISTRY_HOSTS | images.mirror_hosts()
            engine = PrivateEngine(cache, allowed)
            try:
                engine.start()
            except EngineError as error:
                if skip:
                    say(f"skipped (COMPOSE_TEST=skip): the private engine did not start: {error}")
                    status = 0
                    return 0
                raise
            say(
                f"private engine: {engine.socket} (data root {engine.data_dir}), in network namespace "
                f"{NETNS}; the only way out: the egress gateway on {GATEWAY_ADDRESS} (allowed: "
                f"{', '.join(sorted(allowed))})"
            )
            mark = phase("engine", mark)
            compose = Compose(engine, env_file)
            config = compose.config()
            builds = images_phase(engine, config, checks)
            ours = {build.image for build in builds}
            mark = phase("images", mark)

            say("docker compose up -d --build")
            compose("up", "-d", "--build", timeout=UP_TIMEOUT_S)
            wait_until_ready(compose, config, checks)
            mark = phase("up", mark)

            with engine.network():
                account = run_journey(GATEWAY_URL, MAIL_URL, step=checks.ok)
            mark = phase("journey", mark)

            check_running_properties(engine, compose, ours, checks)
            check_stop(engine, compose, config, checks)
            compose("down", timeout=300)
            compose("up", "-d", "--build", timeout=UP_TIMEOUT_S)
            wait_until_ready(compose, config, checks)
            with engine.network():
                check_account(GATEWAY_URL, *account)
            checks.ok(f"after docker compose down and up: {account[0]} still logs in (the volumes persist)")
            phase("stop, down, up", mark)
            status = 0
    except (
        images.BuildFailed,
        StackFailed,
        JourneyFailed,
        EngineError,
        requests.RequestException,
        subprocess.TimeoutExpired,
    ) as error:
        say(
            f"FAIL: {type(error).__name__}: {error}"
            if not isinstance(error, RuntimeError | AssertionError)
            else f"FAIL: {error}"
        )
    except Interrupted as signame:
        say(f"interrupted ({signame}): cleaning up")
        status = 130
    except KeyboardInterrupt:
        say("interrupted (Ctrl-C): cleaning up")
        status = 130
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the clean-up itself is not interrupted
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        mark = time.monotonic()
        if compose is not None:
            compose("down", "--volumes", "--remove-orphans", "--timeout", "10", check=False, timeout=300)
        if engine is not None:
            if engine.gateway is not None:
                say(f"egress gateway {engine.gateway.summary()}")
            if status == 0:
                # Only what this run's images no longer use: the cache stays as small as it can.
                engine.docker("image", "prune", "--force", check=False)
            engine.stop()
        env_file.unlink(missing_ok=True)
        phase("clean-up", mark)
        total = time.monotonic() - started
        say(
            f"{' | '.join(phases)} | total {total:.0f} s "
            f"({'cache ' + str(cache) if cache else 'no cache'}) at {datetime.datetime.now():%H:%M:%S}"
        )
        say(f"{checks.passed} passed, {0 if status == 0 else 1} failed")
    return status


if __name__ == "__main__":
    sys.exit(main())
