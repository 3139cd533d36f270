"""Knox token authentication from the Authorization header or from the HttpOnly cookie.

One indexed query per request (accounts/token_lookup.py): unlike knox's own class, this does not
load and prune all of the user's tokens on every call (expired tokens are refused here and deleted
by a cleanup job), and the same query brings the user and the user's role names.
"""

import binascii
from hmac import compare_digest

from django.conf import settings
from django.middleware.csrf import REASON_CSRF_TOKEN_MISSING, REASON_NO_CSRF_COOKIE
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication
from knox.crypto import hash_token
from knox.settings import CONSTANTS
from rest_framework import exceptions
from rest_framework.authentication import CSRFCheck

from accounts import security_log, sessions
from accounts.token_lookup import tokens_with_key
from core.errors import CSRFFailed

INVALID_TOKEN = _("Invalid or expired token.")  # an error message, not a password  # nosec B105


class HeaderTokenAuthentication(TokenAuthentication):
    """`Authorization: Token <token>` for API clients."""

    def authenticate_credentials(self, token):
        try:
            token = token.decode("ascii")
            digest = hash_token(token)
        except (UnicodeDecodeError, TypeError, ValueError, binascii.Error):
            raise exceptions.AuthenticationFailed(INVALID_TOKEN) from None
        now = timezone.now()
        for auth_token, role_names in tokens_with_key(token[: CONSTANTS.TOKEN_KEY_LENGTH]):
            if compare_digest(digest, auth_token.digest):
                if auth_token.expiry is not None and auth_token.expiry <= now:
                    break
                if not auth_token.user.is_active:
                    break
                sessions.touch(auth_token)
                security_log.set_session(auth_token.public_id, auth_token.user_id)
                auth_token.user.cache_roles(role_names)
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


def enforce_csrf(request):
    """DRF's own CSRF check (the one its SessionAuthentication runs), answered as `csrf_failed`."""
    request = getattr(request, "_request", request)  # the Django request under DRF's wrapper
    check = CSRFCheck(lambda req: None)  # type: ignore[arg-type]  # as DRF calls it: no view runs
    check.process_request(request)
    # DRF's CSRFCheck answers its reason (a str), not a response.
    reason = check.process_view(request, None, (), {})  # type: ignore[arg-type]
    if reason:
        raise CSRFFailed(format_lazy(_("CSRF check failed: {reason}."), reason=_csrf_reason(str(reason))))


def _csrf_reason(reason: str):
    """Django's reason (English only, and naming the request's Origin), in the request's language."""
    if reason == REASON_NO_CSRF_COOKIE:
        return _("the CSRF cookie is not set")
    if reason == REASON_CSRF_TOKEN_MISSING:
        return _("the CSRF token is missing")
    if reason.startswith("Origin checking failed"):
        return _("the request does not come from a trusted origin")
    if reason.startswith("Referer checking failed"):
        return _("the Referer header is missing or not trusted")
    return _("the CSRF token does not match the cookie")
