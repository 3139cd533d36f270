"""The base of views that take a request body: they declare its serializer, and read `self.input`.

Like allauth headless' `input_class`: a handler never builds and checks a serializer itself.
"""

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers
from rest_framework.views import APIView

InputClass = type[serializers.Serializer]


class InputAPIView(APIView):
    # No docstring: drf-spectacular would show it as the description of every view without one.
    # `input_class` is one serializer class, or a mapping of HTTP method to serializer class.
    # `self.input` is the validated data of the request's body: validated on first read (a 400
    # `validation_error` when invalid), so whatever a handler checks before reading it (the
    # login's CSRF check) still comes first. The serializer's context carries the request.

    input_class: InputClass | Mapping[str, InputClass] | None = None

    def get_input_class(self, method: str) -> InputClass | None:
        if isinstance(self.input_class, Mapping):
            return self.input_class.get(method.upper())
        return self.input_class

    @property
    def input(self) -> dict[str, Any]:
        cached = self.__dict__.get("_validated_input")
        if cached is None:
            input_class = self.get_input_class(self.request.method or "")
            if input_class is None:
                raise TypeError(f"{type(self).__name__} declares no input_class for {self.request.method}")
            serializer = input_class(data=self.request.data, context={"request": self.request, "view": self})
            serializer.is_valid(raise_exception=True)
            cached = self.__dict__["_validated_input"] = serializer.validated_data
        return cached
