"""Where a request comes from, for the security log (accounts/security_log.py)."""

from accounts import security_log, sessions


class SecurityOriginMiddleware:
    """Events recorded while serving a request carry its client address and user agent; the
    authentication class adds its session once the token is checked."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        where = security_log.Origin(
            ip=sessions.client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:256]
        )
        with security_log.origin(where):
            return self.get_response(request)
