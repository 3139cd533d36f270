"""The shape of a benchmark's results: what bench/run.py writes and bench/report.py reads.

One dataclass per record, and one generic conversion to and from JSON (`to_json`, `from_json`)
that follows their type annotations, so the writer and the reader cannot drift apart: a
results.json with a missing, extra or mistyped key is refused with its path (e.g.
`results.register.bursts[0].inbox_s.p95: expected a number, got 'x'`), not rendered half-right.

The JSON keys are the field names, in field order. Sub-records that come from elsewhere keep
that program's shape: `Seed` from `manage.py bench_seed`, `Queries` from `bench_count_queries`,
`AuthTiming` from `bench_auth_timing`, `FirstLoadJs` from services/web/scripts/first-load-size.mjs,
and `Load`'s figures from bench/wrk/report.lua.

Levels (tokens per user) are strings, as in those programs' JSON ("1", "100", "1000"); variants
are bench/run.py's VARIANTS names ("me", "me_cookie", "knox", "drf_token", "jwt", "ceiling",
"me_factors", and django-allauth headless' "allauth_db", "allauth_redis", "allauth_drf_db",
"allauth_drf_redis"); login kinds are bench/second_factors.py's KINDS ("password", "password_no_log", "totp",
"passkey"), and "password_new_device" for `SecurityLogCheck.new_device`.

Older results.json files stay loadable where a record grew: a field added later is optional
(OMIT_IF_NONE) and absent in them, e.g. `SecondFactorLogins.security_log` (runs before the
security log was measured have no "password_no_log" runs either) or `QueryCount.redis_commands`
(runs before allauth was compared have no "allauth_*" variants either).
"""

import dataclasses
import json
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")

# A field with this metadata is left out of the JSON when it is None (and may be absent).
OMIT_IF_NONE = {"omit_if_none": True}
# A dict field with this metadata holds the object's keys that no other field names (flattened
# into the object in JSON, at the field's position).
REST = {"rest": True}


# -- wrk: one load run ------------------------------------------------------------------------
@dataclass
class Latency:
    """Milliseconds (wrk measures microseconds)."""

    mean: float
    max: float
    p50: float
    p90: float
    p95: float
    p99: float


@dataclass
class WrkErrors:
    """Socket errors, and `status`: answers that are not 2xx/3xx."""

    connect: int
    read: int
    write: int
    status: int
    timeout: int

    @property
    def total(self) -> int:
        return self.connect + self.read + self.write + self.status + self.timeout


@dataclass
class Load:
    """One wrk run against one endpoint (the login measurements keep it whole)."""

    rps: float
    requests: int
    seconds: float
    latency_ms: Latency
    errors: WrkErrors


@dataclass
class AuthRun:
    """One variant at one token level in one round of the authentication load."""

    round: int
    level: str
    variant: str
    rps: float
    requests: int
    latency_ms: Latency
    errors: WrkErrors


@dataclass
class Auth:
    runs: list[AuthRun]
    rounds: int
    duration_s: int
    connections: int
    levels: list[str]  # ascending: "1", "100", "1000"


# -- manage.py bench_seed ----------------------------------------------------------------------
@dataclass
class SeedCounts:
    users: int
    tokens: int
    totp_devices: int  # confirmed authenticator apps
    webauthn_credentials: int
    # django-allauth headless' app sessions (absent in runs before allauth was compared).
    allauth_db_sessions: int | None = field(default=None, metadata=OMIT_IF_NONE)
    allauth_redis_sessions: int | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass
class SeedSeconds:
    users: float
    login_accounts: float  # the benchmark users, their twins with factors, the login comparison's accounts
    total: float


@dataclass
class Hasher:
    """The default password hasher: {"algorithm": ..., <its parameters>..., "one_hash_ms": ...}."""

    algorithm: str
    parameters: dict[str, int] = field(metadata=REST)  # time_cost, memory_cost, parallelism (argon2)...
    one_hash_ms: float


@dataclass
class Seed:
    counts: SeedCounts
    hasher: Hasher
    seconds: SeedSeconds


# -- manage.py bench_count_queries -----------------------------------------------------------
@dataclass
class QueryCount:
    """The SQL of one request, as CaptureQueriesContext saw it, plus the connection health checks."""

    queries: int
    health_checks: int
    round_trips: int  # with the database: the queries and the health checks
    writes: int
    sql: list[str]
    # Commands sent to Redis (allauth's sessions there); absent in runs before they were counted.
    redis_commands: int | None = field(default=None, metadata=OMIT_IF_NONE, kw_only=True)


@dataclass
class AuthenticationCount(QueryCount):
    """The SQL of DRF's authentication step alone."""

    authenticated: bool


@dataclass
class VariantQueries:
    first: QueryCount
    steady: QueryCount
    authentication: AuthenticationCount


@dataclass
class TouchStep:
    at: str
    queries: int
    writes: int
    sql: list[str]


@dataclass
class Touch:
    interval_seconds: float
    timeline: list[TouchStep]


