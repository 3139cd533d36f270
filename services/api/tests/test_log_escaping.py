"""Log lines a client cannot forge: the escaping (core/log_escaping.py), Django's log filter and
gunicorn's access logger as gunicorn.conf.py configures them."""

import io
import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from core.log_escaping import escape_control_characters
from core.middleware import RequestIdLogFilter

GUNICORN_CONF = Path(__file__).resolve().parents[1] / "gunicorn.conf.py"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("/api/auth/me/", "/api/auth/me/"),
        ("/x\n127.0.0.1 forged", "/x\\x0A127.0.0.1 forged"),
        ("a\r\nb\rc", "a\\x0D\\x0Ab\\x0Dc"),
        ("\x00\x07\t\x0b\x0c\x1b[2K\x1c\x7f", "\\x00\\x07\\x09\\x0B\\x0C\\x1B[2K\\x1C\\x7F"),
        ("nel\x85 csi\x9b", "nel\\x85 csi\\x9B"),  # C1 controls
        ("line\u2028para\u2029", "line\\u2028para\\u2029"),
        ("zero\u200bwidth bom\ufeff", "zero\\u200Bwidth bom\\uFEFF"),
        ("\U000e0001tag", "\\U000E0001tag"),
        ("ünïcödé 日本語 🔐", "ünïcödé 日本語 🔐"),
        ('quotes " and back\\slash', 'quotes " and back\\slash'),
    ],
)
def test_every_character_that_is_not_printable_is_escaped(text, escaped):
    assert escape_control_characters(text) == escaped
    assert escaped.isprintable() and len(escaped.splitlines()) == 1


def test_with_escape_backslash_every_backslash_in_the_result_starts_an_escape():
    assert escape_control_characters("a\\x0Ab\n", escape_backslash=True) == "a\\x5Cx0Ab\\x0A"


def test_the_django_log_filter_escapes_the_message_built_from_client_text():
    record = logging.LogRecord(
        "accounts", logging.WARNING, __file__, 1, "Odd address: %s", ("me@example.com\n2026-01-01 INFO forged",), None
    )
    assert RequestIdLogFilter().filter(record)
    assert record.getMessage() == "Odd address: me@example.com\\x0A2026-01-01 INFO forged"
    assert getattr(record, "request_id") == "-"  # noqa: B009 - set by the filter, unknown to LogRecord


def test_the_django_log_filter_leaves_what_django_escaped_already(client, caplog):
    # Django 5.2.2+ writes "Not Found: <path>" with the path escaped; not escaped a second time.
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get("/api/auth/sessions/x%0Aforged/").status_code == 404
    (record,) = [r for r in caplog.records if r.name == "django.request"]
    RequestIdLogFilter().filter(record)
    assert record.getMessage() == "Not Found: /api/auth/sessions/x\\nforged/"


@pytest.fixture
def gunicorn_access_log():
    """gunicorn's logger as gunicorn.conf.py sets it up, its access lines written to a buffer."""
    cfg = Config()
    for name, value in runpy.run_path(str(GUNICORN_CONF)).items():
        if name in cfg.settings:
            cfg.set(name, value)
    logger = cfg.logger_class(cfg)
    output = io.StringIO()
    handler = logging.StreamHandler(output)
    logger.access_log.handlers = [handler]

    def access(path, request_id="abc"):
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": path,
            "PATH_INFO": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
        }
        resp = SimpleNamespace(status="404 Not Found", headers=[], sent=45)
        req = SimpleNamespace(headers=[("X-REQUEST-ID", request_id)])
        logger.access(resp, req, environ, timedelta(milliseconds=3))
        return output.getvalue()

    return access


def test_gunicorn_writes_one_access_line_whatever_the_path_and_headers(gunicorn_access_log):
    # PATH_INFO is the decoded path: a client's %0A is a real line feed by now.
    line = gunicorn_access_log('/api/x\n127.0.0.1 "POST /forged" 200\x1b[2K\x85\u2028\\', request_id="r\x1bid")
    assert line == (
        '127.0.0.1 "GET /api/x\\x0A127.0.0.1 \\"POST /forged\\" 200\\x1B[2K\\x85\\u2028\\x5C" 404 45 3ms rid=r\\x1Bid\n'
    )


def test_gunicorn_leaves_ordinary_lines_as_they_were(gunicorn_access_log):
    assert gunicorn_access_log("/api/auth/me/") == '127.0.0.1 "GET /api/auth/me/" 404 45 3ms rid=abc\n'
