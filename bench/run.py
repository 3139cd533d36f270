#!/usr/bin/env python3
"""`make bench`: what authentication, login, sign-up mail and token cleanup cost, measured.

Starts its own native stack (deploy.native.stack: PostgreSQL, Redis, MailDev, gunicorn, the
outbox relay, the mailer, nginx) on free loopback ports with BENCH_MODE=true and production-like
gunicorn settings, seeds it (`manage.py bench_seed`), and drives load through the gateway with
wrk, a separate process, except for the logins with and without second factors, and the password
login with and without the security log, whose flows are driven by one Python client for all of
them (bench/second_factors.py).
Every comparison is measured in this one run, interleaved in shuffled
order, and reported as the median of per-round ratios; absolute figures are printed, never
asserted. Writes bench/runs/<run>/results.json (its shape: bench/records.py) and, from it,
bench/results/latest.md and latest.png (see bench/report.py).

Run from the repository root: `bench/.venv/bin/python -m bench.run --help` (`make bench` does).

Exit status: 0 when the benchmark ran, whether or not its targets were met (the report says
PASS or MISS); 1 when the benchmark itself failed: the stack did not start, wrk failed, or any
request under load got a non-2xx answer or a socket error (or a login no token).
"""

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

import requests

from bench import records, report, second_factors
from bench.records import (
    Auth,
    AuthRun,
    AuthTiming,
    Cleanup,
    FirstLoadJs,
    FlowLatency,
    InboxTimes,
    Latency,
    Load,
    LoginFlowRun,
    Machine,
    Mailer,
    Percentiles,
    ProcessRss,
    Queries,
    Register,
    RegisterBurst,
    Results,
    RunInfo,
    SecondFactorLogins,
    SecurityLogCheck,
    Seed,
    TableWrites,
    TokenCounts,
    WritesUnderLoad,
    WrkErrors,
)
from deploy.native.stack import API_VENV, PG_BIN, ROOT, WEB_DIR, Stack, free_port, free_ports

T = TypeVar("T")

BENCH_DIR = ROOT / "bench"
WRK_DIR = BENCH_DIR / "wrk"
RUNS_DIR = BENCH_DIR / "runs"
RESULTS_DIR = BENCH_DIR / "results"
API_PYTHON = API_VENV / "bin" / "python"

# A benchmark user's credentials, as manage.py bench_seed wrote them (knox_token, drf_token, jwt, ...).
User = dict[str, Any]

# The compared endpoints: (path, request headers for a benchmark user's credentials).
VARIANTS: dict[str, tuple[str, Callable[[User], dict[str, str]]]] = {
    "me": ("/api/auth/me/", lambda user: {"Authorization": f"Token {user['knox_token']}"}),
    # As the web app sends it: the HttpOnly cookie, and its transport header.
    "me_cookie": (
        "/api/auth/me/",
        lambda user: {"Cookie": f"auth_token={user['knox_token']}", "X-Auth-Transport": "cookie"},
    ),
    "knox": ("/api/bench/knox/me/", lambda user: {"Authorization": f"Token {user['knox_token']}"}),
    "drf_token": ("/api/bench/drf-token/me/", lambda user: {"Authorization": f"Token {user['drf_token']}"}),
    "jwt": ("/api/bench/jwt/me/", lambda user: {"Authorization": f"Bearer {user['jwt']}"}),
    "ceiling": ("/api/bench/ceiling/", lambda user: {}),
    # The same path for the user's twin with second factors (TOTP, a passkey, recovery codes).
    "me_factors": ("/api/auth/me/", lambda user: {"Authorization": f"Token {user['factors']['knox_token']}"}),
    # django-allauth headless' app client (X-Session-Token): its own session endpoint, and a DRF
    # view with its XSessionTokenAuthentication; the prefix puts the sessions in the database
    # (allauth's default) or in Redis (services/api/bench/allauth_sessions.py).
    "allauth_db": (
        "/api/bench/allauth/db/_allauth/app/v1/auth/session",
        lambda user: {"X-Session-Token": user["allauth"]["db"]},
    ),
    "allauth_redis": (
        "/api/bench/allauth/redis/_allauth/app/v1/auth/session",
        lambda user: {"X-Session-Token": user["allauth"]["redis"]},
    ),
    "allauth_drf_db": ("/api/bench/allauth/db/me/", lambda user: {"X-Session-Token": user["allauth"]["db"]}),
    "allauth_drf_redis": ("/api/bench/allauth/redis/me/", lambda user: {"X-Session-Token": user["allauth"]["redis"]}),
}
# allauth's own endpoint answers its own payload ({"data": {"user": ...}, "meta": ...}).
ALLAUTH_OWN = ("allauth_db", "allauth_redis")
# The variants that serve the benchmark user itself, in /api/auth/me/'s payload (me_factors serves its twin).
SAME_PAYLOAD = [name for name in VARIANTS if name not in ("ceiling", "me_factors", *ALLAUTH_OWN)]
# Under load at the lowest token level only, to keep `make bench` within its 15 minutes: a session
# is looked up by its key, whatever the user's other sessions (the query counts and the in-process
# timing cover every level, and show it).
LOWEST_LEVEL_ONLY = ("allauth_db", "allauth_redis", "allauth_drf_db", "allauth_drf_redis")

ROW_WRITES_SQL = "SELECT relname, n_tup_ins, n_tup_upd, n_tup_del FROM pg_stat_user_tables"
# Django runs in autocommit: every statement, health checks included, is one transaction.
TRANSACTIONS_SQL = "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = 'auth'"
TOKEN_COUNTS_SQL = (
    "SELECT count(*) FILTER (WHERE expiry < now()), count(*) FILTER (WHERE expiry >= now()) FROM accounts_authtoken"
)
KNOWN_DEVICES_SQL = "SELECT count(*) FROM accounts_knowndevice d JOIN accounts_user u ON u.id = d.user_id"
CLEANUP_SUMMARY = re.compile(r"deleted (\d+) expired tokens in (\d+) batches")


