"""Request guards that must run before any view reads the body."""

import contextvars
import logging
import re
import uuid

from django.conf import settings
from django.core.signals import request_finished
from django.dispatch import receiver
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from core import languages
from core.errors import json_error
from core.log_escaping import escape_record_message


class BodySizeLimitMiddleware:
    """Refuse bodies over API_MAX_BODY_BYTES before anything reads them.

    DRF reads the request stream directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE alone does
    not protect JSON endpoints. The gateway caps bodies too; this is the API's own line.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return json_error(400, "bad_request", _("Invalid Content-Length header."))
        if length > settings.API_MAX_BODY_BYTES:
            return json_error(413, "request_too_large", _("The request body is too large."))
        response = self.get_response(request)
        _drain(request)
        return response


def _drain(request):
    """Read what nothing read of a body within the limit (a 401, 403, 405 or 429 answered before
    the view looked at it). Gunicorn closes the connection after answering; unread bytes left
    in the socket turn that close into a TCP reset, and the gateway reports 502 instead of the
    API's own answer."""
    try:
        while request.read(64 * 1024):
            pass
    except OSError:  # the client went away (UnreadablePostError): nothing left to protect
        pass


class RequestLanguageMiddleware:
    """The request's language, from its Accept-Language only, for the `detail`s of its answer
    (codes never change), and the default language of an account signed up by it.

    Instead of Django's LocaleMiddleware, which chose a language the header weighs q=0, dropped
    the whole header for one malformed entry, and let a `django_language` cookie override it
    while the answer varied only by Accept-Language (attack findings). No cookie, no URL prefix.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = languages.from_accept_language(request.META.get("HTTP_ACCEPT_LANGUAGE", ""))
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", language)
        return response


class NoStoreMiddleware:
    """API answers carry accounts and tokens: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response


_request_id = contextvars.ContextVar("request_id", default="-")
_VALID_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")


class RequestIdMiddleware:
    """Every log line written while serving a request carries its id (`rid=`): the gateway's
    X-Request-ID (nginx's $request_id, also in its access log and in the response), or a new
    one. A client-made id of any other shape is replaced, so it cannot forge log lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get("HTTP_X_REQUEST_ID", "")
        # Not reset on the way out: Django logs "Bad Request: ..." after the middleware returns.
        # request_finished clears it once the response is sent.
        _request_id.set(given if _VALID_REQUEST_ID.fullmatch(given) else uuid.uuid4().hex)
        return self.get_response(request)


@receiver(request_finished)
def _forget_request_id(**kwargs):
    _request_id.set("-")


class RequestIdLogFilter(logging.Filter):
    """On the log handler: the request id, and the message with the control characters a client
    sent escaped ("Not Found: <path>" must stay one line whatever the path holds)."""

    def filter(self, record):
        record.request_id = _request_id.get()
        escape_record_message(record)
        return True
