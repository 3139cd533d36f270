"""The benchmark's client side of the logins: with a password, with the same password through the
benchmark's login without the security log, with a password and an authenticator-app code, and
with a passkey, made as a client makes them, over plain http.client.

Every kind runs in the same driver (`drive`): a few threads, each with one kept connection to the
gateway, logging in one after another for a fixed time, each login timed from its first request's
start to its last answer. The accounts are `bench_seed`'s (`login_accounts` in its credentials
file), handed out one client at a time (`AccountPool`); the password login with the security log
("password") and without it ("password_no_log": POST /api/bench/login-without-log/, the same view
inside accounts.security_log.off(), mounted with BENCH_MODE only) share one pool.

Every kept connection comes from 127.0.0.1 with the same User-Agent, so once an account has logged
in (`prime`), every later login of it is from a device it knows (accounts/devices.py: an API
client is its user-agent family and its /24 network). A login from a new device
(`new_device_login`) opens a fresh connection from a loopback address of a /24 no login used
before (`NewNetworks`), which the gateway passes on as the client's address.

The passkey's assertion is made here with `cryptography`, independent of the API's py_webauthn:
authenticatorData (the RP id's SHA-256, the user-present and user-verified flags, the signature
counter) signed with ES256 together with the SHA-256 of clientDataJSON (WebAuthn L2 6.3.3).
The TOTP code comes from pyotp, the library the API checks it with: RFC 6238 has one right answer.
"""

import base64
import hashlib
import http.client
import json
import statistics
import struct
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pyotp

# cryptography is in bench/.venv (bench/requirements.txt) and in the virtualenv mypy runs in
# (tests/requirements.txt), so its own types are checked.
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
)

A = TypeVar("A")

KINDS = ("password", "password_no_log", "totp", "passkey")
LOGIN = "/api/auth/login/"
LOGIN_WITHOUT_LOG = "/api/bench/login-without-log/"  # BENCH_MODE only: no event, device check or alert
LOGIN_MFA = "/api/auth/login/mfa/"
PASSKEY_BEGIN = "/api/auth/login/passkey/begin/"
PASSKEY_LOGIN = "/api/auth/login/passkey/"
STEP_SECONDS = 30  # TOTP's time step (accounts/totp.py)
FLAG_UP, FLAG_UV = 0x01, 0x04  # authenticatorData flags: user present, user verified