class BenchFailure(Exception):
    """The benchmark itself failed (not a missed target)."""


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def parse_wrk(stdout: str, stderr: str, returncode: int | None) -> Load:
    """The WRK_JSON line of bench/wrk/report.lua (microseconds) as a Load (milliseconds)."""
    for line in stdout.splitlines():
        if line.startswith("WRK_JSON "):
            data = json.loads(line.removeprefix("WRK_JSON "))
            seconds = data["duration_us"] / 1e6
            return Load(
                rps=data["requests"] / seconds if seconds else 0.0,
                requests=data["requests"],
                seconds=seconds,
                latency_ms=records.from_json(
                    Latency, {key: value / 1000 for key, value in data["latency_us"].items()}, "wrk latency"
                ),
                errors=records.from_json(WrkErrors, data["errors"], "wrk errors"),
            )
    raise BenchFailure(f"wrk printed no result (exit {returncode}): {(stderr or stdout).strip()[-800:]}")


def wrk_argv(
    url: str,
    *,
    duration: int,
    connections: int,
    headers: dict[str, str] | None = None,
    script: str = "report.lua",
    timeout_s: int = 10,
) -> list[str]:
    # One wrk thread and a few connections: the driver must not starve the two cores it shares.
    argv = ["wrk", "-t1", f"-c{connections}", f"-d{duration}s", "--timeout", f"{timeout_s}s", "-s", script]
    for name, value in (headers or {}).items():
        argv += ["-H", f"{name}: {value}"]
    return [*argv, url]


