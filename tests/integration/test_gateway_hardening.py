"""The gateway's own defences. On a second nginx started from the same template and script, in
front of the session stack's API (so the answers behind it are real): TLS from a certificate
given by environment (with HSTS), and the limit_req zone on the credential endpoints. On the
session stack: trusted load balancers, and log lines no client can forge."""

import os
import subprocess
import time
import uuid

import pytest
import requests

from deploy.native.stack import WEB_DIR, free_port
from tests.integration.conftest import PASSWORD, FromAddress, Gateway, register_confirmed
from tests.integration.test_gateway_errors import raw_get, raw_request

START_GATEWAY = WEB_DIR / "nginx" / "start-gateway.sh"


@pytest.fixture(scope="module")
def tls_gateway(stack, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("tls-gateway")
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=DNS:localhost,IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    port = free_port()
    env = {
        **stack.service_env(),
        "GATEWAY_PORT": str(port),
        "NGINX_RUN_DIR": str(workdir / "run"),
        "GATEWAY_TLS_CERT": str(cert),
        "GATEWAY_TLS_KEY": str(key),
        "GATEWAY_AUTH_RATE": "2r/s",
        "GATEWAY_AUTH_BURST": "5",
    }
    with (workdir / "nginx.log").open("wb") as log:
        process = subprocess.Popen([str(START_GATEWAY)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"https://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/healthz", verify=str(cert), timeout=2)
            break
        except requests.RequestException:
            assert process.poll() is None and time.monotonic() < deadline, (workdir / "nginx.log").read_text()
            time.sleep(0.2)
    yield base, str(cert)
    process.terminate()
    process.wait(20)


def test_tls_from_environment_serves_https_with_hsts(tls_gateway):
    base, cert = tls_gateway
    response = requests.get(f"{base}/api/health/live/", verify=cert, timeout=10)
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert response.headers["Strict-Transport-Security"].startswith("max-age=63072000")
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    page = requests.get(f"{base}/login", verify=cert, timeout=10)
    assert page.status_code == 200 and "Strict-Transport-Security" in page.headers


def test_tls_gateway_refuses_plain_http(tls_gateway):
    base, _ = tls_gateway
    response = requests.get(base.replace("https://", "http://") + "/api/health/live/", timeout=10)
    assert response.status_code == 400 and response.json()["code"] == "https_required"


def test_no_hsts_over_plain_http(gateway):
    assert "Strict-Transport-Security" not in gateway.get("/api/health/live/").headers


def test_auth_endpoints_are_rate_limited_per_address_at_the_gateway(tls_gateway):
    base, cert = tls_gateway
    with requests.Session() as session:
        statuses = [
            session.post(
                f"{base}/api/auth/login/", json={"email": "a@example.com", "password": "x"}, verify=cert, timeout=10
            )
            for _ in range(20)
        ]
        limited = [r for r in statuses if r.status_code == 429]
        assert limited, [r.status_code for r in statuses]
        assert limited[0].json()["code"] == "throttled"
        assert limited[0].headers["X-Content-Type-Options"] == "nosniff"
        # Only the credential endpoints are limited: the rest of the API answers at once.
        assert session.get(f"{base}/api/health/live/", verify=cert, timeout=10).status_code == 200


# Every endpoint where a client without a token sends a password, a key or a code; a path with a
# "code" segment stands for the ones to come (the list in nginx.conf.template covers them).
CREDENTIAL_ENDPOINTS = [
    "login/",
    "register/",
    "email/confirm/",
    "email/resend/",
    "password/reset/",
    "password/reset/verify/",
    "password/reset/confirm/",
    "login/code/",
    "login/code/confirm/",
    "login/mfa/",
    "login/mfa/webauthn/begin/",
    "login/passkey/begin/",
    "login/passkey/",
]


def gateway_throttled(response):
    # The gateway's 429 (nginx.conf.template), not one of the API's own throttles.
    return response.status_code == 429 and response.json()["detail"].startswith("Too many requests from this address")


@pytest.mark.parametrize("endpoint", CREDENTIAL_ENDPOINTS)
def test_each_credential_endpoint_is_rate_limited_per_address_at_the_gateway(tls_gateway, endpoint):
    base, cert = tls_gateway  # 2 r/s, burst 5
    with requests.Session() as session:
        responses = [session.post(f"{base}/api/auth/{endpoint}", json={}, verify=cert, timeout=10) for _ in range(12)]
    assert any(gateway_throttled(r) for r in responses), [r.status_code for r in responses]


def test_authenticated_auth_calls_are_not_limited_at_the_gateway(tls_gateway, gateway, mailbox):
    """Reading the account, listing sessions, refreshing and logging out: users behind one NAT
    share an address, so only the API's per-account limits apply to them."""
    base, cert = tls_gateway  # 2 r/s, burst 5: every burst below is far over it
    email = f"nat-{uuid.uuid4().hex[:8]}@example.com"
    register_confirmed(gateway, mailbox, email)
    token = gateway.post("/api/auth/login/", json={"email": email, "password": PASSWORD}).json()["token"]
    answers = []
    with Gateway(base) as session:
        session.verify, session.trust_env = cert, False  # or REQUESTS_CA_BUNDLE would win over verify
        for _ in range(3):
            headers = {"Authorization": f"Token {token}"}
            answers += [session.get("/api/auth/me/", headers=headers) for _ in range(15)]
            answers += [session.get("/api/auth/sessions/", headers=headers) for _ in range(5)]
            refresh = session.post("/api/auth/token/refresh/", headers=headers)
            answers.append(refresh)
            token = refresh.json()["token"]
        answers.append(session.post("/api/auth/logout/", headers={"Authorization": f"Token {token}"}))
        assert [r.status_code for r in answers] == [200] * 63 + [204], [r.status_code for r in answers]
        # Meanwhile the same address is still limited where credentials are checked.
        unknown = f"nobody-{uuid.uuid4().hex[:8]}@example.com"
        logins = [
            session.post("/api/auth/login/", json={"email": unknown, "password": "wrong guess"}) for _ in range(12)
        ]
        assert any(gateway_throttled(r) for r in logins), [r.status_code for r in logins]


# Line breaks and other control characters a client can put in a path, percent-encoded or raw
# (C1 controls and U+2028/2029 break lines for some readers; ESC rewrites a terminal's line).
FORGING_SEPARATORS = {
    "LF": b"%0A",
    "CRLF": b"%0D%0A",
    "CR": b"%0D",
    "VT": b"%0B",
    "FF": b"%0C",
    "FS": b"%1C",
    "ESC erase line": b"%1B[2K%0D",
    "NEL": b"%C2%85",
    "LINE SEPARATOR": b"%E2%80%A8",
    "raw NEL byte": b"\x85",
    "raw LINE SEPARATOR": b"\xe2\x80\xa8",
}


def log_lines(path):
    return path.read_bytes().decode("utf-8", errors="replace").split("\n")


@pytest.mark.parametrize("separator", FORGING_SEPARATORS)
def test_a_path_cannot_forge_log_lines(stack, separator):
    marker = uuid.uuid4().hex
    forged_start = f'127.0.0.1 "POST /api/auth/login/forged-{marker}'
    forged = forged_start + '" 200 52 3ms rid=0123'
    path = (
        f"/api/auth/sessions/x-{marker}".encode()
        + FORGING_SEPARATORS[separator]
        + forged.replace(" ", "%20").replace('"', "%22").encode()
        + b"/"
    )
    answer = raw_request(stack.gateway_url, raw_get(path))
    assert answer.status == 404 and answer.json()["code"] == "not_found"

    access_line = f'127.0.0.1 "GET /api/auth/sessions/x-{marker}'
    deadline = time.monotonic() + 10
    while True:  # both write their access line after the answer
        api, gateway = log_lines(stack.logs / "api.log"), log_lines(stack.logs / "gateway.log")
        written = all(any(line.startswith(access_line) for line in lines) for lines in (api, gateway))
        if written or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    for name, lines in {"api.log": api, "gateway.log": gateway}.items():
        mine = [line for line in lines if marker in line]
        assert all(line.isprintable() for line in mine), (name, mine)
        assert not any(line.startswith(forged_start) for line in lines), (name, mine)
        # Exactly one access line for the request; the API also logs the 404 ("Not Found: <path>").
        assert len([line for line in mine if line.startswith(access_line)]) == 1, (name, mine)
        assert len(mine) == {"api.log": 2, "gateway.log": 1}[name], (name, mine)


@pytest.fixture(scope="module")
def behind_a_load_balancer(stack, tmp_path_factory):
    """A gateway that believes X-Forwarded-For only from 127.0.0.2, its "load balancer"."""
    workdir = tmp_path_factory.mktemp("lb-gateway")
    port = free_port()
    env = {
        **stack.service_env(),
        "GATEWAY_PORT": str(port),
        "NGINX_RUN_DIR": str(workdir / "run"),
        "GATEWAY_TRUSTED_PROXIES": "127.0.0.2/32",
    }
    with (workdir / "nginx.log").open("wb") as log:
        process = subprocess.Popen([str(START_GATEWAY)], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.get(f"{base}/healthz", timeout=2)
            break
        except requests.RequestException:
            assert process.poll() is None and time.monotonic() < deadline, (workdir / "nginx.log").read_text()
            time.sleep(0.2)
    yield base
    process.terminate()
    process.wait(20)


def client_address_seen_by_the_api(base, source_ip, email, forwarded_for):
    with requests.Session() as session:
        session.mount("http://", FromAddress(source_ip))
        login = session.post(
            f"{base}/api/auth/login/",
            json={"email": email, "password": PASSWORD},
            headers={"X-Forwarded-For": forwarded_for},
            timeout=10,
        )
        assert login.status_code == 200, login.text
        headers = {"Authorization": f"Token {login.json()['token']}"}
        (current,) = [
            s for s in session.get(f"{base}/api/auth/sessions/", headers=headers, timeout=10).json() if s["current"]
        ]
        return current["ip"]


def test_behind_a_trusted_load_balancer_the_client_is_its_forwarded_for(behind_a_load_balancer, gateway, mailbox):
    email = f"lb-{uuid.uuid4().hex[:8]}@example.com"
    register_confirmed(gateway, mailbox, email)
    # From the trusted proxy: the client is the address it forwarded (its own hop stripped).
    assert (
        client_address_seen_by_the_api(behind_a_load_balancer, "127.0.0.2", email, "198.51.100.1, 203.0.113.9")
        == "203.0.113.9"
    )
    # From anyone else the header is a forgery: the peer is the client.
    assert client_address_seen_by_the_api(behind_a_load_balancer, "127.0.0.3", email, "203.0.113.9") == "127.0.0.3"
    # And the ordinary gateway trusts nobody.
    assert client_address_seen_by_the_api(gateway.base_url, "127.0.0.4", email, "203.0.113.9") == "127.0.0.4"


def test_start_gateway_refuses_a_trusted_proxy_that_is_not_an_address(tmp_path):
    env = {**os.environ, "GATEWAY_TRUSTED_PROXIES": "10.0.0.0/8, lb.example", "NGINX_RUN_DIR": str(tmp_path)}
    result = subprocess.run([str(START_GATEWAY)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "is not an address or CIDR" in result.stderr


def test_start_gateway_refuses_half_a_tls_configuration(tmp_path):
    env = {**os.environ, "GATEWAY_TLS_CERT": "/nonexistent/cert.pem", "NGINX_RUN_DIR": str(tmp_path)}
    result = subprocess.run([str(START_GATEWAY)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "both GATEWAY_TLS_CERT and GATEWAY_TLS_KEY" in result.stderr
