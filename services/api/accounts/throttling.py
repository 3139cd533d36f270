"""Rate limits: atomic counters per client IP, per account and per address.

Counters live in the default cache (Redis in every deployed setting), so they hold across
gunicorn workers and API replicas. Each limit is a fixed window: one atomic increment of a key
that expires with its window, so parallel requests can never slip past a limit between a read
and a write (DRF's SimpleRateThrottle reads a list, appends and writes it back: racy).
Rates accept a multiplier: "10/15m" is ten per 15 minutes.

Password checks have a budget of their own (`password_check_budget`): every check of a password,
at login, in the Django admin or of the current password before a sensitive change, spends from
the account's and the client address's budget before the hash is computed, and a correct
password gives its unit back. So a stolen token buys no extra guesses.
"""
import hashlib
import math
import re
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from accounts.models import normalize_email
from core.errors import Throttled

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^(\d+)/(\d*)([smhd])[a-z]*$")


def timer():
    return time.time()


def parse_rate(rate):
    """"10/15m" -> (10, 900)."""
    match = RATE.match(rate)
    if not match:
        raise ValueError(f"bad throttle rate {rate!r}")
    count, multiplier, unit = match.groups()
    return int(count), int(multiplier or 1) * DURATIONS[unit]


def _digest(ident):
    # Hashed: a bounded key, and no addresses in Redis.
    return hashlib.sha256(ident.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class Spent:
    key: str
    allowed: bool
    wait: float


def spend(scope, ident):
    """Count one request of `ident` in `scope`'s current window, atomically."""
    limit, period = parse_rate(settings.THROTTLE_RATES[scope])
    now = timer()
    window = int(now // period)
    key = f"throttle:{scope}:{_digest(ident)}:{window}"
    # add() creates the key with its expiry only if it is missing (SET NX EX); incr() is INCRBY.
    cache.add(key, 0, timeout=period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=period + 1)
        count = 1
    return Spent(key, count <= limit, (window + 1) * period - now)


def give_back(spent):
    try:
        cache.decr(spent.key)
    except ValueError:
        pass  # its window is over already


class ScopedThrottle(BaseThrottle):
    """A DRF throttle on `spend`: subclasses name a scope and say what they count by."""

    scope = None

    def ident(self, request, view):
        raise NotImplementedError

    def allow_request(self, request, view):
        ident = self.ident(request, view)
        if ident is None:
            return True
        self.spent = spend(self.scope, ident)
        return self.spent.allowed

    def wait(self):
        return math.ceil(self.spent.wait)


class IPThrottle(ScopedThrottle):
    def ident(self, request, view):
        # get_ident trusts exactly NUM_PROXIES=1 hop of X-Forwarded-For: the gateway's.
        return "ip:" + self.get_ident(request)


class AddressThrottle(ScopedThrottle):
    """Counts per address given in the body's `field`, whatever IP the requests come from."""

    field = "email"

    def ident(self, request, view):
        data = request.data if isinstance(request.data, dict) else {}
        email = data.get(self.field)
        if isinstance(email, str) and email:
            return "e:" + normalize_email(email)
        return None


class AccountThrottle(ScopedThrottle):
    """Counts per authenticated account."""

    def ident(self, request, view):
        return f"user:{request.user.pk}" if request.user.is_authenticated else None


class RegisterIPThrottle(IPThrottle):
    scope = "register_ip"


class EmailIPThrottle(IPThrottle):
    """Endpoints that send email to an address given by the caller (reset, resend, email change)."""

    scope = "email_ip"


class EmailAddressThrottle(AddressThrottle):
    scope = "email_address"


class NewEmailAddressThrottle(AddressThrottle):
    """Email change: the new address is mailed, so it is counted like any other address."""

    scope = "email_address"
    field = "new_email"


class EmailChangeAccountThrottle(AccountThrottle):
    scope = "email_change_account"


class KeyGuessIPThrottle(IPThrottle):
    """Endpoints that check a secret from an email (confirmation keys, reset links and codes)."""

    scope = "key_guess_ip"


def account_ident(user=None, email=None, username=None):
    """What a password check is counted by: the account when there is one, else the identifier.

    An account's email and username share one budget; an unknown identifier gets its own, which
    behaves the same, so the budget does not tell known from unknown accounts.
    """
    if user is not None:
        return f"user:{user.pk}"
    if email:
        return "e:" + normalize_email(email)
    return "u:" + (username or "").strip().lower()


@contextmanager
def password_check_budget(account, ip):
    """Spend one password check of `account` (see account_ident) and of the client `ip`.

    Raises Throttled before any hashing when either budget is used up. The block either sets
    `check.ok = True` (a correct password: the unit is given back) or leaves it False.
    """
    spent = [spend("login_account", account)]
    if ip:
        spent.append(spend("login_ip", "ip:" + ip))
    refused = [s for s in spent if not s.allowed]
    if refused:
        raise Throttled(wait=math.ceil(max(s.wait for s in refused)))
    check = _Check()
    yield check
    if check.ok:
        for s in spent:
            give_back(s)


class _Check:
    ok = False