def last_json_line(output: str) -> Any:
    return json.loads(output.strip().splitlines()[-1])


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Nearest-rank percentile of a list of numbers."""
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered) + 0.5) - 1))]


def read_rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def child_pids(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            children += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    return children


def process_name(pid: int) -> str:
    try:
        argv = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return "?"
    return " ".join(part.decode(errors="replace") for part in argv if part)[:80]


def command_output(argv: list[str], **kwargs: Any) -> str:
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=30, **kwargs)
    except (OSError, subprocess.TimeoutExpired):
        return "unknown"
    lines = (result.stdout or result.stderr).strip().splitlines()  # nginx -v answers on stderr
    return lines[0] if result.returncode == 0 and lines else ("" if result.returncode == 0 else "unknown")


def measured(value: T | None, what: str) -> T:
    if value is None:
        raise BenchFailure(f"{what} was not measured")
    return value


class Bench:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.run_dir = RUNS_DIR / datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        self._stack: Stack | None = None
        self._credentials: dict[str, Any] | None = None
        self.credentials_path = self.run_dir / "credentials.json"
        self.levels: list[str] = []
        self.pg_port = free_port()
        self.problems: list[str] = []  # what makes the benchmark itself fail
        self.rng = random.Random(args.seed)
        # The measurements, as they are made (bench/records.py: Results).
        self.phases: dict[str, float] = {}
        self.settings: dict[str, str] = {}
        self.seed_record: Seed | None = None
        self.payload_identical = False
        self.auth: Auth | None = None
        self.first_load_js: FirstLoadJs | None = None
        self.rss: list[ProcessRss] = []
        self.writes_under_load: WritesUnderLoad | None = None
        self.queries: Queries | None = None
        self.auth_timing: AuthTiming | None = None
        self.login: Load | None = None
        self.second_factor_logins: SecondFactorLogins | None = None
        self._login_kinds: dict[str, tuple[second_factors.Login, second_factors.AccountPool[Any]]] | None = None
        self.register: Register | None = None
        self.mailer: Mailer | None = None
        self.cleanup: Cleanup | None = None

    @property
    def stack(self) -> Stack:
        return measured(self._stack, "the stack")

    @property
    def credentials(self) -> dict[str, Any]:
        return measured(self._credentials, "the seed")

    @property
    def gateway(self) -> str:
        return self.stack.gateway_url

    def results(self, machine: Machine, run: RunInfo) -> Results:
        """Everything measured, once run() has finished."""
        return Results(
            phases=self.phases,
            settings=self.settings,
            seed=measured(self.seed_record, "seed"),
            payload_identical=self.payload_identical,
            auth=measured(self.auth, "authentication"),
            first_load_js=measured(self.first_load_js, "first-load JavaScript"),
            rss=self.rss,
            writes_under_load=measured(self.writes_under_load, "writes under load"),
            queries=measured(self.queries, "queries"),
            auth_timing=measured(self.auth_timing, "authentication timing"),
            login=measured(self.login, "login"),
            second_factor_logins=measured(self.second_factor_logins, "logins with second factors"),
            register=measured(self.register, "register to inbox"),
            mailer=measured(self.mailer, "mailer throughput"),
            cleanup=measured(self.cleanup, "cleanup"),
            machine=machine,
            run=run,
            problems=self.problems,
        )

    # -- the stack ---------------------------------------------------------------------------
    def start_stack(self) -> None:
        self.run_dir.mkdir(parents=True)
        self.run_dir.chmod(0o755)  # the postgres user must reach its data directory
        scopes = (
            *("login_ip", "login_account", "register_ip", "email_ip", "email_address", "key_guess_ip"),
            *("mfa_account", "mfa_ip", "webauthn_ip"),
        )
        self.settings = {
            "APP_ENV": "development",
            "BENCH_MODE": "true",
            # Production-like gunicorn: sync workers, 2 per core; access logs on, as in production.
            "GUNICORN_WORKERS": str(self.args.workers),
            "GUNICORN_THREADS": "1",
            # Worker recycling re-imports Django (~1 s of CPU) every 2000 requests: at thousands of
            # requests a second that is noise, not authentication cost.
            "GUNICORN_MAX_REQUESTS": "0",
            "LOG_LEVEL": "WARNING",
            # Every request comes from 127.0.0.1: throttles would measure themselves, not the path.
            "THROTTLE_RATES": ",".join(f"{scope}=1000000/m" for scope in scopes),
            "GATEWAY_AUTH_RATE": "100000r/s",
            "GATEWAY_AUTH_BURST": "100000",
            "TOKEN_LAST_SEEN_INTERVAL_SECONDS": "300",  # the default, whatever .env says
            # The stack's scheduled cleanup must not run in the middle of the measurements.
            "TOKEN_CLEANUP_INTERVAL_S": "86400",
        }
        say(f"starting the native stack in {self.run_dir.relative_to(ROOT)} (PostgreSQL on {self.pg_port})")
        started = time.monotonic()
        self._stack = Stack(
            self.run_dir, overrides={**free_ports(), **self.settings}, postgres_port=self.pg_port, quiet=True
        ).start()
        self.phases["stack start"] = time.monotonic() - started

    def stop_stack(self) -> None:
        if self._stack is None:
            return
        say("stopping the stack")
        self._stack.stop()
        shutil.rmtree(self.run_dir / "postgres", ignore_errors=True)  # a few GB of seeded rows

    def manage(self, *args: str, timeout: float = 900) -> str:
        result = self.stack.manage(*args, timeout=timeout)
        if result.returncode != 0:
            raise BenchFailure(f"manage.py {args[0]} failed:\n{result.stdout[-1500:]}\n{result.stderr[-3000:]}")
        return result.stdout

    def psql(self, query: str) -> list[list[str]]:
        result = subprocess.run(
            ["psql", "-h", "127.0.0.1", "-p", str(self.pg_port), "-U", "postgres", "-d", "auth", "-At"]
            + ["-F", "\t", "-c", query],
            capture_output=True,
            text=True,
            timeout=120,
        )
        if result.returncode != 0:
            raise BenchFailure(f"psql failed: {result.stderr.strip()}")
        return [line.split("\t") for line in result.stdout.strip().splitlines()]

    def database_activity(self) -> tuple[dict[str, list[int]], int]:
        """Rows written per table (inserted, updated, deleted) and transactions so far, from
        PostgreSQL's cumulative statistics."""
        tables = {name: [int(ins), int(upd), int(dele)] for name, ins, upd, dele in self.psql(ROW_WRITES_SQL)}
        ((transactions,),) = self.psql(TRANSACTIONS_SQL)
        return tables, int(transactions)

    def token_counts(self) -> TokenCounts:
        ((expired, live),) = self.psql(TOKEN_COUNTS_SQL)
        return TokenCounts(expired=int(expired), live=int(live))

    # -- wrk ---------------------------------------------------------------------------------
    def wrk(
        self,
        what: str,
        path: str,
        *,
        duration: int,
        headers: dict[str, str] | None = None,
        script: str = "report.lua",
        env: dict[str, str] | None = None,
        timeout_s: int = 10,
        connections: int | None = None,
    ) -> Load:
        argv = wrk_argv(
            self.gateway + path,
            duration=duration,
            connections=connections or self.args.connections,
            headers=headers,
            script=script,
            timeout_s=timeout_s,
        )
        result = subprocess.run(
            argv, cwd=WRK_DIR, capture_output=True, text=True, timeout=duration + 120, env={**os.environ, **(env or {})}
        )
        return self.check(what, parse_wrk(result.stdout, result.stderr, result.returncode))

    def check(self, what: str, data: Load) -> Load:
        if data.errors.total:
            self.problems.append(
                f"{what}: {records.to_json(data.errors)} (non-2xx answers or socket errors) in {data.requests} requests"
            )
        if not data.requests:
            self.problems.append(f"{what}: no request completed")
        return data

    # -- the measurements ----------------------------------------------------------------------
    def seed(self) -> None:
        say(f"seeding {self.args.users} users and {self.args.tokens} tokens (bench_seed)")
        started = time.monotonic()
        self.manage(
            "bench_seed",
            *("--users", str(self.args.users), "--tokens", str(self.args.tokens)),
            *("--password-accounts", str(self.args.password_accounts)),
            *("--totp-accounts", str(self.args.totp_accounts)),
            *("--passkey-accounts", str(self.args.passkey_accounts)),
            *("--out", str(self.credentials_path)),
        )
        self.phases["seed"] = time.monotonic() - started
        credentials = json.loads(self.credentials_path.read_text())
        self._credentials = credentials
        self.seed_record = records.from_json(
            Seed, {key: credentials[key] for key in ("counts", "hasher", "seconds")}, "bench_seed"
        )
        self.levels = sorted(credentials["users"], key=int)
        say(f"seeded: {credentials['counts']} in {self.phases['seed']:.0f} s")

    def check_payloads(self) -> None:
        """Every variant answers 200, and the authenticated ones exactly the same user payload
        (me_factors: the same shape, of the twin with second factors; allauth's own endpoint: its
        own payload, authenticated, of the same user)."""
        mismatches = []
        for level in self.levels:
            user = self.credentials["users"][level]
            bodies = {}
            for name, (path, headers) in VARIANTS.items():
                response = requests.get(self.gateway + path, headers=headers(user), timeout=30)
                if response.status_code != 200:
                    raise BenchFailure(f"{name} at {level} tokens: {response.status_code} {response.text[:300]}")
                bodies[name] = response.json()
            mismatches += [f"{name}@{level}" for name in SAME_PAYLOAD if bodies[name] != bodies["me"]]
            for name in ALLAUTH_OWN:
                meta, allauth_user = bodies[name].get("meta", {}), bodies[name].get("data", {}).get("user", {})
                seen = {key: allauth_user.get(key) for key in ("id", "email")}
                if not meta.get("is_authenticated") or seen != {"id": user["user_id"], "email": user["email"]}:
                    mismatches.append(f"{name}@{level}")
            twin = bodies["me_factors"]
            if twin.get("id") != user["factors"]["user_id"] or set(twin) != set(bodies["me"]):
                mismatches.append(f"me_factors@{level}")
        if mismatches:
            raise BenchFailure(f"payloads differ from /api/auth/me/: {mismatches}")
        self.payload_identical = True

    def variants_at(self, level: str) -> list[str]:
        """The variants loaded at this token level (LOWEST_LEVEL_ONLY: at the lowest only)."""
        return [name for name in VARIANTS if name not in LOWEST_LEVEL_ONLY or level == self.levels[0]]

    def measure_authentication(self) -> tuple[dict[str, list[int]], int]:
        self.check_payloads()
        duration, rounds = self.args.duration, self.args.rounds
        say("warm-up: every variant for 1 s (the payload check above touched every token level)")
        for name, (path, headers) in VARIANTS.items():
            level = self.levels[-1]
            self.wrk(f"warm-up {name}@{level}", path, duration=1, headers=headers(self.credentials["users"][level]))
        activity_before = self.database_activity()
        per_round = sum(len(self.variants_at(level)) for level in self.levels)
        say(
            f"authentication: {rounds} rounds x {len(self.levels)} token levels x up to {len(VARIANTS)} variants "
            f"({per_round} runs a round; {', '.join(LOWEST_LEVEL_ONLY)} at {self.levels[0]} token(s) only) "
            f"x {duration} s, shuffled"
        )
        started = time.monotonic()
        runs = []
        for round_number in range(1, rounds + 1):
            for level in self.rng.sample(self.levels, len(self.levels)):
                user = self.credentials["users"][level]
                names = self.variants_at(level)
                for name in self.rng.sample(names, len(names)):
                    path, headers = VARIANTS[name]
                    data = self.wrk(
                        f"{name}@{level} round {round_number}", path, duration=duration, headers=headers(user)
                    )
                    runs.append(
                        AuthRun(
                            round=round_number,
                            level=level,
                            variant=name,
                            rps=data.rps,
                            requests=data.requests,
                            latency_ms=data.latency_ms,
                            errors=data.errors,
                        )
                    )
            say(f"round {round_number}/{rounds} done")
        self.phases["authentication load"] = time.monotonic() - started
        self.auth = Auth(
            runs=runs, rounds=rounds, duration_s=duration, connections=self.args.connections, levels=self.levels
        )
        return activity_before

    def measure_database_activity_under_load(self, before: tuple[dict[str, list[int]], int]) -> None:
        # PostgreSQL flushes a backend's statistics within 10 s of it going idle.
        time.sleep(11)
        (tables_before, transactions_before), (tables_after, transactions_after) = before, self.database_activity()
        delta = {}
        for table, counts in tables_after.items():
            previous = tables_before.get(table, [0, 0, 0])
            inserted, updated, deleted = (now - then for now, then in zip(counts, previous, strict=True))
            if inserted or updated or deleted:
                delta[table] = TableWrites(inserted=inserted, updated=updated, deleted=deleted)
        runs = measured(self.auth, "authentication").runs
        self.writes_under_load = WritesUnderLoad(
            tables=delta,
            transactions=transactions_after - transactions_before,
            authenticated_requests=sum(run.requests for run in runs if run.variant != "ceiling"),
            requests_by_variant={name: sum(run.requests for run in runs if run.variant == name) for name in VARIANTS},
        )

    def count_queries(self) -> None:
        say("counting SQL queries and writes per request (bench_count_queries)")
        out = self.run_dir / "queries.json"
        self.manage("bench_count_queries", "--credentials", str(self.credentials_path), "--out", str(out))
        self.queries = records.from_json(Queries, json.loads(out.read_text()), "bench_count_queries")
        say("timing the authentication step alone, in-process (bench_auth_timing)")
        out = self.run_dir / "auth-timing.json"
        self.manage(
            "bench_auth_timing",
            *("--credentials", str(self.credentials_path), "--seed", str(self.args.seed), "--out", str(out)),
        )
        self.auth_timing = records.from_json(AuthTiming, json.loads(out.read_text()), "bench_auth_timing")

    def login_env(self) -> dict[str, str]:
        return {
            "BENCH_EMAILS": ",".join(self.credentials["login_emails"]),
            "BENCH_PASSWORD": self.credentials["password"],
        }

    def measure_login(self, what: str) -> Load:
        return self.wrk(
            what,
            "/api/auth/login/",
            duration=self.args.login_duration,
            script="login.lua",
            env=self.login_env(),
            timeout_s=30,
            connections=8,
        )

    def login_kinds(self) -> dict[str, tuple[second_factors.Login, second_factors.AccountPool[Any]]]:
        """Each kind of login of the comparison, and the pool of its accounts (bench_seed's). Made
        once per run: the accounts carry state the API checks (a passkey's counter, a TOTP
        account's last step)."""
        if self._login_kinds is None:
            self._login_kinds = self.make_login_kinds()
        return self._login_kinds

    def make_login_kinds(self) -> dict[str, tuple[second_factors.Login, second_factors.AccountPool[Any]]]:
        accounts, password = self.credentials["login_accounts"], self.credentials["password"]
        totp = [second_factors.totp_account(entry) for entry in accounts["totp"]]
        # The password login with the security log and without it: the same accounts, one pool.
        password_pool = second_factors.AccountPool(
            [second_factors.PasswordAccount(a["email"]) for a in accounts["password"]]
        )
        return {
            "password": (second_factors.password_login(password), password_pool),
            "password_no_log": (
                second_factors.password_login(password, second_factors.LOGIN_WITHOUT_LOG),
                password_pool,
            ),
            "totp": (
                second_factors.totp_login(password),
                second_factors.AccountPool(totp, ready=second_factors.TotpAccount.ready),
            ),
            "passkey": (
                second_factors.passkey_login(self.credentials["webauthn"]["origin"]),
                second_factors.AccountPool([second_factors.passkey(entry) for entry in accounts["passkey"]]),
            ),
        }

    def security_log_counts(self) -> tuple[int, int]:
        """`signed_in` events and new-device alerts in the database so far."""
        ((events, alerts),) = self.psql(
            "SELECT (SELECT count(*) FROM accounts_securityevent WHERE kind = 'signed_in'), "
            "(SELECT count(*) FROM accounts_signinalert)"
        )
        return int(events), int(alerts)

    def known_devices(self, emails: Sequence[str]) -> int:
        """KnownDevice rows of these accounts."""
        # bench_seed's own addresses, each quoted as an SQL string literal.
        listed = ", ".join("'" + email.replace("'", "''") + "'" for email in emails)
        query = f"{KNOWN_DEVICES_SQL} WHERE u.email IN ({listed})"  # noqa: S608
        ((count,),) = self.psql(query)
        return int(count)

    def count_mail(self, addresses: set[str], expected: int, timeout: float) -> int:
        """Emails in MailDev to any of `addresses`, once `expected` have arrived or at `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            emails = requests.get(f"{self.stack.mail_ui_url}/email", timeout=30).json()
            count = sum(
                1
                for email in emails
                if any(recipient.get("address") in addresses for recipient in email.get("to") or [])
            )
            if count >= expected or time.monotonic() >= deadline:
                return count
            time.sleep(0.5)

    @staticmethod
    def flow_run(number: int, kind: str, outcome: second_factors.Outcome) -> LoginFlowRun:
        latencies = outcome.latency_ms()
        return LoginFlowRun(
            round=number,
            kind=kind,
            logins=len(latencies),
            seconds=outcome.seconds,
            logins_per_s=len(latencies) / outcome.seconds if outcome.seconds else 0.0,
            latency_ms=FlowLatency(
                p50=percentile(latencies, 0.5),
                p95=percentile(latencies, 0.95),
                max=max(latencies, default=None),
            ),
            steps_p50_ms=outcome.steps_p50_ms(),
            failed=len(outcome.failures),
        )

    def round_order(self) -> list[str]:
        """One round's kinds in shuffled order, with the password login with and without the
        security log back to back (in either order): theirs is the closest ratio of the comparison,
        and the shared machine's load moves less over two adjacent runs than over four."""
        pair = self.rng.sample(["password", "password_no_log"], 2)
        blocks = [pair, *[[kind] for kind in second_factors.KINDS if kind not in pair]]
        return [kind for block in self.rng.sample(blocks, len(blocks)) for kind in block]

    def measure_second_factor_logins(self) -> None:
        clients, duration, rounds = (
            self.args.login_clients,
            self.args.factor_login_duration,
            self.args.factor_login_rounds,
        )
        kinds = self.login_kinds()
        host, port = self.gateway.removeprefix("http://").split(":")
        password = self.credentials["password"]
        emails = [account["email"] for account in self.credentials["login_accounts"]["password"]]
        failures: list[str] = []

        def drive(kind: str, seconds: float, login: second_factors.Login | None = None) -> second_factors.Outcome:
            own_login, pool = kinds["password" if kind == "password_new_device" else kind]
            outcome = second_factors.drive(
                login or own_login, pool, host=host, port=int(port), clients=clients, seconds=seconds
            )
            failures.extend(f"{kind}: {failure}" for failure in outcome.failures)
            return outcome

        started = time.monotonic()
        # The comparison's password logins are from a device the account knows: the same client
        # (127.0.0.1, one User-Agent) logs every account in once first; the first login of an
        # account records its device and alerts nobody (there is no other device to tell apart).
        say(f"security log: each of the {len(emails)} password accounts logs in once, so that its device is known")
        primed = second_factors.prime(
            second_factors.password_login(password),
            [second_factors.PasswordAccount(email) for email in emails],
            host=host,
            port=int(port),
            clients=clients,
        )
        failures.extend(f"priming: {failure}" for failure in primed.failures)
        known = self.known_devices(emails)
        if known != len(emails):
            self.problems.append(
                f"security log: the {len(emails)} password accounts know {known} devices after logging in "
                "once each (expected one each)"
            )
        say(f"logins with second factors: warm-up, every kind for 2 s with {clients} clients")
        warm_up = sum(len(drive(kind, 2).logins) for kind in second_factors.KINDS)
        say(
            f"logins with second factors and the security log: {rounds} rounds x {len(kinds)} kinds x {duration} s, "
            f"shuffled, {clients} clients (one Python client for all: bench/second_factors.py)"
        )
        events_before, alerts_before = self.security_log_counts()
        runs = []
        for number in range(1, rounds + 1):
            for kind in self.round_order():
                run = self.flow_run(number, kind, drive(kind, duration))
                runs.append(run)
                if not run.logins:
                    self.problems.append(f"{kind} logins, round {number}: no login completed")
            say(f"round {number}/{rounds} done")
        events_after, alerts_after = self.security_log_counts()
        expected_events = sum(run.logins for run in runs if run.kind != "password_no_log")
        if events_after - events_before != expected_events:
            # The login without the log wrote events, or one with it did not: the comparison is off.
            self.problems.append(
                f"security log: {events_after - events_before} sign-in events during the rounds, expected "
                f"{expected_events} (every login but those without the log)"
            )
        if alerts_after != alerts_before:
            self.problems.append(
                f"security log: {alerts_after - alerts_before} new-device alerts during the rounds, "
                "whose logins were all from known devices"
            )

        # For information: the same logins from a new device each time (a new network), each with
        # its alert email; one run, after the rounds, then the emails are waited for.
        say(f"security log: password logins from new devices for {duration} s (an alert email each)")
        requests.delete(f"{self.stack.mail_ui_url}/email/all", timeout=30)
        networks = second_factors.NewNetworks()
        new_login = second_factors.new_device_login(password, networks)
        new_device = self.flow_run(0, "password_new_device", drive("password_new_device", duration, new_login))
        _, alerts_new = self.security_log_counts()
        new_alerts = alerts_new - alerts_after
        emails_arrived = self.count_mail(set(emails), new_alerts, timeout=90)
        if not new_device.logins:
            self.problems.append("password logins from new devices: no login completed")
        if new_alerts != new_device.logins or emails_arrived != new_alerts:
            self.problems.append(
                f"password logins from new devices: {new_device.logins} logins, {new_alerts} alerts, "
                f"{emails_arrived} alert emails arrived (expected one of each per login)"
            )
        requests.delete(f"{self.stack.mail_ui_url}/email/all", timeout=30)

        pools = {id(pool): pool for _, pool in kinds.values()}  # the two password logins share one
        waits = sum(pool.waits for pool in pools.values())
        if failures:
            self.problems.append(f"logins with second factors: {len(failures)} failed, e.g. {failures[:3]}")
        if waits:
            # A client that waits puts less load on the stack: the comparison would be skewed.
            self.problems.append(
                f"logins with second factors: clients waited {waits} times for an account; seed more "
                "(--totp-accounts: each takes one code per 30-s step)"
            )
        self.second_factor_logins = SecondFactorLogins(
            clients=clients,
            duration_s=duration,
            rounds=rounds,
            accounts={kind: len(pool) for kind, (_, pool) in kinds.items()},
            warm_up_logins=warm_up,
            runs=runs,
            waits=waits,
            failures=failures[:5],
            security_log=SecurityLogCheck(
                primed_accounts=len(emails),
                primed_logins=len(primed.logins),
                known_devices=known,
                signed_in_events=events_after - events_before,
                expected_events=expected_events,
                alerts=alerts_after - alerts_before,
                new_device=new_device,
                new_device_alerts=new_alerts,
                new_device_emails=emails_arrived,
            ),
        )
        self.phases["logins with second factors"] = time.monotonic() - started

    def wait_for_mail(self, wanted: set[str], timeout: float) -> dict[str, float]:
        """Arrival time (epoch) of the first email to each wanted address: when MailDev wrote it."""
        arrivals: dict[str, float] = {}
        deadline = time.monotonic() + timeout
        while len(arrivals) < len(wanted) and time.monotonic() < deadline:
            polled = time.time()
            for email in requests.get(f"{self.stack.mail_ui_url}/email", timeout=30).json():
                for recipient in email.get("to") or []:
                    address = recipient.get("address")
                    if address in wanted and address not in arrivals:
                        try:
                            arrivals[address] = os.stat(email["source"]).st_mtime
                        except (KeyError, OSError):
                            arrivals[address] = polled
            time.sleep(0.2)
        return arrivals

    def measure_register_burst(self) -> None:
        # Warm-up, not measured: each worker's first sign-up loads what later ones reuse (the
        # common-passwords list, templates), as the authentication load had its warm-up.
        warm_up = [f"warm-up-{uuid.uuid4().hex[:6]}-{n}@example.com" for n in range(2 * self.args.workers)]
        say(f"register-to-inbox: warm-up, {len(warm_up)} registrations")

        def register(address: str) -> int:
            return requests.post(
                f"{self.gateway}/api/auth/register/",
                timeout=120,
                json={"email": address, "password": self.credentials["password"]},
            ).status_code

        with ThreadPoolExecutor(max_workers=len(warm_up)) as pool:
            statuses = list(pool.map(register, warm_up))
        if set(statuses) != {201}:
            self.problems.append(f"register warm-up: answers {sorted(set(statuses))}, expected 201")
        self.wait_for_mail(set(warm_up), timeout=60)
        bursts = [self.register_burst(number) for number in range(1, self.args.register_bursts + 1)]

        def median_of(values: list[float | None]) -> float | None:
            present = [value for value in values if value is not None]
            return statistics.median(present) if present else None

        self.register = Register(
            count=self.args.registrations,
            bursts=bursts,
            warm_up=len(warm_up),
            answered_201=sum(burst.answered_201 for burst in bursts),
            arrived=sum(burst.arrived for burst in bursts),
            expected=self.args.registrations * len(bursts),
            # Each figure is the median over the bursts of that burst's percentile.
            inbox_s=InboxTimes(
                p50=median_of([burst.inbox_s.p50 for burst in bursts]),
                p95=median_of([burst.inbox_s.p95 for burst in bursts]),
                max=max((burst.inbox_s.max for burst in bursts if burst.inbox_s.max), default=None),
            ),
            after_response_s=Percentiles(
                p50=median_of([burst.after_response_s.p50 for burst in bursts]),
                p95=median_of([burst.after_response_s.p95 for burst in bursts]),
            ),
            response_s=Percentiles(
                p50=median_of([burst.response_s.p50 for burst in bursts]),
                p95=median_of([burst.response_s.p95 for burst in bursts]),
            ),
        )

    def register_burst(self, number: int) -> RegisterBurst:
        count = self.args.registrations
        say(f"register-to-inbox: burst {number}/{self.args.register_bursts} of {count} registrations")
        requests.delete(f"{self.stack.mail_ui_url}/email/all", timeout=30)
        time.sleep(2)  # let the previous phase's stragglers (mail, autovacuum) settle
        run = uuid.uuid4().hex[:6]
        addresses = [f"burst-{run}-{n}@example.com" for n in range(count)]
        barrier = threading.Barrier(count)

        host, port = self.gateway.removeprefix("http://").split(":")

        def register(address: str) -> tuple[str, float, float, int]:
            # http.client on a connection opened before the start: the client shares the 2 cores
            # with the stack, and requests.Session cost about 1.5 times its CPU.
            body = json.dumps({"email": address, "password": self.credentials["password"]})
            connection = http.client.HTTPConnection(host, int(port), timeout=120)
            try:
                connection.connect()
                barrier.wait()
                started = time.time()
                connection.request(
                    "POST", "/api/auth/register/", body=body, headers={"Content-Type": "application/json"}
                )
                response = connection.getresponse()
                response.read()
                return address, started, time.time(), response.status
            finally:
                connection.close()

        with ThreadPoolExecutor(max_workers=count) as pool:
            answers = list(pool.map(register, addresses))
        failed = [(address, status) for address, _, _, status in answers if status != 201]
        if failed:
            self.problems.append(
                f"register burst {number}: {len(failed)} of {count} answers were not 201, e.g. {failed[:3]}"
            )
        arrivals = self.wait_for_mail(set(addresses), timeout=120)
        if len(arrivals) < count:
            self.problems.append(
                f"register burst {number}: only {len(arrivals)} of {count} confirmation emails arrived"
            )
        from_request = [arrivals[a] - started for a, started, _, _ in answers if a in arrivals]
        from_response = [arrivals[a] - answered for a, _, answered, _ in answers if a in arrivals]
        responses = [answered - started for _, started, answered, _ in answers]
        first_start = min(started for _, started, _, _ in answers)
        return RegisterBurst(
            count=count,
            answered_201=count - len(failed),
            arrived=len(arrivals),
            inbox_s=InboxTimes(
                p50=percentile(from_request, 0.5),
                p95=percentile(from_request, 0.95),
                max=max(from_request, default=None),
            ),
            after_response_s=Percentiles(p50=percentile(from_response, 0.5), p95=percentile(from_response, 0.95)),
            response_s=Percentiles(p50=percentile(responses, 0.5), p95=percentile(responses, 0.95)),
            burst_s=max(arrivals.values(), default=first_start) - first_start,
        )

    def measure_mailer_throughput(self) -> None:
        count = self.args.mailer_messages
        say(f"mailer throughput: {count} contract-v1 messages straight onto the queue")
        requests.delete(f"{self.stack.mail_ui_url}/email/all", timeout=30)
        prefix = f"mailer-{uuid.uuid4().hex[:6]}"
        enqueued = last_json_line(self.manage("bench_enqueue_mail", "--count", str(count), "--prefix", prefix))
        wanted = {f"{prefix}-{n}@example.com" for n in range(count)}
        arrivals = sorted(self.wait_for_mail(wanted, timeout=180).values())
        if len(arrivals) < count:
            self.problems.append(f"mailer throughput: only {len(arrivals)} of {count} emails arrived")
        span = arrivals[-1] - arrivals[0] if len(arrivals) > 1 else None
        self.mailer = Mailer(
            count=count,
            arrived=len(arrivals),
            sustained_per_s=(len(arrivals) - 1) / span if span else None,
            end_to_end_per_s=len(arrivals) / (arrivals[-1] - enqueued["started_at"]) if arrivals else None,
            enqueue_s=enqueued["finished_at"] - enqueued["started_at"],
            first_email_after_s=arrivals[0] - enqueued["started_at"] if arrivals else None,
            threads=self.stack.env.get("MAILER_THREADS", "4"),
        )
        requests.delete(f"{self.stack.mail_ui_url}/email/all", timeout=30)

    def measure_rss(self) -> None:
        processes = []
        api = self.stack.process("api").pid
        processes.append(ProcessRss(service="api", role="gunicorn master", pid=api, rss_kib=read_rss_kib(api)))
        for pid in sorted(child_pids(api)):
            processes.append(ProcessRss(service="api", role="gunicorn worker", pid=pid, rss_kib=read_rss_kib(pid)))
        mailer = self.stack.process("mailer").pid
        processes.append(ProcessRss(service="mailer", role="dramatiq main", pid=mailer, rss_kib=read_rss_kib(mailer)))
        for pid in sorted(child_pids(mailer)):
            processes.append(
                ProcessRss(
                    service="mailer",
                    role="dramatiq worker process",
                    pid=pid,
                    command=process_name(pid),
                    rss_kib=read_rss_kib(pid),
                )
            )
        self.rss = processes

    def measure_first_load_js(self) -> None:
        script = WEB_DIR / "scripts" / "first-load-size.mjs"
        if not script.exists():
            raise BenchFailure(f"{script.relative_to(ROOT)} is missing: it measures the first-load JavaScript")
        result = subprocess.run(["node", str(script)], capture_output=True, text=True, timeout=60, cwd=WEB_DIR)
        lines = [line for line in result.stdout.splitlines() if line.startswith("{")]
        if not lines:
            raise BenchFailure(f"first-load-size.mjs printed nothing: {result.stderr.strip()}")
        self.first_load_js = records.from_json(
            FirstLoadJs,
            {**json.loads(lines[-1]), "measured_by": "node services/web/scripts/first-load-size.mjs"},
            "first-load-size.mjs",
        )

    def measure_cleanup(self) -> None:
        count = self.args.expired
        say(f"token cleanup: seeding {count} expired tokens")
        started = time.monotonic()
        seeded = last_json_line(self.manage("bench_seed_expired_tokens", "--count", str(count)))
        seed_seconds = time.monotonic() - started
        before_counts = self.token_counts()
        say(f"seeded in {seed_seconds:.0f} s ({records.to_json(before_counts)}); logins just before the cleanup")
        login_before = self.measure_login("login before cleanup")

        say("logins during the cleanup (clear_expired_tokens)")
        argv = wrk_argv(
            self.gateway + "/api/auth/login/",
            duration=self.args.cleanup_timeout,
            connections=8,
            script="login.lua",
            timeout_s=30,
        )
        load = subprocess.Popen(
            argv,
            cwd=WRK_DIR,
            env={**os.environ, **self.login_env()},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            time.sleep(1.0)
            cleanup_started = time.monotonic()
            output = self.manage("clear_expired_tokens", timeout=self.args.cleanup_timeout)
            cleanup_seconds = time.monotonic() - cleanup_started
        finally:
            if load.poll() is None:
                load.send_signal(signal.SIGINT)  # wrk prints its summary on SIGINT
            stdout, stderr = load.communicate(timeout=60)
        login_during = self.check("login during cleanup", parse_wrk(stdout, stderr, load.returncode))
        match = CLEANUP_SUMMARY.search(output)
        if not match:
            raise BenchFailure(f"clear_expired_tokens printed no summary: {output!r}")
        after_counts = self.token_counts()
        self.cleanup = Cleanup(
            seeded=seeded["expired_tokens"],
            seed_s=seed_seconds,
            before=before_counts,
            after=after_counts,
            deleted=int(match.group(1)),
            batches=int(match.group(2)),
            summary=output.strip().splitlines()[-1],
            cleanup_s=cleanup_seconds,
            login_before=login_before,
            login_during=login_during,
        )
        self.phases["cleanup"] = time.monotonic() - started

    def machine(self) -> Machine:
        versions = subprocess.run(
            [
                str(API_PYTHON),
                "-c",
                "import importlib.metadata as m, platform; print(platform.python_version()); "
                "[print(p, m.version(p)) for p in ('Django', 'djangorestframework', 'django-rest-knox', "
                "'djangorestframework-simplejwt', 'django-allauth', 'gunicorn', 'argon2-cffi', 'webauthn', "
                "'pyotp')]",
            ],
            capture_output=True,
            text=True,
            timeout=60,
        ).stdout.splitlines()
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")
            ),
            platform.processor(),
        )
        memory_kib = int(Path("/proc/meminfo").read_text().split()[1])
        commit = command_output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
        dirty = command_output(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"])
        return Machine(
            date=datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            cores=os.cpu_count(),
            cpu=cpu,
            memory_gib=round(memory_kib / 1024 / 1024, 1),
            os=command_output(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
            python=versions[0] if versions else platform.python_version(),
            packages=dict(line.split(" ", 1) for line in versions[1:]),
            postgresql=command_output([str(PG_BIN / "postgres"), "--version"]),
            nginx=command_output(["nginx", "-v"]),
            wrk=command_output(["wrk", "--version"]).split(" [")[0],
            commit=commit + (" + uncommitted changes" if dirty not in ("", "unknown") else ""),
        )

    def run(self) -> None:
        self.start_stack()
        self.seed()
        activity_before = self.measure_authentication()
        started = time.monotonic()
        self.measure_first_load_js()
        self.measure_rss()  # after the authentication load
        self.measure_database_activity_under_load(activity_before)
        self.count_queries()
        say("login: 8 concurrent clients")
        self.login = self.measure_login("login")
        self.phases["queries, login"] = time.monotonic() - started
        self.measure_second_factor_logins()
        started = time.monotonic()
        self.measure_register_burst()
        self.measure_mailer_throughput()
        self.phases["mail"] = time.monotonic() - started
        self.measure_cleanup()


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5, help="Interleaved rounds (default 5).")
    parser.add_argument("--duration", type=int, default=3, help="Seconds per wrk run (default 3).")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections (default 8).")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4, 2 per core).")
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--tokens", type=int, default=200_000)
    parser.add_argument("--expired", type=int, default=1_000_000, help="Expired tokens for the cleanup.")
    parser.add_argument("--login-duration", type=int, default=10, help="Seconds of each login measurement.")
    parser.add_argument(
        "--login-clients", type=int, default=4, help="Clients of the second-factor login comparison (default 4)."
    )
    # Many short rounds: on a shared machine a burst of someone else's load spoils a round or two,
    # and the median of ten per-round ratios shrugs them off better than the median of five.
    parser.add_argument(
        "--factor-login-rounds", type=int, default=10, help="Rounds of the second-factor login comparison (default 10)."
    )
    parser.add_argument(
        "--factor-login-duration",
        type=int,
        default=4,
        help="Seconds of each run of the second-factor login comparison (default 4).",
    )
    parser.add_argument("--password-accounts", type=int, default=200, help="Accounts for password logins.")
    parser.add_argument(
        "--totp-accounts",
        type=int,
        default=4000,
        help="Accounts for password + TOTP logins (each logs in once per 30-s step at most; default 4000).",
    )
    parser.add_argument("--passkey-accounts", type=int, default=200, help="Accounts for passkey logins.")
    parser.add_argument("--registrations", type=int, default=100, help="Registrations per burst (default 100).")
    parser.add_argument("--register-bursts", type=int, default=3, help="Bursts, a median is reported (default 3).")
    parser.add_argument("--mailer-messages", type=int, default=500)
    parser.add_argument("--cleanup-timeout", type=int, default=600)
    parser.add_argument("--seed", type=int, default=None, help="Shuffle seed (default: random, printed).")
    parser.add_argument(
        "--started-at",
        type=float,
        default=None,
        help="Epoch when `make bench` started (to report the total, installs included).",
    )
    parser.add_argument("--out-dir", default=str(RESULTS_DIR), help="Where latest.md and latest.png go.")
    args = parser.parse_args(argv)
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(1_000_000)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.time()
    bench = Bench(args)
    failure = None
    try:
        bench.run()
    except (BenchFailure, RuntimeError, subprocess.SubprocessError, requests.RequestException, SystemExit) as exc:
        failure = f"{type(exc).__name__}: {exc}"
    finally:
        bench.stop_stack()
    if failure:
        print(f"\nBENCHMARK FAILED: {failure}\nlogs: {bench.run_dir}/logs/", file=sys.stderr)
        return 1
    finished = time.time()
    run = RunInfo(
        command="make bench"
        if args.started_at
        else "bench/.venv/bin/python -m bench.run " + " ".join(argv or sys.argv[1:]),
        arguments={key: value for key, value in vars(args).items() if key not in ("started_at", "out_dir")},
        driver_s=finished - started,
        make_total_s=finished - args.started_at if args.started_at else None,
        setup_s=started - args.started_at if args.started_at else None,
        run_dir=str(bench.run_dir.relative_to(ROOT)),
    )
    results = bench.results(bench.machine(), run)
    (bench.run_dir / "results.json").write_text(records.dumps(results))
    out_dir = Path(args.out_dir)
    summary = report.write(results, out_dir / "latest.md", out_dir / "latest.png")
    print(summary)
    prune_old_runs()
    if bench.problems:
        print("\nBENCHMARK FAILED:\n  " + "\n  ".join(bench.problems), file=sys.stderr)
        return 1
    return 0


def prune_old_runs(keep: int = 3) -> None:
    runs = sorted(path for path in RUNS_DIR.glob("*") if path.is_dir())
    for path in runs[:-keep]:
        shutil.rmtree(path, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
