"""Rate limits: atomic counters per client IP, per account and per address.

Counters live in the default cache (Redis in every deployed setting), so they hold across
gunicorn workers and API replicas. Each request is one atomic increment of a key that expires
after its window, so parallel requests can never slip past a limit between a read and a write
(DRF's SimpleRateThrottle reads a list, appends and writes it back: racy); the limit is a
sliding window estimated from two fixed ones (see `spend`).
Rates accept a multiplier: "10/15m" is ten per 15 minutes.

Password checks have a budget of their own (`password_check_budget`), kept in the database:
every check of a password, at login, in the Django admin or of the current password before a
sensitive change, spends from the account's and the client address's budget before the hash is
computed, and a correct password gives its unit back. So a stolen token buys no extra guesses,
and a hung or lost Redis gives none either.
"""

import hashlib
import math
import re
import time
from abc import ABCMeta, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import F
from rest_framework.permissions import SAFE_METHODS
from rest_framework.throttling import BaseThrottle

from accounts.models import ThrottleCount
from core.email_address import normalize_email
from core.errors import TooManyAttempts

DURATIONS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE = re.compile(r"^(\d+)/(\d*)([smhd])[a-z]*$")


def timer():
    return time.time()


def parse_rate(rate):
    """ "10/15m" -> (10, 900)."""
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
    store: object
    key: str
    allowed: bool
    wait: float


class CacheCounts:
    """Counters in the default cache (Redis; process memory while Redis is unreachable)."""

    @staticmethod
    def incr(key, ttl):
        # add() creates the key with its expiry only if it is missing (SET NX EX); incr() is INCRBY.
        cache.add(key, 0, timeout=ttl)
        try:
            return cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, timeout=ttl)
            return 1

    @staticmethod
    def get(key):
        return cache.get(key) or 0

    @staticmethod
    def decr(key):
        try:
            cache.decr(key)
        except ValueError:
            pass  # expired already


class DatabaseCounts:
    """Counters in the database: the password-check budgets. They must hold whatever happens to
    Redis (a per-process fallback would give every gunicorn worker, and every restart, a fresh
    budget), and one upsert per password check is small next to the hash."""

    @staticmethod
    def upsert_sql(connection):
        """One atomic statement on PostgreSQL and SQLite (3.35+): no read-then-write race. Only
        the model's table name, quoted by the backend, goes into the text."""
        table = connection.ops.quote_name(ThrottleCount._meta.db_table)
        return (
            f"INSERT INTO {table} (name, count, expires_at) VALUES (%s, 1, %s) "  # noqa: S608  # nosec B608
            f"ON CONFLICT (name) DO UPDATE SET count = {table}.count + 1 RETURNING count"
        )

    @classmethod
    def incr(cls, key, ttl):
        expires_at = datetime.fromtimestamp(timer() + ttl, tz=UTC)
        sql = cls.upsert_sql(connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [key, expires_at])
            return cursor.fetchone()[0]

    @classmethod
    def get(cls, key):
        return ThrottleCount.objects.filter(name=key).values_list("count", flat=True).first() or 0

    @classmethod
    def decr(cls, key):
        ThrottleCount.objects.filter(name=key, count__gt=0).update(count=F("count") - 1)

    @classmethod
    def forget(cls, key):
        ThrottleCount.objects.filter(name=key).delete()


def forget_expired_counts():
    """A relay job (settings.OUTBOX_RELAY_JOBS): drop database counters whose windows are over."""
    return ThrottleCount.objects.filter(expires_at__lt=datetime.fromtimestamp(timer(), tz=UTC)).delete()[0]


