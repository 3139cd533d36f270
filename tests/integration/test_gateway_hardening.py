"""The gateway's own defences, on a second nginx started from the same template and script:
TLS from a certificate given by environment (with HSTS), and the limit_req zone on /api/auth/.
It proxies to the session stack's API, so the answers behind it are real."""
import os
import subprocess
import time

import pytest
import requests

from tests.integration.conftest import ROOT, free_port

START_GATEWAY = ROOT / "services" / "web" / "nginx" / "start-gateway.sh"


@pytest.fixture(scope="module")
def tls_gateway(stack, tmp_path_factory):
    workdir = tmp_path_factory.mktemp("tls-gateway")
    cert, key = workdir / "cert.pem", workdir / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True, timeout=60)
    port = free_port()
    env = {**stack._service_env(), "GATEWAY_PORT": str(port), "NGINX_RUN_DIR": str(workdir / "run"),
           "GATEWAY_TLS_CERT": str(cert), "GATEWAY_TLS_KEY": str(key),
           "GATEWAY_AUTH_RATE": "2r/s", "GATEWAY_AUTH_BURST": "5"}
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
    response = requests.get(base.replace("https://", "http://") + "/healthz", timeout=10)
    assert response.status_code == 400  # nginx: "plain HTTP request was sent to HTTPS port"


def test_no_hsts_over_plain_http(gateway):
    assert "Strict-Transport-Security" not in gateway.get("/api/health/live/").headers


def test_auth_endpoints_are_rate_limited_per_address_at_the_gateway(tls_gateway):
    base, cert = tls_gateway
    with requests.Session() as session:
        statuses = [session.post(f"{base}/api/auth/login/", json={"email": "a@example.com", "password": "x"},
                                 verify=cert, timeout=10) for _ in range(20)]
        limited = [r for r in statuses if r.status_code == 429]
        assert limited, [r.status_code for r in statuses]
        assert limited[0].json()["code"] == "throttled"
        assert limited[0].headers["X-Content-Type-Options"] == "nosniff"
        # Only /api/auth/ is limited: the rest of the API answers at once.
        assert session.get(f"{base}/api/health/live/", verify=cert, timeout=10).status_code == 200


def test_start_gateway_refuses_half_a_tls_configuration(tmp_path):
    env = {**os.environ, "GATEWAY_TLS_CERT": "/nonexistent/cert.pem", "NGINX_RUN_DIR": str(tmp_path)}
    result = subprocess.run([str(START_GATEWAY)], env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "both GATEWAY_TLS_CERT and GATEWAY_TLS_KEY" in result.stderr
