"""Turns bench/run.py's measurements into bench/results/latest.md and latest.png.

Ratios are computed per round (both sides measured minutes apart at most, in shuffled order)
and the median across rounds is reported; the absolute figures are printed beside them, never
compared with a fixed number, because this machine's two cores are shared and noisy.

It reads bench/records.py's Results, so a stored run can be rendered again, from the root:
`bench/.venv/bin/python -m bench.report bench/runs/<run>/results.json --out-dir <dir>`.
"""

import argparse
import statistics
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from bench import records
from bench.records import AuthRun, Load, LoginFlowRun, Results, SecondFactorLogins

LABELS = {
    "me": "`/api/auth/me/`, header token (this project)",
    "me_cookie": "`/api/auth/me/`, browser cookie (this project)",
    "me_factors": "`/api/auth/me/`, header token, account with TOTP + passkey (this project)",
    "knox": "stock knox `TokenAuthentication`",
    "drf_token": "DRF `TokenAuthentication`",
    "jwt": "simplejwt `JWTAuthentication`",
    "allauth_db": "django-allauth headless, its session endpoint (`X-Session-Token`, database sessions)",
    "allauth_redis": "django-allauth headless, its session endpoint (`X-Session-Token`, Redis sessions)",
    "allauth_drf_db": "DRF view + allauth `XSessionTokenAuthentication` (database sessions)",
    "allauth_drf_redis": "DRF view + allauth `XSessionTokenAuthentication` (Redis sessions)",
    "ceiling": "ceiling: no authentication, no database",
}
SHORT = {
    "me": "me (header)",
    "me_cookie": "me (cookie)",
    "me_factors": "me (with factors)",
    "knox": "stock knox",
    "drf_token": "DRF token",
    "jwt": "simplejwt",
    "allauth_db": "allauth headless (DB sessions)",
    "allauth_redis": "allauth headless (Redis sessions)",
    "allauth_drf_db": "DRF + allauth XSessionTokenAuthentication (DB sessions)",
    "allauth_drf_redis": "DRF + allauth XSessionTokenAuthentication (Redis sessions)",
    "ceiling": "ceiling",
}
ORDER = list(LABELS)
# The plot's names, where SHORT's are too long for one bar group.
PLOT_SHORT = {
    "me": "me\n(header)",
    "me_cookie": "me\n(cookie)",
    "me_factors": "me\n(with factors)",
    "allauth_db": "allauth headless\n(DB sessions)",
    "allauth_redis": "allauth headless\n(Redis sessions)",
    "allauth_drf_db": "DRF + allauth\nXSessionToken…\n(DB sessions)",
    "allauth_drf_redis": "DRF + allauth\nXSessionToken…\n(Redis sessions)",
}
ALLAUTH = ("allauth_db", "allauth_redis", "allauth_drf_db", "allauth_drf_redis")
# Through the gateway: (other variant, /api/auth/me/ at least this many times its requests per second).
RPS_TARGETS = (("jwt", 1.0), ("knox", 1.5), ("allauth_db", 4.0))
# The second factors' tables: an authenticated request of an account with factors writes none.
FACTOR_TABLES = (
    "accounts_totpdevice",
    "accounts_webauthncredential",
    "accounts_webauthnuserhandle",
    "accounts_recoverycode",
    "accounts_loginchallenge",
    "accounts_webauthnchallenge",
)
LOGIN_LABELS = {
    "password": "password (`login/`), with the security log and device check",
    "password_no_log": "password without them (`bench/login-without-log/`)",
    "totp": "password + TOTP (`login/` → `login/mfa/`)",
    "passkey": "passkey (`login/passkey/begin/` → `login/passkey/`)",
}
LOGIN_SHORT = {
    "password": "password",
    "password_no_log": "password without the log",
    "password_new_device": "password from a new device",
    "totp": "password + TOTP",
    "passkey": "passkey",
}
# Login targets: (kind, at most this many times a password login's p50).
LOGIN_TARGETS = (("totp", 1.35), ("passkey", 1.0))
# The security log and device check: a password login with them at most this many times the same
# login without them (logins/s without ÷ with, per round, median).
SECURITY_LOG_MAXIMUM = 1.10

# A table cell for a variant not loaded at that token level.
NOT_LOADED = "–"

# A target: (what, measured, detail, met).
Target = tuple[str, str, str, bool]


# -- numbers ----------------------------------------------------------------------------------
def median(values: Sequence[float]) -> float | None:
    return statistics.median(values) if values else None


def fmt(value: float | None, digits: int = 0, unit: str = "") -> str:
    if value is None:
        return "n/a"
    return f"{value:,.{digits}f}{unit}"


def ratio_text(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f}×"


def verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**MISS**"


def by_round(runs: list[AuthRun], level: str) -> list[dict[str, AuthRun]]:
    rounds: dict[int, dict[str, AuthRun]] = {}
    for run in runs:
        if run.level == level:
            rounds.setdefault(run.round, {})[run.variant] = run
    return [rounds[number] for number in sorted(rounds)]


def ratios(runs: list[AuthRun], level: str, numerator: str, denominator: str) -> list[float]:
    """rps(numerator) / rps(denominator), one value per round at this token level."""
    return [
        r[numerator].rps / r[denominator].rps
        for r in by_round(runs, level)
        if numerator in r and denominator in r and r[denominator].rps
    ]


def flat_ratios(runs: list[AuthRun], variant: str, high: str, low: str) -> list[float]:
    """rps at `high` tokens / rps at `low` tokens, per round."""
    values = []
    for number in sorted({run.round for run in runs}):
        pair = {run.level: run.rps for run in runs if run.round == number and run.variant == variant}
        if pair.get(high) and pair.get(low):
            values.append(pair[high] / pair[low])
    return values


def login_ratios(runs: list[LoginFlowRun], kind: str, base: str = "password") -> list[float]:
    """p50 of whole `kind` logins / p50 of whole `base` logins, one value per round."""
    rounds: dict[int, dict[str, LoginFlowRun]] = {}
    for run in runs:
        rounds.setdefault(run.round, {})[run.kind] = run
    values = []
    for number in sorted(rounds):
        pair = rounds[number]
        if kind in pair and base in pair:
            top, bottom = pair[kind].latency_ms.p50, pair[base].latency_ms.p50
            if top is not None and bottom:
                values.append(top / bottom)
    return values


def login_rounds(runs: list[LoginFlowRun]) -> list[dict[str, LoginFlowRun]]:
    """The runs of each round, by kind, in round order."""
    rounds: dict[int, dict[str, LoginFlowRun]] = {}
    for run in runs:
        rounds.setdefault(run.round, {})[run.kind] = run
    return [rounds[number] for number in sorted(rounds)]


def throughput_ratios(runs: list[LoginFlowRun], numerator: str, denominator: str) -> list[float]:
    """logins/s of `numerator` / logins/s of `denominator`, one value per round."""
    return [
        pair[numerator].logins_per_s / pair[denominator].logins_per_s
        for pair in login_rounds(runs)
        if numerator in pair and denominator in pair and pair[denominator].logins_per_s
    ]


