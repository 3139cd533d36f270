"""JSON bodies are UTF-8: any other charset label is a clean 415, never a 500."""

import io
import json
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest

pytestmark = pytest.mark.django_db

BODY = b'{"email": "ada@example.com", "password": "not the password"}'


def call_wsgi(content_type, body=BODY, query="a=b"):
    """Through the entry point gunicorn runs (config.wsgi), as the gateway would call it."""
    from config.wsgi import application

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": "/api/auth/login/",
        "QUERY_STRING": query,
        "CONTENT_TYPE": content_type,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "HTTP_HOST": "127.0.0.1",
        "REMOTE_ADDR": "127.0.0.1",
    }
    setup_testing_defaults(environ)
    started: dict[str, Any] = {}
    chunks = application(environ, lambda status, headers: started.update(status=status, headers=dict(headers)))
    payload = b"".join(chunks)
    return int(started["status"].split()[0]), started["headers"], payload


@pytest.mark.parametrize(
    "charset", ["rot13", "base64", "hex", "zlib", "bz2", "uu", "no-such-charset", "idna", "punycode", "utf-7", "utf-16"]
)
def test_a_charset_django_cannot_safely_decode_with_is_refused_with_415(charset, caplog):
    # (attack: charset=punycode, and idna with ?x=%ff, crashed while Django built the request)
    status, headers, payload = call_wsgi(f"application/json; charset={charset}", query="x=%ff&y=\xff")
    assert status == 415 and headers["Content-Type"] == "application/json"
    assert json.loads(payload)["code"] == "unsupported_media_type"
    assert "Traceback" not in caplog.text


@pytest.mark.parametrize("charset", ["utf-16", "latin-1", "cp1252"])
def test_json_in_another_text_encoding_is_refused_with_415(charset):
    status, _, payload = call_wsgi(f"application/json; charset={charset}")
    assert status == 415 and json.loads(payload)["code"] == "unsupported_media_type"


@pytest.mark.parametrize(
    "content_type", ["application/json", "application/json; charset=utf-8", "application/json; charset=UTF8"]
)
def test_utf8_json_is_read(content_type, make_user):
    make_user()
    status, _, payload = call_wsgi(content_type)
    assert status == 400 and json.loads(payload)["code"] == "invalid_credentials"
