"""OpenAPI generation (drf-spectacular): the error answers every operation can give, and the
shapes of requests that come in several forms (OneOfShapes).

Views declare their request body with `input_class` (core.views) and their success bodies with
@extend_schema; this AutoSchema adds the error responses that follow from how the view is built,
all in the {code, detail, fields?} shape of core.errors, so the schema (and the fuzz run that
checks answers against it) knows every status code the API can send.
"""

from django.core.validators import ProhibitNullCharactersValidator
from drf_spectacular.extensions import OpenApiSerializerExtension
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.plumbing import force_instance, get_class
from rest_framework import serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny

from core.views import InputAPIView


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, machine-readable error code, e.g. `invalid_credentials`.")
    detail = serializers.CharField(help_text="A sentence for humans.")
    # A field named `fields`: DRF's metaclass takes declared fields out of the class body.
    fields = serializers.DictField(  # type: ignore[assignment]
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="Only with `validation_error`: the messages for each invalid field "
        "(`non_field_errors` for the request as a whole).",
    )


NO_NUL = "^[^\\u0000]*$"
RETRY_AFTER = {"Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}}


class AutoSchema(SpectacularAutoSchema):
    def get_request_serializer(self):
        # A view's declared input (core.views.InputAPIView.input_class) is its request body;
        # @extend_schema(request=...) still wins where a view gives one.
        get_input_class = getattr(self.view, "get_input_class", None)
        method = self.__dict__.get("body_of_method", self.method)  # see _get_request_body
        if get_input_class is not None and (input_class := get_input_class(method)) is not None:
            return input_class
        return super().get_request_serializer()

    def _get_request_body(self, direction="request"):
        # drf-spectacular (0.28) drops every DELETE body and has no setting to keep one. A view
        # of ours whose DELETE reads a body (@extend_schema(request=...)) gets it documented like
        # a POST's, or no generated client could send it. Generic views' destroy() reads no body.
        # (OpenAPI 3.0 leaves a DELETE body undefined rather than forbidden; 3.1 allows it.)
        if self.method != "DELETE" or isinstance(self.view, GenericAPIView) or self.get_request_serializer() is None:
            return super()._get_request_body(direction)
        self.method, self.body_of_method = "POST", "DELETE"
        try:
            return super()._get_request_body(direction)
        finally:
            self.method = "DELETE"
            del self.body_of_method

    def _get_request_for_media_type(self, serializer, direction="request"):
        # drf-spectacular documents every PATCH body as partial (no `required`), as DRF's generic
        # views validate it. InputAPIView validates it whole, as declared: where its serializer
        # has required fields, document those (one whose fields are all optional reads the same
        # either way, and keeps its name).
        if (
            self.method == "PATCH"
            and isinstance(self.view, InputAPIView)
            and any(field.required for field in force_instance(serializer).fields.values())
        ):
            self.method = "POST"
            try:
                return self._get_request_for_media_type(serializer, direction)
            finally:
                self.method = "PATCH"
        schema, required = super()._get_request_for_media_type(serializer, direction)
        # A oneOf component has no `required` list of its own, but each of its shapes does.
        return schema, required or issubclass(get_class(serializer), OneOfShapes)

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            fields = force_instance(serializer).fields
            for name, field_schema in schema.get("properties", {}).items():
                # DRF refuses NUL in every CharField (ProhibitNullCharactersValidator): say so,
                # unless a pattern or a format already rules it out. (A pattern next to an
                # email's format would make schema-driven generators draw from the pattern.)
                if (
                    field_schema.get("type") == "string"
                    and not {"pattern", "format"} & field_schema.keys()
                    and any(
                        isinstance(validator, ProhibitNullCharactersValidator) for validator in fields[name].validators
                    )
                ):
                    field_schema["pattern"] = NO_NUL
        return schema

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
        needs_login = not all(
            isinstance(permission, type) and issubclass(permission, AllowAny) for permission in view.permission_classes
        )
        has_filters = self._is_list_view() and bool(getattr(view, "filter_backends", None))
        errors = []
        if has_body or has_filters:
            errors.append(
                (
                    "400",
                    "`validation_error` with `fields`, `parse_error` for malformed JSON, "
                    "or the operation's own code (see the description).",
                )
            )
        if needs_login:
            errors.append(
                (
                    "401",
                    "`not_authenticated` or `authentication_failed`: no token, or an invalid, expired or revoked one.",
                )
            )
            forbidden = "`csrf_failed` (cookie transport without a matching X-CSRFToken) or `permission_denied`"
            if self.method in getattr(view, "reauthenticated_methods", ()):
                forbidden += ", or `reauthentication_required`: reauthenticate this session, then retry"
            errors.append(("403", forbidden + "."))
        if "{" in self.path or self._is_list_view():
            errors.append(("404", "`not_found`."))
        if has_body:
            errors.append(("413", "`request_too_large`: the body is over the size limit."))
            errors.append(("415", "`unsupported_media_type`: send `Content-Type: application/json`."))
        if view.throttle_classes or self.method in getattr(view, "password_checked_methods", ()):
            errors.append(("429", "`throttled`: too many attempts; wait `Retry-After` seconds."))
        return errors


class OneOfShapes:
    """Mixin for a serializer that accepts one of several request shapes, each a serializer in
    `shapes` that says which fields it needs and which it must not have: the schema documents
    it as a oneOf of them, so clients and the fuzzer see the rule, not just prose."""

    shapes: tuple[type[serializers.Serializer], ...] = ()


class OneOfShapesExtension(OpenApiSerializerExtension):
    target_class = OneOfShapes
    match_subclasses = True

    def map_serializer(self, auto_schema, direction):
        return {"oneOf": [auto_schema.resolve_serializer(shape, direction).ref for shape in self.target.shapes]}