def security_log_ratios(logins: SecondFactorLogins) -> tuple[list[float], list[float]]:
    """Per round: throughput (logins/s without the log ÷ with it) and p50 latency (with ÷ without)."""
    return (
        throughput_ratios(logins.runs, "password_no_log", "password"),
        login_ratios(logins.runs, "password", base="password_no_log"),
    )


def login_kinds(logins: SecondFactorLogins) -> list[str]:
    """The kinds this run measured, in LOGIN_LABELS' order (older runs have no "password_no_log")."""
    return [kind for kind in LOGIN_LABELS if any(run.kind == kind for run in logins.runs)]


def login_stat(runs: list[LoginFlowRun], kind: str, pick: Callable[[LoginFlowRun], float | None]) -> float | None:
    """The median over the rounds of one figure of `kind`'s runs."""
    values = [value for run in runs if run.kind == kind and (value := pick(run)) is not None]
    return median(values)


def step_p50(runs: list[LoginFlowRun], kind: str, index: int) -> float | None:
    """The median over the rounds of the p50 of request `index` of `kind`'s logins."""
    return median([run.steps_p50_ms[index] for run in runs if run.kind == kind and len(run.steps_p50_ms) > index])


def stat(
    runs: list[AuthRun], level: str, variant: str, pick: Callable[[AuthRun], float]
) -> tuple[float | None, float | None, float | None]:
    values = [pick(run) for run in runs if run.level == level and run.variant == variant]
    return median(values), (min(values) if values else None), (max(values) if values else None)


def measured_levels(runs: list[AuthRun], variant: str, levels: list[str]) -> list[str]:
    """The token levels at which `variant` was loaded (bench/run.py's LOWEST_LEVEL_ONLY: not all)."""
    loaded = {run.level for run in runs if run.variant == variant}
    return [level for level in levels if level in loaded]


def measured_variants(runs: list[AuthRun]) -> list[str]:
    """The variants of this run, in ORDER (older runs have no allauth)."""
    loaded = {run.variant for run in runs}
    return [variant for variant in ORDER if variant in loaded]


def series_text(values: list[float]) -> str:
    return ", ".join(f"{value:.2f}" for value in values) or "n/a"


