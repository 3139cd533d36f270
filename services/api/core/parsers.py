"""The only request parser: JSON, with hostile input turned into a clean 400."""
import json

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class StrictJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            raw = stream.read()
            text = raw.decode(encoding)
            return json.loads(text, parse_constant=_reject_constant)
        # Deeply nested arrays raise RecursionError, which DRF would turn into a 500.
        except (ValueError, RecursionError, UnicodeDecodeError) as exc:
            raise ParseError("Malformed JSON.") from exc


def _reject_constant(name):
    raise ValueError(f"{name} is not valid JSON")
