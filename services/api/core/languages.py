"""The languages we speak (settings.LANGUAGES) and the one of the current request."""

from django.conf import settings
from django.utils import translation


def codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def current() -> str:
    """The active language (LocaleMiddleware sets it from Accept-Language), as one of ours."""
    try:
        return translation.get_supported_language_variant(translation.get_language() or settings.LANGUAGE_CODE)
    except LookupError:
        return settings.LANGUAGE_CODE
