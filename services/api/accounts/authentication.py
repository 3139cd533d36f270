"""Knox token authentication from the Authorization header or from the HttpOnly cookie.

One indexed query per request: unlike knox's own class, this does not load and prune all of
the user's tokens on every call (expired tokens are refused here and deleted by a cleanup job).
"""
import binascii
from hmac import compare_digest

from django.conf import settings
from django.db import connections, router
from django.db.models.expressions import RawSQL
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import timezone
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.models import get_token_model
from knox.settings import CONSTANTS
from rest_framework import exceptions

from accounts import sessions
from core.errors import CSRFFailed

INVALID_TOKEN = "Invalid or expired token."  # an error message, not a password  # nosec B105

# Role names never contain it (the admin API takes slugs); it joins them in one column.
ROLE_SEPARATOR = "\x1f"


# The user's role names in one column of the token query. Written as SQL once, not as an ORM
# subquery: compiling that subquery cost about 0.5 ms per request, more than the query itself.
_ROLE_NAMES_SQL = (
    'SELECT {aggregate} FROM "auth_group" INNER JOIN "accounts_user_groups" '
    'ON "auth_group"."id" = "accounts_user_groups"."group_id" '
    'WHERE "accounts_user_groups"."user_id" = "accounts_authtoken"."user_id"'
)
ROLE_NAMES_SQL = {
    "postgresql": _ROLE_NAMES_SQL.replace("{aggregate}", 'STRING_AGG("auth_group"."name", chr(31))'),
    "sqlite": _ROLE_NAMES_SQL.replace("{aggregate}", 'GROUP_CONCAT("auth_group"."name", char(31))'),
}


def role_names_of_token_user(model):
    # Constant SQL, no parameters: nothing from the request reaches it.
    return RawSQL(ROLE_NAMES_SQL[connections[router.db_for_read(model)].vendor], ())  # noqa: S611  # nosec B611


class HeaderTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>` for API clients."""

    def authenticate_credentials(self, token):
        try:
            token = token.decode("ascii")
            digest = hash_token(token)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from None
        # The one query of an authenticated request: the token by its indexed key, its user, and
        # the user's role names (so the user payload needs no second query).
        candidates = (
            get_token_model()
            .objects.filter(token_key=token[: CONSTANTS.TOKEN_KEY_LENGTH])
            .select_related("user")
            .annotate(role_names=role_names_of_token_user(get_token_model()))
        )
        now = timezone.now()
        for auth_token in candidates:
            if compare_digest(digest, auth_token.digest):
                if auth_token.expiry is not None and auth_token.expiry <= now:
                    break
                if not auth_token.user.is_active:
                    break
                sessions.touch(auth_token)
                names = auth_token.role_names
                auth_token.user.cache_roles(names.split(ROLE_SEPARATOR) if names else [])
                return auth_token.user, auth_token
        raise exceptions.AuthenticationFailed(INVALID_TOKEN)


class CookieTokenAuthentication(HeaderTokenAuthentication):
    """The web app's transport: the same knox token, in an HttpOnly cookie, plus CSRF."""

    def authenticate(self, request):
        raw = request.COOKIES.get(settings.AUTH_COOKIE_NAME)
        if not raw:
            return None
        user, auth_token = self.authenticate_credentials(raw.encode("ascii", "replace"))
        # A browser attaches cookies to cross-site requests; only CSRF tells them apart.
        enforce_csrf(request)
        return user, auth_token

    def authenticate_header(self, request):
        return None


class _CSRFCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):
        return reason


def enforce_csrf(request):
    request = getattr(request, "_request", request)  # the Django request under DRF's wrapper
    check = _CSRFCheck(lambda req: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        raise CSRFFailed(f"CSRF check failed: {reason}")
