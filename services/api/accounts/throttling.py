"""DRF throttles for the anonymous auth endpoints, per client IP and per account or address.

Counters live in the default cache (Redis in every deployed setting), so they hold across
gunicorn workers and API replicas. Rates accept a multiplier: "10/15m" is ten per 15 minutes.
"""
import hashlib
import re

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from accounts.models import normalize_email

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^(\d+)/(\d*)([smhd])[a-z]*$")


class ScopedThrottle(SimpleRateThrottle):
    def get_rate(self):
        return settings.THROTTLE_RATES[self.scope]

    def parse_rate(self, rate):
        match = RATE.match(rate)
        if not match:
            raise ValueError(f"bad throttle rate {rate!r}")
        count, multiplier, unit = match.groups()
        return int(count), int(multiplier or 1) * DURATIONS[unit]


class IPThrottle(ScopedThrottle):
    def get_cache_key(self, request, view):
        # get_ident trusts exactly NUM_PROXIES=1 hop of X-Forwarded-For: the gateway's.
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class IdentifierThrottle(ScopedThrottle):
    """Counts per account or address, whatever IP the requests come from."""

    def get_cache_key(self, request, view):
        data = request.data if isinstance(request.data, dict) else {}
        email, username = data.get("email"), data.get("username")
        if isinstance(email, str) and email:
            ident = "e:" + normalize_email(email)
        elif isinstance(username, str) and username:
            ident = "u:" + username.strip().lower()
        else:
            return None
        # Hashed: a bounded key, and no addresses in Redis.
        digest = hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()
        return self.cache_format % {"scope": self.scope, "ident": digest}


class LoginIPThrottle(IPThrottle):
    scope = "login_ip"


class LoginAccountThrottle(IdentifierThrottle):
    scope = "login_account"


class RegisterIPThrottle(IPThrottle):
    scope = "register_ip"


class EmailIPThrottle(IPThrottle):
    """Endpoints that send email to an address given by the caller (reset, resend)."""

    scope = "email_ip"


class EmailAddressThrottle(IdentifierThrottle):
    scope = "email_address"


class KeyGuessIPThrottle(IPThrottle):
    """Endpoints that check a secret from an email (confirmation keys, reset links and codes)."""

    scope = "key_guess_ip"
