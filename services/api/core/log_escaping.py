"""One log line per event, whatever a client sends: the text a client controls (a path, a
header) is logged with its control characters escaped, so it can neither start a forged line
nor rewrite a terminal's. Used by Django's log handler (core.middleware.RequestIdLogFilter) and
by gunicorn's access and error logs (EscapingGunicornLogger, gunicorn.conf.py's logger_class).
Imports no Django: gunicorn loads it before the app."""

import logging

from gunicorn import glogging


def _escape(char):
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    return f"\\u{code:04X}" if code <= 0xFFFF else f"\\U{code:08X}"


def escape_control_characters(text, escape_backslash=False):
    """`text` with every character that is not printable (CR, LF, the other C0 and C1 controls,
    DEL, U+2028/2029 and the like) written as \\xHH, \\uHHHH or \\UHHHHHHHH. Printable text,
    non-ASCII letters included, is unchanged. With escape_backslash, the backslash too (as nginx
    does in its access log), so that every \\x in the line is an escape."""
    if text.isprintable() and not (escape_backslash and "\\" in text):
        return text
    return "".join(
        _escape(char) if not char.isprintable() or (escape_backslash and char == "\\") else char for char in text
    )


def escape_record_message(record):
    """Escapes a log record's message in place (its traceback, if any, stays as it is). Django's
    own "Not Found: <path>" lines arrive escaped already (Django 5.2.2+): a backslash is left
    alone here, so they are not escaped twice."""
    message = record.getMessage()
    escaped = escape_control_characters(message)
    if escaped != message:
        record.msg, record.args = escaped, ()


class EscapeControlCharacters(logging.Filter):
    def filter(self, record):
        escape_record_message(record)
        return True


_escape_filter = EscapeControlCharacters()  # one instance: addFilter ignores a second add


class EscapingGunicornLogger(glogging.Logger):
    """gunicorn's logger with every access-log atom escaped: %(U)s is the decoded path, where a
    client's %0A would otherwise start a forged line. gunicorn itself escapes only quotes."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            name: escape_control_characters(value, escape_backslash=True) if isinstance(value, str) else value
            for name, value in atoms.items()
        }

    def setup(self, cfg):
        super().setup(cfg)
        self.error_log.addFilter(_escape_filter)  # "Invalid request from ip=...: <what it sent>"
