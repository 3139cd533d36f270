"""WSGI guards that must run before Django builds its request object."""

import codecs
import json

from django.utils.http import parse_header_parameters

UNSUPPORTED_CHARSET = json.dumps(
    {"code": "unsupported_media_type", "detail": "Unsupported charset in Content-Type."}
).encode()


# Charsets Django may decode a query string or form body with: they decode any bytes without
# raising. Others can raise while Django builds the request, before any middleware: rot13,
# base64 or zlib (LookupError: not text encodings), idna or punycode (UnicodeError).
SAFE_CHARSETS = {"utf-8", "ascii", "iso8859-1"}


def is_safe_charset(label):
    try:
        return codecs.lookup(label).name in SAFE_CHARSETS
    except (LookupError, ValueError, TypeError):
        return False


def refuse_unknown_charsets(app):
    """415 for a Content-Type charset outside SAFE_CHARSETS.

    Django decodes the query string with the label while it builds the request, before any
    middleware runs, and an exception there is a 500 with a traceback. The JSON parser then
    accepts UTF-8 only (core/parsers.py).
    """

    def guarded(environ, start_response):
        _, params = parse_header_parameters(environ.get("CONTENT_TYPE", ""))
        charset = params.get("charset")
        if charset is not None and not is_safe_charset(charset):
            start_response(
                "415 Unsupported Media Type",
                [
                    ("Content-Type", "application/json"),
                    ("Content-Length", str(len(UNSUPPORTED_CHARSET))),
                    ("Cache-Control", "no-store"),
                    ("X-Content-Type-Options", "nosniff"),
                ],
            )
            return [UNSUPPORTED_CHARSET]
        return app(environ, start_response)

    return guarded
