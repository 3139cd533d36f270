"""The languages we speak (settings.LANGUAGES) and the one a request asks for."""

import re
from functools import lru_cache

from django.conf import settings
from django.utils import translation

# More than any browser sends; what is beyond is not read (nginx allows longer headers).
MAX_HEADER_CHARACTERS = 4096
# One language range with its optional weight (RFC 9110 12.4.2 and 12.5.4, RFC 4647 2.1).
_RANGE = re.compile(
    r"\s*([A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*|\*)\s*(?:;\s*[qQ]\s*=\s*(0(?:\.\d{0,3})?|1(?:\.0{0,3})?))?\s*"
)


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def current() -> str:
    """The active language (RequestLanguageMiddleware sets it from Accept-Language), as one of ours."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE


@lru_cache(maxsize=512)
def _from_accept_language(header: str) -> str:
    weights: dict[str, tuple[float, int]] = {}  # our language -> (weight, where the header named it)
    wildcard: float | None = None
    for position, item in enumerate(header.split(",")):
        match = _RANGE.fullmatch(item)
        if match is None:
            continue  # a malformed entry is skipped, not the whole header
        tag, weight = match.group(1).lower(), float(match.group(2) or 1)
        if tag == "*":
            wildcard = weight if wildcard is None else max(wildcard, weight)
            continue
        primary = tag.split("-", 1)[0]  # de-AT asks for German: we have one German
        if primary in codes():
            known = weights.get(primary)
            weights[primary] = (weight, position) if known is None or weight > known[0] else known
    if wildcard is not None:  # "*": every language the header does not name, at its weight
        for position, code in enumerate(codes(), start=len(header)):
            weights.setdefault(code, (wildcard, position))
    acceptable = [(-weight, position, code) for code, (weight, position) in weights.items() if weight > 0]
    return min(acceptable)[2] if acceptable else settings.LANGUAGE_CODE


def from_accept_language(header: str) -> str:
    """The language of ours that an Accept-Language header prefers: the highest weight, then the
    first named; never one it weighs q=0 ("not acceptable"); ours by default (settings.LANGUAGE_CODE)."""
    return _from_accept_language(header[:MAX_HEADER_CHARACTERS])
