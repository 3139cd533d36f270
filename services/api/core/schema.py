"""OpenAPI generation (drf-spectacular): the error answers every operation can give, and our
two token transports.

Views declare their request and success bodies with @extend_schema; this AutoSchema adds the
error responses that follow from how the view is built, all in the {code, detail, fields?}
shape of core.errors, so the schema (and the fuzz run that checks answers against it) knows
every status code the API can send.
"""
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers
from rest_framework.permissions import AllowAny


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable error code, e.g. `invalid_credentials`.")
    detail = serializers.CharField(help_text="A sentence for humans.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()), required=False,
        help_text="Only with `validation_error`: the messages for each invalid field "
                  "(`non_field_errors` for the request as a whole).",
    )


RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}}


class AutoSchema(SpectacularAutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code, description in self.error_responses():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                if code == "429":
                    response["headers"] = RETRY_AFTER
                responses[code] = response
        return dict(sorted(responses.items()))

    def error_responses(self):
        """(status, description) for each error this operation can answer with."""
        view = self.view
        has_body = self.method not in ("GET", "HEAD") and self.get_request_serializer() is not None
        needs_login = not all(issubclass(permission, AllowAny) for permission in view.permission_classes)
        has_filters = self._is_list_view() and bool(getattr(view, "filter_backends", None))
        errors = []
        if has_body or has_filters:
            errors.append(("400", "`validation_error` with `fields`, `parse_error` for malformed JSON, "
                                  "or the operation's own code (see the description)."))
        if needs_login:
            errors.append(("401", "`not_authenticated` or `authentication_failed`: no token, or an invalid, "
                                  "expired or revoked one."))
            errors.append(("403", "`csrf_failed` (cookie transport without a matching X-CSRFToken) or "
                                  "`permission_denied`."))
        if "{" in self.path or self._is_list_view():
            errors.append(("404", "`not_found`."))
        if has_body:
            errors.append(("413", "`request_too_large`: the body is over the size limit."))
            errors.append(("415", "`unsupported_media_type`: send `Content-Type: application/json`."))
        if view.throttle_classes or self.method in getattr(view, "password_checked_methods", ()):
            errors.append(("429", "`throttled`: too many attempts; wait `Retry-After` seconds."))
        return errors


class HeaderTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.HeaderTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "header", "name": "Authorization",
            "description": "API clients: `Authorization: Token <token>` with the token from login.",
        }


class CookieTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.CookieTokenAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey", "in": "cookie", "name": "auth_token",
            "description": "Browsers: the HttpOnly cookie set by login with `X-Auth-Transport: cookie`. "
                           "Unsafe methods also need `X-CSRFToken` equal to the `csrftoken` cookie.",
        }
