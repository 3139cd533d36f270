"""A body the API answers without reading is still read to its end before the answer goes.

Attack finding: gunicorn closes the connection after answering; a body left unread in the
socket turned the close into a TCP reset, and the gateway answered 502 instead of the API's 401,
403, 405 or 429. tests/integration/test_unread_bodies.py shows it through the gateway.
"""

import io
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

pytestmark = pytest.mark.django_db

BODY = b'{"padding": "' + b"x" * 300_000 + b'"}'


def call(method, path, body=BODY, **headers):
    from config.wsgi import application

    stream = io.BytesIO(body)
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": stream,
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
        **headers,
    }
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}
    b"".join(application(environ, lambda status, headers: started.update(status=status)))
    return int(started["status"].split()[0]), stream.tell()


@pytest.mark.parametrize(
    "method, path, headers, status",
    [
        ("POST", "/api/auth/logout/", {}, 401),  # no token: refused before the view
        ("POST", "/api/auth/logout/", {"HTTP_AUTHORIZATION": "Token " + "0" * 64}, 401),
        ("PUT", "/api/auth/login/", {}, 405),
        ("POST", "/api/no-such-endpoint/", {}, 404),
    ],
)
def test_an_answer_given_before_the_body_was_read_still_reads_it(method, path, headers, status):
    answered, read = call(method, path, **headers)
    assert answered == status
    assert read == len(BODY)


def test_a_body_over_the_limit_is_refused_without_being_read(settings):
    settings.API_MAX_BODY_BYTES = 1000
    answered, read = call("POST", "/api/auth/logout/")
    assert answered == 413 and read == 0
