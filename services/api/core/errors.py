"""One JSON error shape for every failure: {"code", "detail", "fields"?}.

DRF exceptions go through `api_exception_handler`; Django-level failures (unknown URL, bad
Host header, crashes) go through the `handler*` views wired in config/urls.py.
"""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import OperationalError
from django.http import Http404, JsonResponse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status

logger = logging.getLogger(__name__)


class DomainError(Exception):
    """What domain code raises: a stable `code` and a `detail` for people, and no HTTP.

    The kind of failure is the subclass below; `api_exception_handler` gives each kind its HTTP
    answer, in one place (like allauth's flows, which never build responses themselves).
    """

    code = "error"
    # Translated when the answer is written, in the request's language (RequestLanguageMiddleware).
    detail: "str | Promise" = _("The request failed.")

    def __init__(self, detail: "str | Promise | None" = None):
        if detail is not None:
            self.detail = detail
        super().__init__(self.detail)


class Invalid(DomainError):
    """The request cannot be carried out as it stands (400)."""


class Refused(DomainError):
    """The caller may not do this now (403)."""


class Unauthenticated(DomainError):
    """The caller's credentials are not (or no longer) valid (401)."""


class FieldInvalid(DomainError):
    """One input field is wrong: answered like a serializer's field error (400 validation_error)."""

    code = "validation_error"

    def __init__(self, field: str, messages: list[str]):
        self.field, self.messages = field, messages
        super().__init__(messages[0] if messages else None)


class TooManyAttempts(DomainError):
    """A budget of attempts is used up (429 throttled, with Retry-After)."""

    code = "throttled"

    def __init__(self, wait: float):
        self.wait = wait
        seconds = round(wait)
        super().__init__(
            ngettext(
                "Too many attempts: try again in %(seconds)d second.",
                "Too many attempts: try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds}
        )


_STATUS_OF_KIND = {
    Invalid: status.HTTP_400_BAD_REQUEST,
    Refused: status.HTTP_403_FORBIDDEN,
}


class _CodedAPIException(exceptions.APIException):
    def __init__(self, status_code: int, detail: str, code: str):
        self.status_code = status_code
        super().__init__(detail, code)


def _as_api_exception(exc: DomainError) -> exceptions.APIException:
    """The one translation of domain failures into HTTP (and of their `detail` into the request's
    language: str() of a lazy message translates it now)."""
    if isinstance(exc, FieldInvalid):
        return exceptions.ValidationError({exc.field: exc.messages})
    if isinstance(exc, TooManyAttempts):
        return exceptions.Throttled(wait=exc.wait)
    if isinstance(exc, Unauthenticated):
        return exceptions.AuthenticationFailed(str(exc.detail), exc.code)
    for kind, status_code in _STATUS_OF_KIND.items():
        if isinstance(exc, kind):
            return _CodedAPIException(status_code, str(exc.detail), exc.code)
    raise TypeError(f"{type(exc).__name__} is not one of the DomainError kinds")


class APIError(exceptions.APIException):
    """Failures of the HTTP plumbing itself: set status_code, default_code and default_detail."""


class CSRFFailed(APIError):
    status_code = status.HTTP_403_FORBIDDEN
    default_code = "csrf_failed"
    default_detail = _("CSRF check failed.")


class DatabaseBusy(APIError):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_code = "database_busy"
    default_detail = _("The service is busy. Try again in a moment.")


def _flatten(detail):
    if isinstance(detail, dict):
        return {key: _flatten_list(value) for key, value in detail.items()}
    return {"non_field_errors": _flatten_list(detail)}


def _flatten_list(value):
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(_flatten_list(item) if isinstance(item, (list, tuple, dict)) else [str(item)])
        return out
    if isinstance(value, dict):
        return [f"{key}: {msg}" for key, msgs in value.items() for msg in _flatten_list(msgs)]
    return [str(value)]


def api_exception_handler(exc, context):
    if isinstance(exc, DomainError):
        exc = _as_api_exception(exc)
        if isinstance(exc, exceptions.AuthenticationFailed) and (view := context.get("view")) is not None:
            # What APIView.handle_exception does for the 401s it sees, which run before this
            # translation: say which scheme to use, or answer 403 where the view has none.
            if header := view.get_authenticate_header(context["request"]):
                exc.auth_header = header  # type: ignore[attr-defined]  # read by DRF's exception_handler
            else:
                exc.status_code = status.HTTP_403_FORBIDDEN
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    # Imported here: rest_framework.views loads the authentication classes, which import us.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, OperationalError) and "database is locked" in str(exc):
        # SQLite: another process held the write lock past the busy timeout (SQLITE_BUSY_TIMEOUT_S).
        # Transactions are IMMEDIATE, so the lock is taken first and nothing was written: a clean
        # 503 the client may retry, well before the gateway would give up with a 504.
        logger.warning("database busy: %s", exc)
        exc = DatabaseBusy()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # unexpected: Django's handler500 answers with the JSON shape

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        non_field = fields.get("non_field_errors")
        body = {
            "code": "validation_error",
            "detail": non_field[0] if non_field and len(fields) == 1 else _("Some fields are invalid."),
            "fields": fields,
        }
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = {"code": code, "detail": str(exc.detail)}
    if isinstance(exc, DatabaseBusy):
        response["Retry-After"] = "1"
    response.data = body
    return response


def json_error(status_code, code, detail):
    return JsonResponse({"code": code, "detail": detail}, status=status_code)


def handler400(request, exception=None):
    return json_error(400, "bad_request", _("Bad request."))


def handler403(request, exception=None):
    return json_error(403, "permission_denied", _("You do not have permission to perform this action."))


def handler404(request, exception=None):
    return json_error(404, "not_found", _("Not found."))


def csrf_failure(request, reason=""):
    """settings.CSRF_FAILURE_VIEW: Django's CSRF check outside DRF (health, schema) answers JSON."""
    return json_error(403, "csrf_failed", _("CSRF check failed."))


def handler500(request):
    return json_error(500, "server_error", _("Internal server error."))
