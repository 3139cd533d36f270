"""The only request parser: JSON, with hostile input turned into a clean 400."""

import json

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ParseError, UnsupportedMediaType
from rest_framework.parsers import JSONParser

# JSON is UTF-8 (RFC 8259 section 8.1); any other charset label is refused before decoding, so
# a label Python reads as a codec but not a text encoding (rot13, base64, zlib) cannot reach it.
UTF_8_LABELS = {"utf-8", "utf8"}


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding") or settings.DEFAULT_CHARSET
        if encoding.strip().lower() not in UTF_8_LABELS:
            raise UnsupportedMediaType(media_type, detail=_("JSON bodies must be UTF-8 (charset=utf-8 or none)."))
        try:
            raw = stream.read()
            text = raw.decode("utf-8")
            return json.loads(text, parse_constant=_reject_constant)
        # Deeply nested arrays raise RecursionError, which DRF would turn into a 500.
        except (ValueError, RecursionError, UnicodeDecodeError) as exc:
            raise ParseError(_("Malformed JSON.")) from exc


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")