def spend(scope, ident, store=CacheCounts):
    """Count one request of `ident` in `scope`, atomically, against a sliding window.

    The window is approximated from two fixed ones: the current window's count plus the previous
    window's count weighted by how much of it still lies within one period. So a burst at the end
    of one window is still counted at the start of the next, and nobody gets twice a limit by
    aiming at a boundary. A refused request is not counted.
    """
    limit, period = parse_rate(settings.THROTTLE_RATES[scope])
    now = timer()
    window, elapsed = divmod(now, period)
    window, fraction = int(window), elapsed / period
    prefix = f"throttle:{scope}:{_digest(ident)}:"
    key = prefix + str(window)
    count = store.incr(key, ttl=2 * period + 1)  # kept a second period: the next one weighs it
    previous = store.get(prefix + str(window - 1))
    if count + previous * (1 - fraction) <= limit:
        return Spent(store, key, True, 0.0)
    store.decr(key)
    return Spent(store, key, False, _wait(limit, period, count - 1, previous, fraction))


def _wait(limit, period, count, previous, fraction):
    """Seconds until one more request fits, for Retry-After."""
    room = limit - 1 - count  # what the previous window's weight must fall to
    if room >= 0 and previous > 0:
        # Later in this window: previous * (1 - f) <= room.
        return max(1.0, (1 - room / previous - fraction) * period)
    # In the next window, where this window's count becomes the weighted one.
    needed = 1 - (limit - 1) / count if count else 0.0
    return max(1.0, (1 - fraction) * period + max(0.0, needed) * period)


def give_back(spent):
    spent.store.decr(spent.key)


class ScopedThrottle(BaseThrottle, metaclass=ABCMeta):
    """A DRF throttle on `spend`: subclasses name a scope and say what they count by."""

    scope: str | None = None

    @abstractmethod
    def ident(self, request, view):
        """What this request is counted by, or None to not count it."""

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
    """Counts per address given in the body's `field`, whatever IP the requests come from.

    Only a request whose input is valid counts: the view's input (core.views.InputAPIView) is
    validated here, so an invalid one is answered 400 before the address is counted. Otherwise
    anyone could use up an address's budget, silently, with requests that mail nothing (attack
    finding: four sign-ups with a bad `language` locked the owner out of reset for 17 minutes).
    """

    field = "email"

    def ident(self, request, view):
        method = request.method or ""
        if method in SAFE_METHODS or getattr(view, method.lower(), None) is None:
            return None  # sends nothing (OPTIONS), or no handler: answered 405 next, input unread
        email = view.input.get(self.field)  # validated and normalised (NormalizedEmailField)
        if isinstance(email, str) and email:
            return "e:" + email
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


class WebAuthnIPThrottle(IPThrottle):
    """The anonymous WebAuthn endpoints (the passkey login and its options, the second step's
    options): each begin stores a challenge row, so nobody may fill the database with them."""

    scope = "webauthn_ip"


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

    Raises TooManyAttempts before any hashing when either budget is used up. The block either sets
    `check.ok = True` (a correct password: the unit is given back) or leaves it False.
    """
    with _budgets("login_account", account, "login_ip", ip) as check:
        yield check


@contextmanager
def second_factor_budget(user, ip):
    """Spend one check of a second factor's code (authenticator or recovery code) of `user` and
    of the client `ip`, in the database like the password checks. Used like password_check_budget:
    a right code sets `check.ok = True` and gives the unit back."""
    with _budgets("mfa_account", account_ident(user), "mfa_ip", ip) as check:
        yield check


@contextmanager
def _budgets(account_scope, account, ip_scope, ip):
    spent = [spend(account_scope, account, store=DatabaseCounts)]
    if ip:
        spent.append(spend(ip_scope, "ip:" + ip, store=DatabaseCounts))
    refused = [s for s in spent if not s.allowed]
    if refused:
        # A refused check costs nothing: the budget that did grant a unit gets it back. Else an
        # address that used up its own budget could still drain any account's, and lock its owner
        # out from everywhere without a single password being checked.
        for s in spent:
            if s.allowed:
                give_back(s)
        raise TooManyAttempts(wait=math.ceil(max(s.wait for s in refused)))
    check = _Check()
    yield check
    if check.ok:
        for s in spent:
            give_back(s)


class _Check:
    ok = False
