"""A private Docker engine for the compose test, isolated from anything else on the machine.

containerd and dockerd of its own run in a network namespace of their own, so that:
* nothing it builds, pulls or tags lands in another engine (its own --data-root, socket, pid
  file, exec root and containerd; its own daemon.json, so /etc/docker/daemon.json is not read);
* its bridges, iptables chains and published ports (127.0.0.1:8080 and :8025 in compose) live
  in that namespace: a real engine's docker0 and DOCKER chains, and a `make run` on 8080, are
  left alone, and a container has no route off the machine;
* the only way out is the egress gateway (egress.py) on an address of the namespace, which the
  engine names as every container's DNS server: build steps reach the allowed registries as
  they would on a user's machine, and the stack's own containers are refused it.

The image cache (the data root) may be kept between runs under a stable directory; everything
else (socket, pid files, exec root, logs, the namespace) is made per run and
removed by stop(), which also runs after a failure or Ctrl-C.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.compose.egress import EgressGateway

NETNS = "auth-compose-test"
# The gateway's address, on the namespace's loopback device: link-local, routed nowhere, and
# not a 127/8 address (which dockerd would not hand to containers as their DNS server).
GATEWAY_ADDRESS = "169.254.213.1"
# The engine's own subnets; they exist only inside its namespace.
BRIDGE_IP = "10.213.0.1/24"
ADDRESS_POOL = "base=10.213.64.0/18,size=24"
CLONE_NEWNET = 0x40000000


class EngineError(RuntimeError):
    pass


def run(*command: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(command, check=check, capture_output=True, text=True, **kwargs)


def _alive(pid: int) -> bool:
    """Running (a zombie, which nobody may be left to reap, counts as gone)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _terminate(pid: int, timeout: float, sig: int = signal.SIGTERM) -> None:
    """SIGTERM (or sig), then SIGKILL after timeout; returns when the process is gone."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.1)


def mounts_under(path: Path) -> list[str]:
    prefix = str(path.resolve()).rstrip("/") + "/"
    points = []
    for line in Path("/proc/self/mountinfo").read_text().splitlines():
        point = line.split()[4].replace("\\040", " ")
        if point.startswith(prefix):
            points.append(point)
    return points


def remove_tree(path: Path) -> None:
    """rm -rf that never follows a mount out of the tree: leftover overlay or bind mounts of a
    killed engine are lazily unmounted first, and the tree is kept if one remains."""
    if not path.exists():
        return
    for point in sorted(mounts_under(path), key=len, reverse=True):
        run("umount", "-l", point, check=False)
    if mounts_under(path):
        raise EngineError(f"not removing {path}: still mounted: {mounts_under(path)}")
    shutil.rmtree(path, ignore_errors=True)


class PrivateEngine:
    """start() it, use env for docker / docker-compose, run HTTP clients inside network(),
    and stop() it. cache_dir: where the data root is kept between runs (None: a throw-away one)."""

    def __init__(self, cache_dir: Path | None, allowed_hosts: set[str]):
        self.cache_dir = cache_dir
        self.run_dir = Path(tempfile.mkdtemp(prefix="act-", dir="/tmp"))
        self.data_dir = cache_dir if cache_dir is not None else self.run_dir / "data"
        self.allowed_hosts = allowed_hosts
        self.gateway: EgressGateway | None = None
        self._processes: dict[str, subprocess.Popen] = {}
        self._key_json_existed = Path("/etc/docker/key.json").exists()
        self.socket = self.run_dir / "docker.sock"
        self.logs = self.run_dir / "logs"

    # ---- what callers use --------------------------------------------------------------
    @property
    def env(self) -> dict[str, str]:
        """The environment for docker and docker-compose: this engine only, the classic
        builder (what docker-compose 1.29 uses), and no client configuration of the user's."""
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("DOCKER_", "COMPOSE_")) and key not in ("ENV_FILE", "GATEWAY_PUBLISH")
        }
        env.update(
            DOCKER_HOST=f"unix://{self.socket}",
            DOCKER_BUILDKIT="0",
            COMPOSE_DOCKER_CLI_BUILD="0",
            DOCKER_CONFIG=str(self.run_dir / "client-config"),
        )
        return env

    @contextlib.contextmanager
    def network(self):
        """Runs the block's sockets inside the engine's network namespace, where compose
        publishes its ports (the calling thread only; it is moved back afterwards)."""
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        with open("/proc/self/ns/net") as home, open(f"/run/netns/{NETNS}") as target:
            if libc.setns(target.fileno(), CLONE_NEWNET) != 0:
                raise EngineError(f"setns into {NETNS}: {os.strerror(ctypes.get_errno())}")
            try:
                yield
            finally:
                if libc.setns(home.fileno(), CLONE_NEWNET) != 0:
                    raise EngineError(f"setns back: {os.strerror(ctypes.get_errno())}")

    def docker(self, *args: str, check: bool = True, timeout: float | None = 300) -> subprocess.CompletedProcess:
        return run("docker", *args, check=check, env=self.env, timeout=timeout)

    # ---- lifecycle -----------------------------------------------------------------------
    def start(self) -> PrivateEngine:
        self.logs.mkdir()
        (self.run_dir / "client-config").mkdir()
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._stop_leftovers()
        self._make_namespace()
        with self.network():
            self.gateway = EgressGateway(GATEWAY_ADDRESS, self.allowed_hosts)
        self.gateway.start()
        self._start_containerd()
        self._start_dockerd()
        # The stack's containers (compose's bridges) get no answer from the gateway, DNS
        # included; the default bridge, where build steps run, does.
        result = run(
            "nsenter",
            f"--net=/run/netns/{NETNS}",
            "iptables",
            "-I",
            "INPUT",
            "-i",
            "br-+",
            "-d",
            GATEWAY_ADDRESS,
            "-j",
            "DROP",
            check=False,
        )
        if result.returncode != 0:
            raise EngineError(f"iptables in {NETNS}: {result.stderr.strip()}")
        return self

    def stop(self) -> None:
        """Stops what start() started, in reverse order; safe after a partial start."""
        for name, timeout in (("dockerd", 40), ("containerd", 15)):
            process = self._processes.pop(name, None)
            if process is not None:
                process.terminate()
                try:
                    process.wait(timeout)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        (self.data_dir / "engine.json").unlink(missing_ok=True)
        if self.gateway is not None:
            self.gateway.stop()
        self._remove_namespace()
        if not self._key_json_existed:
            # dockerd 20.10 writes an engine identity there; it was not on the machine before.
            Path("/etc/docker/key.json").unlink(missing_ok=True)
        keep_logs = os.environ.get("COMPOSE_TEST_KEEP_LOGS")
        if keep_logs:
            shutil.copytree(self.logs, keep_logs, dirs_exist_ok=True)
        remove_tree(self.run_dir)
        if self.cache_dir is None:
            remove_tree(self.data_dir)

    def _stop_leftovers(self) -> None:
        """An engine of a run that was killed (SIGKILL leaves no chance to clean up) still
        holds the data root: it is ours, stopped by the pids it left, checked by command line."""
        record = self.data_dir / "engine.json"
        if record.exists():
            left = json.loads(record.read_text())
            run_dir = left.pop("run_dir", None)
            for name, pid in reversed(left.items()):  # dockerd before its containerd
                if _alive(pid) and run_dir and run_dir in _cmdline(pid):
                    print(f"compose-test: stopping the {name} (pid {pid}) a killed run left behind")
                    _terminate(pid, 40)
            record.unlink()
            if run_dir and Path(run_dir).parent == self.run_dir.parent and Path(run_dir).name.startswith("act-"):
                remove_tree(Path(run_dir))
        self._remove_namespace()

    def _make_namespace(self) -> None:
        steps = [
            ("ip", "netns", "add", NETNS),
            ("ip", "-n", NETNS, "link", "set", "lo", "up"),
            ("ip", "-n", NETNS, "addr", "add", f"{GATEWAY_ADDRESS}/32", "dev", "lo"),
        ]
        for step in steps:
            result = run(*step, check=False)
            if result.returncode != 0:
                raise EngineError(f"{' '.join(step)}: {result.stderr.strip()}")

    @staticmethod
    def _remove_namespace() -> None:
        if Path(f"/run/netns/{NETNS}").exists():
            run("ip", "netns", "del", NETNS, check=False)

    def _spawn(self, name: str, command: list[str], env: dict[str, str] | None = None) -> subprocess.Popen:
        log = open(self.logs / f"{name}.log", "wb")  # noqa: SIM115 (kept open by the child)
        # Its own session: a Ctrl-C reaches the test, which stops the engine in order.
        process = subprocess.Popen(
            ["nsenter", f"--net=/run/netns/{NETNS}", *command],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
            env=env,
        )
        log.close()
        self._processes[name] = process
        # What a later run needs to stop this engine if this run is killed before stop().
        (self.data_dir / "engine.json").write_text(
            json.dumps(
                {"run_dir": str(self.run_dir), **{name: process.pid for name, process in self._processes.items()}}
            )
        )
        return process

    def _wait_for(self, name: str, ready, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while not ready():
            process = self._processes[name]
            if process.poll() is not None or time.monotonic() > deadline:
                tail = (self.logs / f"{name}.log").read_text(errors="replace").splitlines()[-15:]
                state = f"exited with {process.returncode}" if process.returncode is not None else "not ready"
                raise EngineError(f"{name} {state} after {timeout:.0f} s:\n" + "\n".join(tail))
            time.sleep(0.1)

    def _start_containerd(self) -> None:
        state = self.run_dir / "containerd"
        address = state / "containerd.sock"
        config = self.run_dir / "containerd.toml"
        # Its own root, state and sockets; no CRI (Kubernetes) plugin, nothing listening on TCP.
        config.write_text(
            "\n".join(
                [
                    "version = 2",
                    f'root = "{self.data_dir / "containerd"}"',
                    f'state = "{state}"',
                    'disabled_plugins = ["io.containerd.grpc.v1.cri"]',
                    "[grpc]",
                    f'  address = "{address}"',
                    "[ttrpc]",
                    f'  address = "{address}.ttrpc"',
                    "[debug]",
                    '  address = ""',
                    "[metrics]",
                    '  address = ""',
                    "",
                ]
            )
        )
        self._spawn("containerd", ["containerd", "--config", str(config)])
        self._wait_for("containerd", address.exists, 30)
        self.containerd_socket = address

    def _start_dockerd(self) -> None:
        config = self.run_dir / "daemon.json"
        config.write_text("{}\n")
        env = dict(os.environ)
        # dockerd's own pulls (only where a registry is used) go through the gateway's proxy port.
        assert self.gateway is not None
        env.update(HTTPS_PROXY=self.gateway.proxy_url, HTTP_PROXY=self.gateway.proxy_url, NO_PROXY="")
        self._spawn(
            "dockerd",
            [
                "dockerd",
                "--config-file",
                str(config),
                "--data-root",
                str(self.data_dir / "docker"),
                "--exec-root",
                str(self.run_dir / "exec"),
                "--pidfile",
                str(self.run_dir / "docker.pid"),
                "--host",
                f"unix://{self.socket}",
                "--containerd",
                str(self.containerd_socket),
                "--bip",
                BRIDGE_IP,
                "--dns",
                GATEWAY_ADDRESS,
                "--default-address-pool",
                ADDRESS_POOL,
                "--storage-driver",
                "overlay2",
                "--log-level",
                "warn",
            ],
            env=env,
        )

        def answers() -> bool:
            return self.socket.exists() and self.docker("version", check=False, timeout=10).returncode == 0

        self._wait_for("dockerd", answers, 60)
