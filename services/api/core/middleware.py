"""Request guards that must run before any view reads the body."""
from django.conf import settings

from core.errors import json_error


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
            return json_error(400, "bad_request", "Invalid Content-Length header.")
        if length > settings.API_MAX_BODY_BYTES:
            return json_error(413, "request_too_large", "The request body is too large.")
        return self.get_response(request)


class NoStoreMiddleware:
    """API answers carry accounts and tokens: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Cache-Control"] = "no-store"
        return response