@dataclass
class FactorAccount:
    """The second factors of a benchmark user's twin ("me_factors"), read back from the database."""

    totp: bool
    webauthn_credentials: int
    recovery_codes: int


@dataclass
class Queries:
    levels: dict[str, dict[str, VariantQueries]]  # level -> variant -> counts
    factor_accounts: dict[str, FactorAccount]  # level -> the twin's factors
    touch: Touch


# -- manage.py bench_auth_timing ---------------------------------------------------------------
@dataclass
class Timing:
    """Microseconds per call over the batches."""

    median: float
    min: float
    max: float


@dataclass
class AuthTiming:
    rounds: int
    calls: int
    request: dict[str, dict[str, Timing]]  # level -> variant -> timing
    authentication: dict[str, dict[str, Timing]]  # the same without "ceiling" (no authentication step)


# -- the other measurements --------------------------------------------------------------------
@dataclass
class TableWrites:
    inserted: int
    updated: int
    deleted: int


@dataclass
class WritesUnderLoad:
    tables: dict[str, TableWrites]  # only the tables written to
    transactions: int
    authenticated_requests: int
    requests_by_variant: dict[str, int]


@dataclass
class FlowLatency:
    """Milliseconds of whole logins: from the first request's start to the last answer."""

    p50: float | None
    p95: float | None
    max: float | None


@dataclass
class LoginFlowRun:
    """One kind of login, driven by every client for one run of the second-factor comparison."""

    round: int
    kind: str  # "password", "password_no_log", "totp", "passkey" (and "password_new_device", round 0)
    logins: int  # completed with a token
    seconds: float
    logins_per_s: float
    latency_ms: FlowLatency
    steps_p50_ms: list[float]  # each request of the login, in order (TOTP: login/, login/mfa/)
    failed: int  # a non-2xx answer, an unexpected body or a socket error: the benchmark fails


@dataclass
class SecurityLogCheck:
    """What the security log did around the login comparison, from PostgreSQL (counted before
    and after), and one run of logins from new devices, for information."""

    primed_accounts: int  # password accounts logged in once before the warm-up (their device known)
    primed_logins: int  # of them, completed with a token
    known_devices: int  # KnownDevice rows of the password accounts after priming (one each expected)
    signed_in_events: int  # `signed_in` events written during the rounds
    expected_events: int  # the rounds' completed logins of every kind but "password_no_log"
    alerts: int  # new-device alerts written during the rounds: 0 when every login was from a known device
    # One run after the rounds: the password accounts from a new network each login (kind
    # "password_new_device", round 0), every one a new device with an alert email.
    new_device: LoginFlowRun | None
    new_device_alerts: int  # alerts written during that run
    new_device_emails: int  # alert emails that arrived in MailDev afterwards


@dataclass
class SecondFactorLogins:
    """Password logins with and without the security log, password + TOTP and passkey logins,
    measured side by side in shuffled rounds."""

    clients: int  # threads, each with its own kept connection
    duration_s: int  # per run
    rounds: int
    accounts: dict[str, int]  # kind -> accounts in rotation ("password" and "password_no_log": one pool)
    warm_up_logins: int
    runs: list[LoginFlowRun]
    waits: int  # times a client found no account ready (TOTP: none whose last code is 2 steps old)
    failures: list[str]  # the first few failures, for the problems
    # Absent in runs from before the security log was measured.
    security_log: SecurityLogCheck | None = field(default=None, metadata=OMIT_IF_NONE)


@dataclass
class InboxTimes:
    p50: float | None
    p95: float | None
    max: float | None


@dataclass
class Percentiles:
    p50: float | None
    p95: float | None


@dataclass
class RegisterBurst:
    """One burst of simultaneous registrations; seconds."""

    count: int
    answered_201: int
    arrived: int
    inbox_s: InboxTimes  # request start -> inbox
    after_response_s: Percentiles  # 201 answer -> inbox
    response_s: Percentiles  # request -> 201 answer
    burst_s: float


@dataclass
class Register:
    """Every burst, and per figure the median over the bursts of their percentiles (max: the highest)."""

    count: int  # registrations per burst
    bursts: list[RegisterBurst]
    warm_up: int
    answered_201: int
    arrived: int
    expected: int
    inbox_s: InboxTimes
    after_response_s: Percentiles
    response_s: Percentiles


@dataclass
class Mailer:
    count: int
    arrived: int
    sustained_per_s: float | None
    end_to_end_per_s: float | None
    enqueue_s: float
    first_email_after_s: float | None
    threads: str


@dataclass
class ProcessRss:
    service: str
    role: str
    pid: int
    rss_kib: int | None
    command: str | None = field(default=None, metadata=OMIT_IF_NONE)  # for the mailer's worker processes


@dataclass
class FirstLoadFile:
    file: str
    bytes: int
    gzip_bytes: int


@dataclass
class FirstLoadJs:
    """services/web/scripts/first-load-size.mjs's answer, and that it measured it."""

    files: list[FirstLoadFile]
    total_gzip_bytes: int
    budget_bytes: int
    measured_by: str


@dataclass
class TokenCounts:
    expired: int
    live: int


