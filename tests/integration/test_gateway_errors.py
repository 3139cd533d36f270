"""Every error a client can get through the gateway has the API's JSON shape and a stable code,
including the ones nginx gives itself before any location is chosen (a bad request line, a URI
or headers too large, an unknown transfer coding or method), and gunicorn never refuses what
nginx let through (its own HTML 400/431 would reach the client). Raw sockets: these requests
are ones an HTTP library would not send."""

import json
import socket
from dataclasses import dataclass

import pytest

HOST = b"Host: 127.0.0.1\r\n"


@dataclass
class Answer:
    status: int
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


def raw_request(base_url, data, timeout=15.0):
    """Sends `data` as it is and reads one answer (nginx may keep the connection open a moment
    after an error, to read what the client still sends)."""
    host, port = base_url.removeprefix("http://").rsplit(":", 1)
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(data)
        received = b""
        while b"\r\n\r\n" not in received and (chunk := sock.recv(65536)):
            received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        status_line, *header_lines = head.decode("latin-1").split("\r\n")
        assert status_line.startswith("HTTP/1.1 "), received[:300]
        headers = {}
        for line in header_lines:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(body) < length and (chunk := sock.recv(65536)):
            body += chunk
    return Answer(int(status_line.split()[1]), headers, body)


def raw_get(path=b"/api/health/live/", headers=b"", method=b"GET"):
    return method + b" " + path + b" HTTP/1.1\r\n" + HOST + b"Connection: close\r\n" + headers + b"\r\n"


def assert_json_error(answer, status, code):
    assert answer.status == status, (answer.status, answer.body[:300])
    assert answer.headers["content-type"] == "application/json", (answer.headers, answer.body[:300])
    body = answer.json()
    assert set(body) == {"code", "detail"} and body["code"] == code and body["detail"], body
    assert answer.headers["x-content-type-options"] == "nosniff"  # the security headers, errors included


LOGIN = b"POST /api/auth/login/ HTTP/1.1\r\n"