class LoginFailed(Exception):
    """A login that did not end with a token: a non-2xx answer or an unexpected body."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def current_step() -> int:
    return int(time.time()) // STEP_SECONDS


# -- the accounts ----------------------------------------------------------------------------
@dataclass
class PasswordAccount:
    email: str


@dataclass
class TotpAccount:
    email: str
    totp: pyotp.TOTP
    last_step: int | None = None  # of the last code it sent

    def ready(self) -> bool:
        # The API takes a code only for a step later than the last one it accepted, which may be
        # one after the code's own (the ±1-step window): two steps later is always accepted.
        return self.last_step is None or current_step() >= self.last_step + 2


@dataclass
class Passkey:
    """A discoverable credential with user verification, as a passkey provider holds it."""

    email: str
    credential_id: bytes
    user_handle: bytes
    private_key: ec.EllipticCurvePrivateKey
    sign_count: int = 0  # the API stored 0; each assertion must say more

    def assertion(self, options: dict[str, Any], origin: str) -> dict[str, Any]:
        """What navigator.credentials.get() resolves to for these request options, as the web
        app posts it (AuthenticationResponseJSON)."""
        self.sign_count += 1
        client_data = json.dumps(
            {"type": "webauthn.get", "challenge": options["challenge"], "origin": origin}, separators=(",", ":")
        ).encode()
        auth_data = (
            hashlib.sha256(options["rpId"].encode()).digest()
            + bytes([FLAG_UP | FLAG_UV])
            + struct.pack(">I", self.sign_count)
        )
        signature = self.private_key.sign(auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256()))
        return {
            "id": b64url(self.credential_id),
            "rawId": b64url(self.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(self.user_handle),  # a discoverable credential returns it
            },
            "authenticatorAttachment": "platform",
            "clientExtensionResults": {},
        }


def totp_account(entry: dict[str, str]) -> TotpAccount:
    # As accounts/totp.py makes them: SHA-1, 6 digits, 30-s steps (pyotp's defaults).
    return TotpAccount(email=entry["email"], totp=pyotp.TOTP(entry["totp_secret"], digits=6, interval=STEP_SECONDS))


def passkey(entry: dict[str, str]) -> Passkey:
    key = load_pem_private_key(entry["private_key_pem"].encode(), password=None)
    if not isinstance(key, ec.EllipticCurvePrivateKey):
        raise ValueError(f"{entry['email']}: not an EC private key")
    return Passkey(
        email=entry["email"],
        credential_id=from_b64url(entry["credential_id"]),
        user_handle=from_b64url(entry["user_handle"]),
        private_key=key,
    )


class AccountPool(Generic[A]):
    """Accounts handed out to one client at a time, the least recently used first: a passkey's
    counter then goes up in the order the API sees its assertions, and a TOTP account is back
    only when its next code is sure to be accepted."""

    def __init__(self, accounts: Sequence[A], ready: Callable[[A], bool] = lambda account: True) -> None:
        self._idle = deque(accounts)
        self._ready = ready
        self._lock = threading.Lock()
        self.waits = 0

    def __len__(self) -> int:
        return len(self._idle)

    def take(self) -> A:
        while True:
            with self._lock:
                if self._idle and self._ready(self._idle[0]):
                    return self._idle.popleft()
                self.waits += 1
            time.sleep(0.05)

    def give_back(self, account: A) -> None:
        with self._lock:
            self._idle.append(account)


# -- the client ------------------------------------------------------------------------------
class Client:
    """One client's kept connection to the gateway; JSON in, JSON out."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.connection = http.client.HTTPConnection(host, port, timeout=60)

    def reconnect(self, source: str) -> None:
        """The next request on a new connection from loopback address `source` (another network)."""
        self.connection.close()
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60, source_address=(source, 0))

    def post(self, path: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        headers = {"User-Agent": "bench/1.0"}
        payload = b""
        if body is not None:
            payload = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        self.connection.request("POST", path, body=payload, headers=headers)
        response = self.connection.getresponse()
        data = response.read()
        if not 200 <= response.status < 300:
            raise LoginFailed(f"POST {path}: {response.status} {data[:200].decode(errors='replace')}")
        answer = json.loads(data)
        if not isinstance(answer, dict):
            raise LoginFailed(f"POST {path}: not a JSON object: {data[:200]!r}")
        return answer

    def close(self) -> None:
        self.connection.close()


def with_token(path: str, answer: dict[str, Any]) -> None:
    if not answer.get("token"):
        raise LoginFailed(f"POST {path}: 2xx without a token: {sorted(answer)}")


# A login: (client, account) -> seconds of each of its requests.
Login = Callable[[Client, Any], list[float]]


def timed(call: Callable[[], dict[str, Any]]) -> tuple[dict[str, Any], float]:
    started = time.perf_counter()
    answer = call()
    return answer, time.perf_counter() - started


def password_login(password: str, path: str = LOGIN) -> Login:
    """POST login/ (or, with path=LOGIN_WITHOUT_LOG, the same login without the security log)."""

    def login(client: Client, account: PasswordAccount) -> list[float]:
        answer, seconds = timed(lambda: client.post(path, {"email": account.email, "password": password}))
        with_token(path, answer)
        return [seconds]

    return login


class NewNetworks:
    """Loopback source addresses, each of a /24 no other login used: 127.a.b.1 with a >= 1 (the
    kept connections come from 127.0.0.1, in 127.0.0.0/24). All of 127.0.0.0/8 is this host's."""

    def __init__(self) -> None:
        self._used = 0
        self._lock = threading.Lock()

    def take(self) -> str:
        with self._lock:
            number = self._used
            self._used += 1
        high, low = 1 + number // 256, number % 256
        if high > 254:
            raise ValueError("no new loopback /24 left")
        return f"127.{high}.{low}.1"


def new_device_login(password: str, networks: NewNetworks) -> Login:
    """A password login from a device the account has not used: the same client and User-Agent
    from a new network, on a fresh connection (its connect is timed with the login)."""
    plain = password_login(password)

    def login(client: Client, account: PasswordAccount) -> list[float]:
        client.reconnect(networks.take())
        return plain(client, account)

    return login


def totp_login(password: str) -> Login:
    def login(client: Client, account: TotpAccount) -> list[float]:
        first, first_s = timed(lambda: client.post(LOGIN, {"email": account.email, "password": password}))
        if first.get("mfa_required") is not True or "totp" not in first.get("methods", []):
            raise LoginFailed(f"POST {LOGIN}: no TOTP step asked for: {sorted(first)}")
        step = current_step()  # the code of now, computed as an app shows it: after the password
        code = account.totp.generate_otp(step)
        account.last_step = step
        second, second_s = timed(lambda: client.post(LOGIN_MFA, {"challenge": first["challenge"], "code": code}))
        with_token(LOGIN_MFA, second)
        return [first_s, second_s]

    return login


def passkey_login(origin: str) -> Login:
    def login(client: Client, account: Passkey) -> list[float]:
        begin, begin_s = timed(lambda: client.post(PASSKEY_BEGIN))
        credential = account.assertion(begin["options"], origin)
        answer, finish_s = timed(lambda: client.post(PASSKEY_LOGIN, {"credential": credential}))
        with_token(PASSKEY_LOGIN, answer)
        return [begin_s, finish_s]

    return login


# -- the driver ------------------------------------------------------------------------------
@dataclass
class Outcome:
    """What `drive` saw: seconds per request of every completed login, and every failure."""

    seconds: float
    logins: list[list[float]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def latency_ms(self) -> list[float]:
        return [sum(steps) * 1000 for steps in self.logins]

    def steps_p50_ms(self) -> list[float]:
        if not self.logins:
            return []
        return [statistics.median(steps) * 1000 for steps in zip(*self.logins, strict=True)]


def prime(login: Login, accounts: Sequence[A], *, host: str, port: int, clients: int) -> Outcome:
    """Each account logs in once, `clients` at a time: afterwards the client's device is known to
    every one of them (the first login of an account records its device and sends no alert)."""
    lock = threading.Lock()
    waiting = deque(accounts)
    outcome = Outcome(seconds=0.0)

    def client_loop() -> None:
        client = Client(host, port)
        try:
            while True:
                with lock:
                    if not waiting:
                        return
                    account = waiting.popleft()
                try:
                    steps = login(client, account)
                except (LoginFailed, OSError, http.client.HTTPException, ValueError, KeyError) as exc:
                    client.close()
                    with lock:
                        outcome.failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                with lock:
                    outcome.logins.append(steps)
        finally:
            client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)
    outcome.seconds = time.perf_counter() - started
    return outcome


def drive(login: Login, pool: AccountPool[Any], *, host: str, port: int, clients: int, seconds: float) -> Outcome:
    """`clients` threads log in without pause for `seconds` (a login under way then finishes)."""
    lock = threading.Lock()
    outcome = Outcome(seconds=seconds)

    def client_loop(deadline: float) -> None:
        client = Client(host, port)
        try:
            while time.perf_counter() < deadline:
                account = pool.take()
                try:
                    steps = login(client, account)
                except (LoginFailed, OSError, http.client.HTTPException, ValueError, KeyError) as exc:
                    client.close()  # the next login opens a fresh connection
                    with lock:
                        outcome.failures.append(f"{type(exc).__name__}: {exc}")
                    continue
                finally:
                    pool.give_back(account)
                with lock:
                    outcome.logins.append(steps)
        finally:
            client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=client_loop, args=(started + seconds,), daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=seconds + 180)
    outcome.seconds = time.perf_counter() - started
    return outcome