@dataclass
class Cleanup:
    seeded: int
    seed_s: float
    before: TokenCounts
    after: TokenCounts
    deleted: int
    batches: int
    summary: str
    cleanup_s: float
    login_before: Load
    login_during: Load


@dataclass
class Machine:
    date: str
    cores: int | None
    cpu: str
    memory_gib: float
    os: str
    python: str
    packages: dict[str, str]
    postgresql: str
    nginx: str
    wrk: str
    commit: str


@dataclass
class RunInfo:
    command: str
    arguments: dict[str, int]  # the driver's options (all integers)
    driver_s: float
    make_total_s: float | None
    setup_s: float | None
    run_dir: str


@dataclass
class Results:
    """Everything one benchmark run measured: bench/runs/<run>/results.json."""

    phases: dict[str, float]  # seconds per phase, in run order
    settings: dict[str, str]  # the stack's settings over the defaults (ports left out)
    seed: Seed
    payload_identical: bool
    auth: Auth
    first_load_js: FirstLoadJs
    rss: list[ProcessRss]
    writes_under_load: WritesUnderLoad
    queries: Queries
    auth_timing: AuthTiming
    login: Load
    second_factor_logins: SecondFactorLogins
    register: Register
    mailer: Mailer
    cleanup: Cleanup
    machine: Machine
    run: RunInfo
    problems: list[str]  # what made the benchmark itself fail


# -- to and from JSON ------------------------------------------------------------------------
def to_json(record: object) -> Any:
    """A record (or list/dict of them) as JSON values: dicts, lists, str, int, float, bool, None."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        out: dict[str, Any] = {}
        for spec in dataclasses.fields(record):
            value = getattr(record, spec.name)
            if spec.metadata.get("rest"):
                out.update(to_json(value))
            elif not (value is None and spec.metadata.get("omit_if_none")):
                out[spec.name] = to_json(value)
        return out
    if isinstance(record, list):
        return [to_json(item) for item in record]
    if isinstance(record, dict):
        return {key: to_json(value) for key, value in record.items()}
    if record is None or isinstance(record, str | int | float | bool):
        return record
    raise TypeError(f"not a record: {record!r}")


def from_json(kind: type[T], data: object, where: str = "results") -> T:
    """`data` (parsed JSON) as a `kind` record, checked against its annotations all the way down."""
    value: T = _convert(kind, data, where)
    return value


def dumps(results: Results) -> str:
    return json.dumps(to_json(results), indent=2)


def load(path: Path) -> Results:
    """A results.json written by bench/run.py."""
    return from_json(Results, json.loads(path.read_text()))


def _convert(kind: Any, data: object, where: str) -> Any:
    origin = typing.get_origin(kind)
    if origin in (types.UnionType, typing.Union):
        options = typing.get_args(kind)
        if data is None and type(None) in options:
            return None
        (inner,) = [option for option in options if option is not type(None)]
        return _convert(inner, data, where)
    if origin is list:
        (item,) = typing.get_args(kind)
        if not isinstance(data, list):
            raise ValueError(f"{where}: expected a list, got {data!r:.80}")
        return [_convert(item, value, f"{where}[{index}]") for index, value in enumerate(data)]
    if origin is dict:
        key_kind, item = typing.get_args(kind)
        if key_kind is not str or not isinstance(data, dict):
            raise ValueError(f"{where}: expected an object, got {data!r:.80}")
        return {key: _convert(item, value, f"{where}.{key}") for key, value in data.items()}
    if dataclasses.is_dataclass(kind):
        return _record(kind, data, where)
    if kind is float:
        if isinstance(data, bool) or not isinstance(data, int | float):
            raise ValueError(f"{where}: expected a number, got {data!r:.80}")
        return data  # as written: an int stays an int, and prints like one
    if kind in (int, str, bool):
        if not isinstance(data, kind) or (kind is int and isinstance(data, bool)):
            raise ValueError(f"{where}: expected {kind.__name__}, got {data!r:.80}")
        return data
    raise TypeError(f"{where}: no JSON conversion for {kind!r}")


def _record(kind: Any, data: object, where: str) -> Any:
    if not isinstance(data, dict):
        raise ValueError(f"{where}: expected an object, got {data!r:.80}")
    hints = typing.get_type_hints(kind)
    specs = dataclasses.fields(kind)
    named = {spec.name for spec in specs if not spec.metadata.get("rest")}
    values: dict[str, Any] = {}
    for spec in specs:
        if spec.metadata.get("rest"):
            rest = {key: value for key, value in data.items() if key not in named}
            values[spec.name] = _convert(hints[spec.name], rest, where)
        elif spec.name in data:
            values[spec.name] = _convert(hints[spec.name], data[spec.name], f"{where}.{spec.name}")
        elif not spec.metadata.get("omit_if_none"):
            raise ValueError(f"{where}: missing {spec.name!r}")
    if not any(spec.metadata.get("rest") for spec in specs) and (extra := sorted(set(data) - named)):
        raise ValueError(f"{where}: unexpected {', '.join(map(repr, extra))}")
    return kind(**values)
