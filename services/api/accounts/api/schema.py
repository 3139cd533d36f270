"""The OpenAPI security schemes of our two token transports (accounts.authentication).

Registered with drf-spectacular when the app is ready (accounts.apps).
"""

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension


class HeaderTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.HeaderTokenAuthentication"
    name = "tokenAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "API clients: `Authorization: Token <token>` with the token from login.",
        }


class CookieTokenScheme(OpenApiAuthenticationExtension):
    target_class = "accounts.authentication.CookieTokenAuthentication"
    name = "cookieAuth"
    priority = 1

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.AUTH_COOKIE_NAME,
            "description": "Browsers: the HttpOnly cookie set by login with `X-Auth-Transport: cookie`. "
            "Unsafe methods also need `X-CSRFToken` equal to the `csrftoken` cookie.",
        }