# -- the targets ------------------------------------------------------------------------------
def targets(results: Results) -> list[Target]:
    """[(target, measured, detail, ok)] for every target of the issue, in its order."""
    rows = []
    auth = results.auth
    runs, levels = auth.runs, auth.levels
    for other, minimum in RPS_TARGETS:
        for level in measured_levels(runs, other, levels):
            values = ratios(runs, level, "me", other)
            value = median(values)
            rows.append(
                (
                    f"`/api/auth/me/` rps ≥ {minimum:.1f}× {SHORT[other]}, {level} token(s)",
                    ratio_text(value),
                    f"rounds: {series_text(values)}",
                    value is not None and value >= minimum,
                )
            )
    low, high = levels[0], levels[-1]
    values = flat_ratios(runs, "me", high, low)
    value = median(values)
    rows.append(
        (
            f"flat in tokens per user: rps at {high} ≥ 0.9× rps at {low} token(s)",
            ratio_text(value),
            f"rounds: {series_text(values)}",
            value is not None and value >= 0.9,
        )
    )

    queries = results.queries
    for variant in ("me", "me_cookie", "me_factors"):
        counted = [queries.levels[level][variant] for level in queries.levels]
        ok = all(c.steady.queries == 1 and c.steady.writes == 0 and c.authentication.queries == 1 for c in counted)
        health = max(c.steady.health_checks for c in counted)
        detail = "the whole request, counted at every token level"
        if variant == "me_factors":
            # Only a target about second factors if the account really has them.
            accounts = queries.factor_accounts.values()
            ok = ok and all(a.totp and a.webauthn_credentials and a.recovery_codes for a in accounts)
            detail += (
                "; an account with an authenticator app, "
                f"{min(a.webauthn_credentials for a in accounts)} passkey and "
                f"{min(a.recovery_codes for a in accounts)} recovery codes (read back from the database)"
            )
        rows.append(
            (
                f"{SHORT[variant]}: exactly 1 SQL query and 0 writes per authenticated request (steady state)",
                f"{max(c.steady.queries for c in counted)} query, {max(c.steady.writes for c in counted)} writes",
                detail + (f"; plus {health} connection health check `SELECT 1` (see notes)" if health else ""),
                ok,
            )
        )
    touch = queries.touch
    writes = [step.writes for step in touch.timeline]
    expected = [0, 1, 0, 0, 1, 0]
    rows.append(
        (
            "touch (sliding renewal + last_seen) written at most once per interval per token",
            " → ".join(str(w) for w in writes) + " writes",
            f"requests at {', '.join(step.at for step in touch.timeline)} "
            f"(interval {touch.interval_seconds:.0f} s, clock patched)",
            writes == expected,
        )
    )
    under_load = results.writes_under_load
    token_writes = sum(t.inserted + t.updated + t.deleted for name, t in under_load.tables.items() if "token" in name)
    # Two tokens per level take requests: the benchmark user's (me, me_cookie, knox) and its twin's.
    budget = 2 * len(levels) * (1 + int(results.phases["authentication load"] // touch.interval_seconds) + 1)
    rows.append(
        (
            "no write per request under load (token tables, PostgreSQL statistics)",
            f"{token_writes} row writes / {under_load.authenticated_requests:,} requests",
            f"at most one touch per token per interval allows {budget}",
            token_writes <= budget,
        )
    )
    factor_writes = sum(
        t.inserted + t.updated + t.deleted for name, t in under_load.tables.items() if name in FACTOR_TABLES
    )
    rows.append(
        (
            f"{SHORT['me_factors']}: no second-factor table written under load",
            f"{factor_writes} row writes / {under_load.requests_by_variant.get('me_factors', 0):,} requests",
            "TOTP devices, passkeys, user handles, recovery codes, login and WebAuthn challenges "
            "(PostgreSQL statistics over the whole authentication load)",
            factor_writes == 0 and under_load.requests_by_variant.get("me_factors", 0) > 0,
        )
    )

    logins = results.second_factor_logins
    for kind, maximum in LOGIN_TARGETS:
        values = login_ratios(logins.runs, kind)
        value = median(values)
        rows.append(
            (
                f"{LOGIN_SHORT[kind]} login ≤ {maximum:.2f}× a password login (p50 of the whole login)",
                ratio_text(value),
                f"rounds: {series_text(values)}; {logins.clients} clients, the same Python client for both",
                value is not None and value <= maximum,
            )
        )
    check = logins.security_log
    if check is not None:  # runs from before the security log was measured have none
        log_throughput, log_latency = security_log_ratios(logins)
        value = median(log_throughput)
        known = check.known_devices == check.primed_accounts and check.alerts == 0
        rows.append(
            (
                "password login with the security log and device check ≤ "
                f"{SECURITY_LOG_MAXIMUM:.2f}× the same login without them (throughput)",
                ratio_text(value),
                f"logins/s without ÷ with, per round: {series_text(log_throughput)}; p50 latency with ÷ without "
                f"{ratio_text(median(log_latency))} (rounds: {series_text(log_latency)}); "
                f"{len(log_throughput)} rounds, {logins.clients} clients, the same accounts and Python client "
                "for both. Every login from a device its account already knew: "
                f"{check.known_devices} known devices for {check.primed_accounts} accounts, "
                f"{check.alerts} alerts during the rounds"
                + ("" if known else " (**not so: the comparison is not of known devices**)"),
                value is not None and value <= SECURITY_LOG_MAXIMUM and known,
            )
        )

    register = results.register
    p95 = register.inbox_s.p95
    rows.append(
        (
            f"register-to-inbox p95 ≤ 2 s, burst of {register.count}",
            fmt(p95, 2, " s"),
            f"median of {len(register.bursts)} bursts (p95 per burst: "
            f"{', '.join(fmt(burst.inbox_s.p95, 2, ' s') for burst in register.bursts)}); p50 "
            f"{fmt(register.inbox_s.p50, 2, ' s')}; of which request → 201 p95 "
            f"{fmt(register.response_s.p95, 2, ' s')} and 201 → inbox p95 "
            f"{fmt(register.after_response_s.p95, 2, ' s')}; {register.arrived}/{register.expected} arrived",
            p95 is not None and p95 <= 2.0 and register.arrived == register.expected,
        )
    )
    first_load = results.first_load_js
    total, budget_bytes = first_load.total_gzip_bytes, first_load.budget_bytes
    rows.append(
        (
            f"first-load JavaScript ≤ {budget_bytes / 1024:.0f} KB gzipped",
            f"{total / 1024:.1f} KB ({total:,} bytes)",
            f"budget {budget_bytes:,} bytes",
            total <= budget_bytes,
        )
    )
    cleanup = results.cleanup
    during, before = cleanup.login_during, cleanup.login_before
    throughput = during.rps / before.rps if before.rps else None
    slower = during.latency_ms.p95 / before.latency_ms.p95 if before.latency_ms.p95 else None
    failed = during.errors.total
    ok = (
        cleanup.batches > 1
        and cleanup.after.expired == 0
        and failed == 0
        and during.requests > 0
        and slower is not None
        and slower <= 3.0
    )
    rows.append(
        (
            f"cleanup of {cleanup.seeded:,} expired tokens in batches, logins not locked out",
            f"{cleanup.batches} batches in {fmt(cleanup.cleanup_s, 1, ' s')}; login p95 "
            f"{ratio_text(slower)}, throughput {ratio_text(throughput)} of just before",
            f"{during.requests} logins during it, {failed} failed; {cleanup.after.expired} expired "
            "tokens left. PASS: several batches, none left, no failed login, login p95 ≤ 3× just before",
            ok,
        )
    )
    return rows


def notes(results: Results) -> list[str]:
    """What the targets table alone would hide."""
    lines = ["Notes:", ""]
    steady = results.queries.levels[results.auth.levels[-1]]["me"].steady
    if steady.health_checks:
        lines.append(
            f"* Besides its {steady.queries} query, every request that touches the database makes "
            f"{steady.health_checks} more round trip: Django's connection health check (`SELECT 1`, "
            "`CONN_HEALTH_CHECKS = True` in config/settings.py), the same for every variant."
        )
    register = results.register
    lines.append(
        f"* Register to inbox: of the p95 {fmt(register.inbox_s.p95, 2, ' s')}, the request until "
        f"its 201 answer takes p95 {fmt(register.response_s.p95, 2, ' s')} (each sign-up hashes a "
        f"password: {fmt(results.seed.hasher.one_hash_ms, 0, ' ms')} per Argon2 hash, "
        f"{register.count} of them on {results.machine.cores} cores); from the 201 answer to the "
        f"inbox, the mail path itself, p95 {fmt(register.after_response_s.p95, 2, ' s')}."
    )
    timing = results.auth_timing
    level = sorted(timing.request, key=int)[0]
    request, step = timing.request[level], timing.authentication[level]
    lines.append(
        f"* In-process, without HTTP ({level} token): a whole `/api/auth/me/` request takes "
        f"{fmt(request['me'].median, 0, ' µs')} against {fmt(request['jwt'].median, 0, ' µs')} "
        f"for simplejwt and {fmt(request['knox'].median, 0, ' µs')} for stock knox; its "
        f"authentication step alone {fmt(step['me'].median, 0, ' µs')} against "
        f"{fmt(step['jwt'].median, 0, ' µs')} and {fmt(step['knox'].median, 0, ' µs')}. For an account "
        f"with second factors: {fmt(request['me_factors'].median, 0, ' µs')} and "
        f"{fmt(step['me_factors'].median, 0, ' µs')}."
    )
    lines += allauth_notes(results)
    logins = results.second_factor_logins
    steps = {kind: [step_p50(logins.runs, kind, index) for index in range(2)] for kind in ("totp", "passkey")}
    lines.append(
        "* Logins: a password login's p50 "
        f"{fmt(login_stat(logins.runs, 'password', lambda run: run.latency_ms.p50), 0, ' ms')} is mostly its "
        f"Argon2 hash ({fmt(results.seed.hasher.one_hash_ms, 0, ' ms')} on the idle stack, "
        f"{logins.clients} clients on {results.machine.cores} cores). With TOTP, the same `login/` "
        f"(p50 {fmt(steps['totp'][0], 0, ' ms')}) plus `login/mfa/` (p50 {fmt(steps['totp'][1], 0, ' ms')}); "
        f"a passkey hashes no password: `login/passkey/begin/` p50 {fmt(steps['passkey'][0], 0, ' ms')}, "
        f"`login/passkey/` p50 {fmt(steps['passkey'][1], 0, ' ms')}."
    )
    check = logins.security_log
    if check is not None:
        throughput, latency = security_log_ratios(logins)
        with_log = login_stat(logins.runs, "password", lambda run: run.latency_ms.p50)
        without = login_stat(logins.runs, "password_no_log", lambda run: run.latency_ms.p50)
        extra = with_log - without if with_log is not None and without is not None else None
        rate_with = login_stat(logins.runs, "password", lambda run: run.logins_per_s)
        rate_without = login_stat(logins.runs, "password_no_log", lambda run: run.logins_per_s)
        line = (
            "* The security log and device check, for a password login from a known device: p50 "
            f"{fmt(with_log, 0, ' ms')} with them against {fmt(without, 0, ' ms')} without "
            f"({'n/a' if extra is None else f'{extra:+.1f} ms'}), {fmt(rate_with, 1)} against "
            f"{fmt(rate_without, 1)} logins/s "
            f"(medians of the rounds; per round, throughput without ÷ with {ratio_text(median(throughput))}, "
            f"p50 with ÷ without {ratio_text(median(latency))}). The bench's logins are all from one client "
            "(127.0.0.1, one User-Agent) that had logged every account in once before the rounds, so each "
            "login updates its known device and writes its event, and none sends an alert "
            f"({check.alerts} alerts; {check.signed_in_events:,} sign-in events for {check.expected_events:,} "
            "logins with the log)."
        )
        new = check.new_device
        if new is not None:
            line += (
                f" From a new device each time (one run of {new.seconds:.0f} s after the rounds, for "
                f"information): p50 {fmt(new.latency_ms.p50, 0, ' ms')}, {fmt(new.logins_per_s, 1)} logins/s, "
                f"{check.new_device_alerts} alerts, {check.new_device_emails} alert emails arrived."
            )
        lines.append(line)
    return [*lines, ""]


def allauth_notes(results: Results) -> list[str]:
    """What the allauth variants are, and where they were loaded (none in older runs)."""
    runs, levels = results.auth.runs, results.auth.levels
    if not any(run.variant in ALLAUTH for run in runs):
        return []
    loaded = measured_levels(runs, "allauth_db", levels)
    top = results.queries.levels[levels[-1]]
    counts = {
        variant: f"{top[variant].steady.queries} queries"
        + (f" + {top[variant].steady.redis_commands} Redis commands" if top[variant].steady.redis_commands else "")
        for variant in ALLAUTH
        if variant in top
    }
    seed = results.seed.counts
    return [
        "* django-allauth headless (its app client: a session token in `X-Session-Token`): its own "
        "`GET …/_allauth/app/v1/auth/session` (allauth's payload) and a DRF view with its "
        "`XSessionTokenAuthentication` (this project's payload), each with the session in the database "
        "(allauth's default) and in Redis (Django's cache-backed sessions); the URL prefix chooses the store "
        "(`/api/bench/allauth/db/`, `/api/bench/allauth/redis/`). Every benchmark user has as many allauth "
        f"sessions as tokens in each store ({fmt(seed.allauth_db_sessions)} in the database, "
        f"{fmt(seed.allauth_redis_sessions)} in Redis). Under load at {' and '.join(loaded)} token(s) only "
        "(a session is found by its key, whatever the user's other sessions); counted and timed in-process at "
        f"every level, below. Per request at {levels[-1]} token(s), besides the health check: "
        + "; ".join(f"{SHORT[variant]} {text}" for variant, text in counts.items())
        + "."
    ]


# -- the markdown ---------------------------------------------------------------------------
def table(header: list[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def authentication_section(results: Results) -> list[str]:
    auth = results.auth
    runs, levels = auth.runs, auth.levels
    seed = results.seed.counts
    lines = [
        "## Authentication: `GET` of the same user payload",
        "",
        f"Through the gateway (nginx → gunicorn, {results.settings['GUNICORN_WORKERS']} sync workers), wrk with "
        f"1 thread and {auth.connections} connections, {auth.duration_s} s per run; {auth.rounds} rounds, "
        f"and in each round every token level and every variant in shuffled order. Database: "
        f"{seed.users:,} users and {seed.tokens:,} tokens (PostgreSQL). Requests per second, median of the "
        "rounds [lowest–highest]:",
        "",
    ]
    header = ["variant", *[f"{level} token(s)" for level in levels]]
    variants = measured_variants(runs)
    rows = []
    for variant in variants:
        cells = []
        for level in levels:
            middle, low, high = stat(runs, level, variant, lambda run: run.rps)
            cells.append(NOT_LOADED if middle is None else f"{fmt(middle)} [{fmt(low)}–{fmt(high)}]")
        rows.append([LABELS[variant], *cells])
    lines += [table(header, rows), "", "Latency, median of the rounds: p50 / p99 in ms.", ""]
    rows = []
    for variant in variants:
        cells = []
        for level in levels:
            p50 = stat(runs, level, variant, lambda run: run.latency_ms.p50)[0]
            p99 = stat(runs, level, variant, lambda run: run.latency_ms.p99)[0]
            cells.append(NOT_LOADED if p50 is None else f"{fmt(p50, 2)} / {fmt(p99, 2)}")
        rows.append([LABELS[variant], *cells])
    lines += [table(header, rows), "", "Ratios of requests per second, computed per round, median of the rounds:", ""]
    rows = []
    for numerator, denominator in (
        ("me", "jwt"),
        ("me", "knox"),
        ("me", "drf_token"),
        *(("me", variant) for variant in ALLAUTH),
        ("me_cookie", "me"),
        ("me_factors", "me"),
        ("me", "ceiling"),
    ):
        if denominator not in variants:
            continue
        cells = []
        for level in levels:
            values = ratios(runs, level, numerator, denominator)
            cells.append(ratio_text(median(values)) if values else NOT_LOADED)
        rows.append([f"{SHORT[numerator]} / {SHORT[denominator]}", *cells])
    lines.append(table(["ratio", *[f"{level} token(s)" for level in levels]], rows))
    if any(variant in ALLAUTH for variant in variants):
        lines += ["", f"{NOT_LOADED}: not loaded at that level (bench/run.py's `LOWEST_LEVEL_ONLY`)."]
    lines += [
        "",
        f"Cost against tokens per user (rps at {levels[-1]} / rps at {levels[0]} token(s), per round, median):",
        "",
    ]
    rows = [
        [SHORT[variant], ratio_text(median(flat_ratios(runs, variant, levels[-1], levels[0])))]
        for variant in variants
        if variant != "ceiling" and levels[-1] in measured_levels(runs, variant, levels)
    ]
    lines.append(table(["variant", "ratio"], rows))
    return lines + auth_timing_lines(results)


def auth_timing_lines(results: Results) -> list[str]:
    timing = results.auth_timing
    levels = sorted(timing.request, key=int)
    lines = [
        "",
        "### The same, in-process (no HTTP)",
        "",
        "`manage.py bench_auth_timing`, against the same database and settings: the whole request through Django "
        "(middleware, view, serializer, JSON; the connection re-armed per request as under gunicorn), and the "
        "authentication step alone (DRF authenticating a request with the view's own classes). Batches of "
        f"{timing.calls} calls interleaved in shuffled order, {timing.rounds} rounds; microseconds per call, "
        "median of the batches. Much less noisy than the requests above, so it shows which side of a close ratio "
        "the code itself is on.",
        "",
    ]
    rows = []
    timed = [name for name in ORDER if name in timing.request[levels[0]]]
    for name in timed:
        cells = []
        for level in levels:
            request = timing.request[level][name].median
            step = timing.authentication[level].get(name)  # none for the ceiling: no authentication step
            cells.append(f"{fmt(request, 0)} / {fmt(step.median, 0) if step is not None else '–'}")
        rows.append([LABELS[name], *cells])
    lines.append(table(["variant (µs: request / authentication)", *[f"{level} token(s)" for level in levels]], rows))
    lines += [
        "",
        "Speed of `/api/auth/me/` relative to the others, in-process (their µs / ours; above 1: ours is faster):",
        "",
    ]
    rows = []
    for other in ("jwt", "knox", "drf_token", *(name for name in ALLAUTH if name in timed)):
        for what, timings in (("request", timing.request), ("authentication", timing.authentication)):
            rows.append(
                [
                    f"{SHORT[other]}, {what}",
                    *[ratio_text(timings[level][other].median / timings[level]["me"].median) for level in levels],
                ]
            )
    lines.append(table(["compared with", *[f"{level} token(s)" for level in levels]], rows))
    lines += [
        "",
        "This project's authentication step also fetches the user's role names (the payload's `roles`), "
        "which the other variants fetch afterwards with a second query, so compare whole requests. For allauth's "
        "own endpoint, which is no DRF view, the authentication step is allauth's session token lookup and its "
        "user (`authenticate_by_x_session_token`, what `XSessionTokenAuthentication` calls).",
    ]
    return lines


def queries_section(results: Results) -> list[str]:
    queries = results.queries
    levels = list(queries.levels)
    top = levels[-1]
    lines = [
        "## SQL per request (counted)",
        "",
        "`manage.py bench_count_queries`: `django.test.Client` with `CaptureQueriesContext` against the benchmark "
        "database and settings. Two consecutive requests per variant; the second is the steady state. "
        '"Authentication step" counts only what DRF\'s authentication does for that view (a request built the same '
        f"way, its `request.user` evaluated). Figures for the {top}-token user:",
        "",
    ]
    rows = []
    for variant in (name for name in ORDER if name in queries.levels[top]):
        counted = queries.levels[top][variant]
        rows.append(
            [
                LABELS[variant],
                counted.steady.round_trips,
                counted.steady.health_checks,
                counted.steady.queries,
                counted.steady.writes,
                fmt(counted.steady.redis_commands),
                counted.authentication.queries,
                counted.authentication.writes,
                counted.first.writes,
            ]
        )
    lines.append(
        table(
            [
                "variant",
                "request: database round trips",
                "of which health check",
                "of which queries",
                "request: writes",
                "request: Redis commands",
                "authentication: queries",
                "authentication: writes",
                "first request: writes",
            ],
            rows,
        )
    )
    lines += [
        "",
        "The health check is Django's `CONN_HEALTH_CHECKS` (`SELECT 1` on the raw connection before the "
        "first query of every request that uses the database; CaptureQueriesContext does not see it, so it is "
        "counted by wrapping `is_usable`). The comparison variants fetch the payload's `roles` (the user's "
        "groups) with a query of their own after authenticating; this project's authentication query brings "
        "the role names along; allauth's own endpoint fetches the user's email addresses (`account_emailaddress`) "
        "for its payload instead. allauth finds a session in two steps (its `SessionTokenStrategy.lookup_session`: "
        "does the session exist, then load it): two queries with database sessions, `EXISTS` then `GET` in Redis "
        "(Redis commands are counted at redis-py).",
    ]

    def counts(level: str) -> dict[str, tuple[int, int, int]]:
        return {
            variant: (c.steady.queries, c.steady.writes, c.authentication.queries)
            for variant, c in queries.levels[level].items()
        }

    same = all(counts(level) == counts(top) for level in levels)
    lines += [
        "",
        f"The counts are the same at {', '.join(levels)} token(s): {'yes' if same else 'NO'} "
        "(stock knox's second query returns every token of the user: 1 row, then 100, then 1000).",
        "",
        "Steady-state SQL of `/api/auth/me/` (header token):",
        "",
        "```sql",
    ]
    lines += queries.levels[top]["me"].steady.sql
    lines += ["```", "", "and of stock knox:", "", "```sql"]
    lines += queries.levels[top]["knox"].steady.sql
    lines += ["```", ""]
    touch = queries.touch
    lines += [
        f"The touch (sliding renewal and `last_seen`) as the clock moves past "
        f"`TOKEN_LAST_SEEN_INTERVAL_SECONDS` = {touch.interval_seconds:.0f} (clock patched, not slept):",
        "",
    ]
    lines.append(
        table(["request at", "queries", "writes"], [[step.at, step.queries, step.writes] for step in touch.timeline])
    )
    under_load = results.writes_under_load
    lines += [
        "",
        f"Row writes during the whole authentication load ({under_load.authenticated_requests:,} "
        "authenticated requests), from PostgreSQL's table statistics:",
        "",
    ]
    table_rows = [[f"`{name}`", t.inserted, t.updated, t.deleted] for name, t in sorted(under_load.tables.items())]
    lines.append(table(["table", "inserted", "updated", "deleted"], table_rows or [["(none)", 0, 0, 0]]))
    expected = sum(
        requests * queries.levels[top][variant].steady.round_trips
        for variant, requests in under_load.requests_by_variant.items()
    )
    measured = under_load.transactions
    lines += [
        "",
        f"Cross-check on the server side: PostgreSQL committed {measured:,} transactions during that load "
        f"(autocommit: one per statement; the outbox relay's polling adds a few every 2 s), against "
        f"{expected:,} expected from the round trips counted above × the requests wrk completed "
        f"({measured / expected:.1%})."
        if expected
        else "",
    ]
    return lines


def login_section(results: Results) -> list[str]:
    login = results.login
    hasher = results.seed.hasher
    params = ", ".join(f"{key} {value}" for key, value in hasher.parameters.items())
    return [
        "## Login",
        "",
        f"`POST /api/auth/login/` through the gateway, 8 concurrent clients (wrk, 8 connections) for "
        f"{login.seconds:.0f} s, eight different accounts in turn. Password hasher: {hasher.algorithm} "
        f"({params}; memory in KiB), the project's first `PASSWORD_HASHERS` entry; one hash takes "
        f"{fmt(hasher.one_hash_ms, 0, ' ms')} on the idle stack.",
        "",
        table(
            ["logins/s", "p50", "p95", "p99", "logins", "failed"],
            [
                [
                    fmt(login.rps, 1),
                    fmt(login.latency_ms.p50, 0, " ms"),
                    fmt(login.latency_ms.p95, 0, " ms"),
                    fmt(login.latency_ms.p99, 0, " ms"),
                    login.requests,
                    login.errors.total,
                ]
            ],
        ),
    ]


def second_factor_section(results: Results) -> list[str]:
    logins = results.second_factor_logins
    runs = logins.runs
    kinds = login_kinds(logins)
    accounts = ", ".join(
        f"{count:,} {LOGIN_SHORT[kind]}" for kind, count in logins.accounts.items() if kind != "password_no_log"
    )
    if "password_no_log" in logins.accounts:
        accounts += "; the password login with and without the security log take turns with the same accounts"
    rows = []
    for kind in kinds:
        # Runs from before the security log was measured: their password login had none.
        label = "password (`login/`)" if kind == "password" and logins.security_log is None else LOGIN_LABELS[kind]
        mine = [run for run in runs if run.kind == kind]
        steps = len(mine[0].steps_p50_ms) if mine else 0
        rows.append(
            [
                label,
                steps,
                fmt(login_stat(runs, kind, lambda run: run.logins_per_s), 1),
                fmt(login_stat(runs, kind, lambda run: run.latency_ms.p50), 0, " ms"),
                fmt(login_stat(runs, kind, lambda run: run.latency_ms.p95), 0, " ms"),
                fmt(
                    max((run.latency_ms.max for run in mine if run.latency_ms.max is not None), default=None), 0, " ms"
                ),
                " + ".join(fmt(step_p50(runs, kind, index), 0, " ms") for index in range(steps)),
                sum(run.logins for run in mine),
                sum(run.failed for run in mine),
            ]
        )
    count = {2: "two", 3: "three", 4: "four"}.get(len(kinds), str(len(kinds)))
    lines = [
        "## Logins with second factors" + (" and the security log" if logins.security_log is not None else ""),
        "",
        f"The same Python client for the {count} kinds (`bench/second_factors.py`: {logins.clients} threads, each "
        f"with one kept `http.client` connection to the gateway), logging in without pause for "
        f"{logins.duration_s} s per run; {logins.rounds} rounds, the {count} kinds in shuffled order in each, "
        f"after a warm-up of 2 s per kind ({logins.warm_up_logins} logins, not measured). A login is timed from "
        "its first request's start to the answer with the token. The accounts (`bench_seed`: "
        f"{accounts}) are made alike (one precomputed password hash, the member role) and differ only in their "
        "factors; a TOTP account logs in at most once per 30-s step (the replay guard), so there are enough "
        "of them that no client waits "
        f"({logins.waits} waits). Median of the rounds; logins and failures summed.",
        "",
        table(
            ["login", "requests", "logins/s", "p50", "p95", "max", "p50 per request", "logins", "failed"],
            rows,
        ),
        "",
        "p50 of the whole login against a password login's, per round, median of the rounds:",
        "",
    ]
    ratio_rows = []
    for kind, maximum in LOGIN_TARGETS:
        values = login_ratios(runs, kind)
        ratio_rows.append(
            [f"{LOGIN_SHORT[kind]} / password", ratio_text(median(values)), f"≤ {maximum:.2f}×", series_text(values)]
        )
    lines.append(table(["ratio", "median", "target", "rounds"], ratio_rows))
    lines += [
        "",
        "A password login checks the password (one Argon2id hash: "
        f"{fmt(results.seed.hasher.one_hash_ms, 0, ' ms')} on the idle stack) and creates the token"
        + (
            ", then, with the security log, looks its device up and updates it (`KnownDevice`, by a keyed hash "
            "of the user-agent family and the /24 network) and writes its sign-in event, in the same transaction"
            if logins.security_log is not None
            else ""
        )
        + ". With an "
        "authenticator app, `login/` checks the same password and answers a challenge instead (stored as a "
        "SHA-256, bound to the account's state); `login/mfa/` takes the challenge under its row lock, spends "
        "and gives back a unit of the second-factor budget, decrypts the seed (Fernet) and compares the codes "
        "of three steps (HMAC-SHA-1), records the step, and creates the token. A passkey login hashes no "
        "password: `login/passkey/begin/` stores a challenge, `login/passkey/` takes it, verifies one ECDSA "
        "P-256 signature (py_webauthn) and records the counter, and creates the token.",
    ]
    return lines + security_log_lines(results)


def security_log_lines(results: Results) -> list[str]:
    """The password login with the security log and device check against the same login without."""
    logins = results.second_factor_logins
    check = logins.security_log
    if check is None:
        return []
    throughput, latency = security_log_ratios(logins)
    rows = []
    for pair in login_rounds(logins.runs):
        with_log, without = pair.get("password"), pair.get("password_no_log")
        if with_log is None or without is None:
            continue
        rows.append(
            [
                with_log.round,
                fmt(with_log.logins_per_s, 1),
                fmt(without.logins_per_s, 1),
                ratio_text(without.logins_per_s / with_log.logins_per_s if with_log.logins_per_s else None),
                fmt(with_log.latency_ms.p50, 1, " ms"),
                fmt(without.latency_ms.p50, 1, " ms"),
                ratio_text(
                    with_log.latency_ms.p50 / without.latency_ms.p50
                    if with_log.latency_ms.p50 is not None and without.latency_ms.p50
                    else None
                ),
            ]
        )
    rows.append(
        [
            "**median**",
            fmt(login_stat(logins.runs, "password", lambda run: run.logins_per_s), 1),
            fmt(login_stat(logins.runs, "password_no_log", lambda run: run.logins_per_s), 1),
            f"**{ratio_text(median(throughput))}**",
            fmt(login_stat(logins.runs, "password", lambda run: run.latency_ms.p50), 1, " ms"),
            fmt(login_stat(logins.runs, "password_no_log", lambda run: run.latency_ms.p50), 1, " ms"),
            f"**{ratio_text(median(latency))}**",
        ]
    )
    lines = [
        "",
        "### The security log and the device check",
        "",
        "`POST /api/auth/login/` against `POST /api/bench/login-without-log/` (mounted with `BENCH_MODE` only): "
        "the same view, body, answer and limits, run inside `accounts.security_log.off()`, so no sign-in event, "
        "no device check and no alert. The two take turns in the rounds above with the same accounts, back to "
        "back in each round (in shuffled order). "
        f"**Target: with them at most {SECURITY_LOG_MAXIMUM:.2f}× without**, as throughput (logins/s without "
        "÷ with, per round, median of the rounds); the p50 latency ratio (with ÷ without) beside it. Per round "
        "(the medians of each column, the ratios' medians in bold):",
        "",
        table(
            [
                "round",
                "logins/s with",
                "logins/s without",
                "throughput: without ÷ with",
                "p50 with",
                "p50 without",
                "p50: with ÷ without",
            ],
            rows,
        ),
        "",
        "Every login of the comparison is from a device its account already knows: the benchmark's client is "
        "the same every time (127.0.0.1, one User-Agent: for an API client a device is its user-agent family "
        "and its /24 network), and before the warm-up it logged each of the "
        f"{check.primed_accounts} password accounts in once ({check.primed_logins} logins; an account's first "
        "login records its device and alerts nobody). Afterwards they knew "
        f"{check.known_devices} devices, one each; during the rounds PostgreSQL counted {check.alerts} new-device "
        f"alerts and {check.signed_in_events:,} sign-in events for {check.expected_events:,} logins with the "
        "log (the TOTP and passkey logins have it too: only the login without it writes none). So what the "
        "ratio shows is the steady case: one `UPDATE` of the known device and one `INSERT` of the event per "
        "login.",
    ]
    new = check.new_device
    if new is not None:
        with_log_p50 = login_stat(logins.runs, "password", lambda run: run.latency_ms.p50)
        with_log_rate = login_stat(logins.runs, "password", lambda run: run.logins_per_s)
        new_p50 = new.latency_ms.p50
        lines += [
            "",
            f"For information, not a target: one run of {new.seconds:.0f} s after the rounds, the same accounts "
            "and client logging in each time from a new device (a fresh connection from a loopback address of a "
            "/24 no login used before, which the gateway passes on as the client's address). Each such login "
            "also inserts the device, an alert (`SignInAlert`) and its email into the outbox, which the mailer "
            "delivers meanwhile on the same cores.",
            "",
            table(
                ["login", "logins/s", "p50", "p95", "max", "logins", "failed", "alerts", "alert emails arrived"],
                [
                    [
                        "password from a new device",
                        fmt(new.logins_per_s, 1),
                        fmt(new.latency_ms.p50, 0, " ms"),
                        fmt(new.latency_ms.p95, 0, " ms"),
                        fmt(new.latency_ms.max, 0, " ms"),
                        new.logins,
                        new.failed,
                        check.new_device_alerts,
                        check.new_device_emails,
                    ]
                ],
            ),
            "",
            "Against the rounds' known-device password login (medians): p50 "
            f"{ratio_text(new_p50 / with_log_p50 if new_p50 is not None and with_log_p50 else None)}, throughput "
            f"{ratio_text(with_log_rate / new.logins_per_s if with_log_rate and new.logins_per_s else None)} "
            "(known ÷ new); one run at another time, so a rough figure.",
        ]
    return lines


def mail_section(results: Results) -> list[str]:
    register, mailer = results.register, results.mailer
    hasher = results.seed.hasher
    return [
        "## Register to inbox",
        "",
        f"{register.count} `POST /api/auth/register/` at once (one thread and one open connection each, "
        f"released together), distinct addresses, in {len(register.bursts)} bursts 2 s apart, after "
        f"{register.warm_up} warm-up registrations (not measured). Latency per email from the "
        "start of its request to its arrival in MailDev (when MailDev wrote the message file); each figure is the "
        "median over the bursts of that burst's percentile (max: the highest of all).",
        "",
        table(
            ["", "p50", "p95", "max"],
            [
                [
                    "request start → inbox",
                    fmt(register.inbox_s.p50, 2, " s"),
                    fmt(register.inbox_s.p95, 2, " s"),
                    fmt(register.inbox_s.max, 2, " s"),
                ],
                [
                    "201 answer → inbox (the mail path alone)",
                    fmt(register.after_response_s.p50, 2, " s"),
                    fmt(register.after_response_s.p95, 2, " s"),
                    "",
                ],
                [
                    "request → 201 answer",
                    fmt(register.response_s.p50, 2, " s"),
                    fmt(register.response_s.p95, 2, " s"),
                    "",
                ],
            ],
        ),
        "",
        table(
            ["burst", "request start → inbox p50 / p95", "request → 201 p95", "201 → inbox p95", "arrived"],
            [
                [
                    str(number),
                    f"{fmt(burst.inbox_s.p50, 2, ' s')} / {fmt(burst.inbox_s.p95, 2, ' s')}",
                    fmt(burst.response_s.p95, 2, " s"),
                    fmt(burst.after_response_s.p95, 2, " s"),
                    f"{burst.arrived}/{burst.count}",
                ]
                for number, burst in enumerate(register.bursts, 1)
            ],
        ),
        "",
        f"Answered 201: {register.answered_201}/{register.expected}; emails arrived: "
        f"{register.arrived}/{register.expected}. Every registration hashes its password first "
        f"({hasher.algorithm}, {fmt(hasher.one_hash_ms, 0, ' ms')} "
        f"per hash on the idle stack), and {results.settings['GUNICORN_WORKERS']} workers share "
        f"{results.machine.cores} cores, so the burst's answers queue behind the hashing; the time from the "
        "201 answer to the inbox is the mail path itself (outbox, Redis, mailer with one kept SMTP connection per "
        "thread, MailDev).",
        "",
        "### Mailer throughput",
        "",
        f"{mailer.count} contract-v1 messages put straight on the queue (`manage.py bench_enqueue_mail`, "
        f"{fmt(mailer.enqueue_s, 2, ' s')} to enqueue), one mailer process "
        f"({mailer.threads} threads), delivered over SMTP to MailDev.",
        "",
        table(
            [
                "sustained (first to last arrival)",
                "end to end (enqueue start to last arrival)",
                "first email after",
                "arrived",
            ],
            [
                [
                    fmt(mailer.sustained_per_s, 1, " emails/s"),
                    fmt(mailer.end_to_end_per_s, 1, " emails/s"),
                    fmt(mailer.first_email_after_s, 2, " s"),
                    f"{mailer.arrived}/{mailer.count}",
                ]
            ],
        ),
    ]


def rss_section(results: Results) -> list[str]:
    rows = [[p.service, p.role, p.pid, fmt(p.rss_kib / 1024 if p.rss_kib else None, 1, " MiB")] for p in results.rss]
    workers = [p.rss_kib for p in results.rss if p.role == "gunicorn worker" and p.rss_kib]
    worker_median = median(workers)
    return [
        "## Memory",
        "",
        "VmRSS from `/proc` after the authentication load (shared pages are counted in every process).",
        "",
        table(["service", "process", "pid", "RSS"], rows),
        "",
        f"Per gunicorn worker: median {fmt(worker_median / 1024 if worker_median is not None else None, 1, ' MiB')}.",
    ]


def first_load_section(results: Results) -> list[str]:
    data = results.first_load_js
    rows = [[f"`{f.file}`", f"{f.bytes:,}", f"{f.gzip_bytes:,}"] for f in data.files]
    rows.append(["**total**", f"{sum(f.bytes for f in data.files):,}", f"**{data.total_gzip_bytes:,}**"])
    return [
        "## First-load JavaScript",
        "",
        f"Measured by `{data.measured_by}` on `services/web/dist` (gzip level 9).",
        "",
        table(["file", "bytes", "gzipped"], rows),
    ]


def cleanup_section(results: Results) -> list[str]:
    cleanup = results.cleanup
    before, during = cleanup.login_before, cleanup.login_during

    def row(name: str, login: Load) -> list[object]:
        return [
            name,
            fmt(login.rps, 1),
            fmt(login.latency_ms.p50, 0, " ms"),
            fmt(login.latency_ms.p95, 0, " ms"),
            fmt(login.latency_ms.max, 0, " ms"),
            login.requests,
            login.errors.total,
        ]

    rps_ratio = during.rps / before.rps if before.rps else None
    p95_ratio = during.latency_ms.p95 / before.latency_ms.p95 if before.latency_ms.p95 else None
    return [
        "## Expired-token cleanup",
        "",
        f"{cleanup.seeded:,} expired tokens seeded (`manage.py bench_seed_expired_tokens`, "
        f"{fmt(cleanup.seed_s, 0, ' s')}), then `manage.py clear_expired_tokens` (default batch size) while "
        "8 clients log in without pause. Before: "
        f"{cleanup.before.expired:,} expired and {cleanup.before.live:,} live tokens; after: "
        f"{cleanup.after.expired:,} expired and {cleanup.after.live:,} live.",
        "",
        f"The command's summary: `{cleanup.summary}` (measured {fmt(cleanup.cleanup_s, 1, ' s')}, "
        f"{fmt(cleanup.deleted / cleanup.cleanup_s if cleanup.cleanup_s else None, 0)} tokens/s).",
        "",
        table(
            ["logins", "per s", "p50", "p95", "max", "logins", "failed"],
            [row("just before the cleanup", before), row("during the cleanup", during)],
        ),
        "",
        f"During / before: throughput {ratio_text(rps_ratio)}, p95 {ratio_text(p95_ratio)}. The two cores are "
        "shared by the cleanup, PostgreSQL and the Argon2 hashing of every login, so some slowdown is CPU, not locks.",
    ]


def run_section(results: Results) -> list[str]:
    machine, run = results.machine, results.run
    packages = ", ".join(f"{name} {version}" for name, version in machine.packages.items())
    phases = ", ".join(f"{name} {seconds:.0f} s" for name, seconds in results.phases.items())
    total = run.make_total_s
    lines = [
        "## Run",
        "",
        f"* Command: `{run.command}` (driver arguments: "
        + ", ".join(f"{key}={value}" for key, value in run.arguments.items())
        + ")",
        f"* Machine: {machine.cores} cores ({machine.cpu}), {machine.memory_gib} GiB, {machine.os}",
        f"* Python {machine.python}; {machine.postgresql}; {machine.nginx}; {machine.wrk}",
        f"* {packages}",
        f"* Commit {machine.commit}; {machine.date}",
        "* Stack settings: " + ", ".join(f"`{key}={value}`" for key, value in results.settings.items()),
        f"* Duration: driver {run.driver_s / 60:.1f} min ({phases})"
        + (f"; `make bench` in all {total / 60:.1f} min, installs and checks included" if total else ""),
        f"* Raw measurements: `{run.run_dir}/results.json` (not committed)",
    ]
    return lines


def write(results: Results, markdown_path: Path, png_path: Path) -> str:
    """Writes the report and the plot; returns the summary to print."""
    rows = targets(results)
    misses = [row for row in rows if not row[3]]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (bench/run.py) on {results.machine.date}; see docs/performance.md for what is "
        "measured and why. Absolute figures depend on this noisy 2-core machine; the targets are ratios measured "
        "in the same run.",
        "",
        f"**{len(rows) - len(misses)} of {len(rows)} targets met.**"
        + (" Problems during the run: " + "; ".join(results.problems) if results.problems else ""),
        "",
        "## Targets",
        "",
        table(["target", "measured", "detail", "result"], [[t, m, d, verdict(ok)] for t, m, d, ok in rows]),
        "",
        *notes(results),
        f"![requests per second by variant and tokens per user]({Path(png_path).name})",
        "",
    ]
    for section in (
        authentication_section,
        queries_section,
        login_section,
        second_factor_section,
        mail_section,
        rss_section,
        first_load_section,
        cleanup_section,
        run_section,
    ):
        lines += [*section(results), ""]
    markdown_path.parent.mkdir(parents=True, exist_ok=True)
    markdown_path.write_text("\n".join(lines))
    plot(results, png_path)
    summary = [f"{verdict(ok).strip('*')}  {target}: {measured}" for target, measured, _, ok in rows]
    return "\n".join(["", *summary, "", f"report: {markdown_path}", f"plot:   {png_path}"])


# -- the plot ---------------------------------------------------------------------------------
def plot(results: Results, png_path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    auth = results.auth
    runs, levels = auth.runs, auth.levels
    variants = measured_variants(runs)
    figure, (axes, login_axes) = plt.subplots(
        2, 1, figsize=(max(11, 1.3 * len(variants)), 10), dpi=110, gridspec_kw={"height_ratios": [3, 2]}
    )
    width = 0.8 / len(levels)
    colors = ["#4c72b0", "#dd8452", "#55a868"]
    for index, level in enumerate(levels):
        middles, lows, highs, labels = [], [], [], []
        for variant in variants:
            middle, low, high = stat(runs, level, variant, lambda run: run.rps)
            if middle is None or low is None or high is None:  # not loaded at this level: no bar
                middles.append(float("nan"))
                lows.append(float("nan"))
                highs.append(float("nan"))
                labels.append("")
                continue
            middles.append(middle)
            lows.append(middle - low)
            highs.append(high - middle)
            labels.append(f"{middle:.0f}")
        positions = [x + (index - (len(levels) - 1) / 2) * width for x in range(len(variants))]
        bars = axes.bar(
            positions,
            middles,
            width,
            yerr=[lows, highs],
            capsize=3,
            label=f"{level} token(s) per user",
            color=colors[index % len(colors)],
        )
        axes.bar_label(bars, labels=labels, fontsize=7, padding=2)
    axes.set_xticks(range(len(variants)), [PLOT_SHORT.get(variant, SHORT[variant]) for variant in variants])
    axes.tick_params(axis="x", labelsize=8)
    axes.set_ylabel("requests per second (median of rounds, bars: min–max)")
    seed = results.seed.counts
    axes.set_title(
        f"GET of the same user payload through the gateway — {seed.users:,} users, "
        f"{seed.tokens:,} tokens, {results.machine.cores} cores, {results.machine.date}",
        fontsize=10,
    )
    axes.legend()
    axes.grid(axis="y", alpha=0.3)
    plot_logins(results, login_axes)
    figure.tight_layout()
    png_path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(png_path)
    plt.close(figure)


def plot_logins(results: Results, axes: Any) -> None:
    """p50 and p95 of whole logins per kind (median of rounds, bars: lowest–highest round)."""
    logins = results.second_factor_logins
    kinds = login_kinds(logins)
    check = logins.security_log
    new_device = [check.new_device] if check is not None and check.new_device is not None else []
    runs = [*logins.runs, *new_device]
    if new_device:
        kinds.append("password_new_device")
    width = 0.38
    for index, (name, pick, color) in enumerate(
        (
            ("p50", lambda run: run.latency_ms.p50, "#4c72b0"),
            ("p95", lambda run: run.latency_ms.p95, "#dd8452"),
        )
    ):
        middles, lows, highs = [], [], []
        for kind in kinds:
            values = [value for run in runs if run.kind == kind and (value := pick(run)) is not None]
            middle = median(values) or 0
            middles.append(middle)
            lows.append(middle - (min(values) if values else 0))
            highs.append((max(values) if values else 0) - middle)
        positions = [x + (index - 0.5) * width for x in range(len(kinds))]
        bars = axes.bar(positions, middles, width, yerr=[lows, highs], capsize=3, label=name, color=color)
        axes.bar_label(bars, labels=[f"{value:.0f}" for value in middles], fontsize=7, padding=2)
    labels = []
    for kind in kinds:
        if kind == "password_new_device":
            labels.append("password,\nnew device (1 run)")
            continue
        if kind == "password_no_log":
            value = median(security_log_ratios(logins)[0])
            labels.append(f"password,\nno security log\nwithout ÷ with: {ratio_text(value)} logins/s")
            continue
        value = median(login_ratios(logins.runs, kind)) if kind != "password" else None
        labels.append(LOGIN_SHORT[kind] + (f"\n{ratio_text(value)} password (p50)" if value is not None else ""))
    axes.set_xticks(range(len(kinds)), labels)
    axes.set_ylabel("ms per whole login (median of rounds)")
    axes.set_title(
        f"Logins through the gateway, {logins.clients} clients, the same Python client for each kind", fontsize=10
    )
    axes.legend()
    axes.grid(axis="y", alpha=0.3)


# -- rendering a stored run again -------------------------------------------------------------
def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.report", description="Render a stored results.json again.")
    parser.add_argument("results", type=Path, help="bench/runs/<run>/results.json, as bench/run.py wrote it")
    parser.add_argument("--out-dir", type=Path, required=True, help="Where latest.md and latest.png go.")
    args = parser.parse_args(argv)
    print(write(records.load(args.results), args.out_dir / "latest.md", args.out_dir / "latest.png"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