# (request, status, code): what nginx refuses itself, each as JSON.
REFUSED = {
    "bad request line": (b"GARBAGE\r\n\r\n", 400, "bad_request"),
    "space in the URI": (raw_get(b"/api/a b/"), 400, "bad_request"),
    "control character in the URI": (raw_get(b"/api/\x01/"), 400, "bad_request"),
    "encoded NUL in the URI": (raw_get(b"/api/%00/"), 400, "bad_request"),
    "path above the root": (raw_get(b"/api/../../etc/passwd"), 400, "bad_request"),
    "lowercase method": (raw_get(method=b"get"), 400, "bad_request"),
    "HTTP/1.1 without Host": (b"GET /api/health/live/ HTTP/1.1\r\n\r\n", 400, "bad_request"),
    "two Host headers": (raw_get(headers=HOST), 400, "bad_request"),
    "invalid Host": (b"GET /api/health/live/ HTTP/1.1\r\nHost: 127.0.0.1 x\r\n\r\n", 400, "bad_request"),
    "invalid Content-Length": (LOGIN + HOST + b"Content-Length: abc\r\n\r\n", 400, "bad_request"),
    # Before the Host header: nginx has not chosen the server yet (the default one answers).
    "duplicate Content-Length before Host": (
        LOGIN + b"Content-Length: 2\r\nContent-Length: 2\r\n" + HOST + b"\r\n{}",
        400,
        "bad_request",
    ),
    "duplicate Authorization": (
        raw_get(b"/api/auth/me/", b"Authorization: Token a\r\nAuthorization: Token b\r\n"),
        400,
        "bad_request",
    ),
    "Content-Length with chunked": (
        LOGIN + HOST + b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        400,
        "bad_request",
    ),
    "broken chunk": (LOGIN + HOST + b"Transfer-Encoding: chunked\r\n\r\nzz\r\n", 400, "bad_request"),
    "obsolete line folding": (raw_get(headers=b"X-A: a\r\n b\r\n"), 400, "bad_request"),
    "HTTP/2 preface": (b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "bad_request"),
    "unknown HTTP version": (b"GET /api/health/live/ HTTP/9.9\r\n" + HOST + b"\r\n", 505, "http_version_not_supported"),
    "URI over the limit": (raw_get(b"/api/" + b"a" * 20_000), 414, "uri_too_long"),
    "header over the limit": (raw_get(headers=b"X-Big: " + b"a" * 20_000 + b"\r\n"), 431, "request_header_too_large"),
    "header over the limit before Host": (
        b"GET /api/health/live/ HTTP/1.1\r\nX-Big: " + b"a" * 20_000 + b"\r\n" + HOST + b"\r\n",
        431,
        "request_header_too_large",
    ),
    "unknown transfer coding": (LOGIN + HOST + b"Transfer-Encoding: gzip\r\n\r\n", 501, "not_implemented"),
    # Methods gunicorn refuses (under 3 or over 20 letters); the API answers the others itself.
    "two-letter method": (raw_get(method=b"GE"), 405, "method_not_allowed"),
    "21-letter method": (raw_get(method=b"A" * 21), 405, "method_not_allowed"),
    "TRACE": (raw_get(method=b"TRACE"), 405, "method_not_allowed"),
    "body over the limit": (LOGIN + HOST + b"Content-Length: 2000000\r\n\r\n", 413, "request_too_large"),
    # Outside /api/ too: every answer nginx writes itself is JSON (docs/deploy.md).
    "missing asset": (raw_get(b"/assets/missing-0123.js"), 404, "not_found"),
    "SPA path over the limit": (raw_get(b"/" + b"a" * 20_000), 414, "uri_too_long"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_every_refusal_by_nginx_is_json(stack, case):
    data, status, code = REFUSED[case]
    assert_json_error(raw_request(stack.gateway_url, data), status, code)


@pytest.mark.parametrize("method", [b"QUERY", b"PROPFIND", b"ABCDEFGHIJKLMNOPQRST"])
def test_other_methods_get_the_apis_own_405(stack, method):
    answer = raw_request(stack.gateway_url, raw_get(b"/api/auth/login/", method=method))
    assert_json_error(answer, 405, "method_not_allowed")
    assert answer.headers["allow"] == "POST, OPTIONS"


@pytest.mark.parametrize("header", [b"X-Forwarded-Ssl: on", b"X-Forwarded-Protocol: ssl"])
def test_scheme_headers_the_gateway_does_not_set_are_ignored_not_refused(stack, header):
    # gunicorn trusted these next to the gateway's X-Forwarded-Proto and answered a
    # contradiction with its own HTML 400.
    answer = raw_request(stack.gateway_url, raw_get(headers=header + b"\r\n"))
    assert answer.status == 200 and answer.json() == {"status": "ok"}, answer.body[:300]


def refused_by_nginx(answer, status):
    # nginx's own HTML page counts too, whatever its status: the search must find nginx's
    # limit even where nginx answers it wrongly.
    return answer.status == status or b"<center>nginx</center>" in answer.body


def largest_accepted(base_url, make_request, refused_status, low, high):
    """The largest n whose request nginx lets through (low is let through, high is refused)."""
    assert not refused_by_nginx(raw_request(base_url, make_request(low)), refused_status)
    assert refused_by_nginx(raw_request(base_url, make_request(high)), refused_status)
    while high - low > 1:
        middle = (low + high) // 2
        if refused_by_nginx(raw_request(base_url, make_request(middle)), refused_status):
            high = middle
        else:
            low = middle
    return low


@pytest.mark.parametrize("end", [b"\r\n", b"\n"])  # nginx also takes a bare LF, one byte shorter
def test_the_longest_request_line_nginx_accepts_reaches_the_api(stack, end):
    def request(length):
        return b"GET /api/" + b"a" * length + b"/ HTTP/1.1" + end + HOST + b"Connection: close\r\n\r\n"

    longest = largest_accepted(stack.gateway_url, request, 414, 1, 20_000)
    answer = raw_request(stack.gateway_url, request(longest))
    assert answer.status == 404 and answer.json()["code"] == "not_found", (longest, answer.status, answer.body[:200])
    assert_json_error(raw_request(stack.gateway_url, request(longest + 1)), 414, "uri_too_long")


# nginx forwards "Name:value" as "Name: value", and a bare LF as CRLF.
@pytest.mark.parametrize(("separator", "end"), [(b": ", b"\r\n"), (b":", b"\r\n"), (b":", b"\n")])
def test_the_longest_header_nginx_accepts_reaches_the_api(stack, separator, end):
    def request(length):
        return raw_get(headers=b"X-Long" + separator + b"v" * length + end)

    longest = largest_accepted(stack.gateway_url, request, 431, 1, 20_000)
    answer = raw_request(stack.gateway_url, request(longest))
    assert answer.status == 200 and answer.json() == {"status": "ok"}, (longest, answer.status, answer.body[:200])
    assert_json_error(raw_request(stack.gateway_url, request(longest + 1)), 431, "request_header_too_large")


def test_the_most_headers_nginx_accepts_reach_the_api(stack):
    # The shortest header lines nginx takes ("x:" and a bare LF): as many as fit in its buffers.
    def request(count):
        return raw_get(headers=b"x:\n" * count)

    most = largest_accepted(stack.gateway_url, request, 431, 1, 40_000)
    answer = raw_request(stack.gateway_url, request(most))
    assert answer.status == 200 and answer.json() == {"status": "ok"}, (most, answer.status, answer.body[:200])
    assert_json_error(raw_request(stack.gateway_url, request(most + 1)), 431, "request_header_too_large")
