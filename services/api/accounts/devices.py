"""Devices: a readable name from a user agent, and whether a sign-in comes from a device the
account has used before (for the new-device alert, accounts/sign_in_alerts.py).

A browser (the cookie transport) is known by a long-lived, signed, HttpOnly device cookie holding
a random id: one per browser, whichever accounts sign in there. An API client (the header
transport) has no cookie jar we can count on, so it is known by its user-agent family and its
network (the /24 of an IPv4 address, the /48 of an IPv6 one). Only a keyed hash of either is
stored (KnownDevice.fingerprint).
"""

import ipaddress
import secrets
from dataclasses import dataclass
from functools import lru_cache

import ua_parser
from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from accounts import sessions, transport
from accounts.models import KnownDevice, User

_COOKIE_SALT = "accounts.devices"


@lru_cache(maxsize=2048)
def _parsed(user_agent: str) -> tuple[str, str, str]:
    result = ua_parser.parse(user_agent)
    agent = result.user_agent
    browser = agent.family if agent is not None and agent.family != "Other" else ""
    major = (agent.major or "") if agent is not None and browser else ""
    system = result.os.family if result.os and result.os.family != "Other" else ""
    return browser, major, system


# The families a readable device may name. Some parser rules copy words of the header into the
# family ("URGENT call 1 800 555 0100 now bot": attack finding), and the name goes into emails to
# the owner: any other family is "Other browser", any other system is left out.
BROWSERS = frozenset(
    {
        "Chrome", "Chrome Mobile", "Chrome Mobile iOS", "Chrome Mobile WebView", "Chromium", "HeadlessChrome",
        "Firefox", "Firefox Mobile", "Firefox iOS", "Safari", "Mobile Safari", "Mobile Safari UI/WKWebView",
        "Edge", "Edge Mobile", "Opera", "Opera Mobile", "Opera Mini", "Samsung Internet", "Vivaldi",
        "Yandex Browser", "UC Browser", "DuckDuckGo Mobile", "Electron", "IE", "Android",
        "curl", "Wget", "Python Requests", "Python-urllib", "Go-http-client", "okhttp", "PostmanRuntime",
        "Apache-HttpClient", "node-fetch", "axios",
    }
)  # fmt: skip
SYSTEMS = frozenset(
    {
        "Windows", "Mac OS X", "iOS", "iPadOS", "Android", "Linux", "Ubuntu", "Debian", "Fedora",
        "Chrome OS", "FreeBSD", "OpenBSD",
    }
)  # fmt: skip


def describe(user_agent: str, language: str = settings.LANGUAGE_CODE) -> str:
    """ "Chrome 131 on Linux", "Firefox on Windows", "Python Requests 2", or "" when nothing is known;
    in `language` ("Chrome 131 unter Linux"). Stored in English, shown in the reader's language."""
    if not user_agent.strip():
        return ""
    browser, major, system = _parsed(user_agent[:256])
    with translation.override(language):
        name = f"{browser} {major}".strip() if browser in BROWSERS else gettext("Other browser")
        return gettext("%(browser)s on %(system)s") % {"browser": name, "system": system} if system in SYSTEMS else name


def warm_up() -> None:
    """The parser compiles its expressions on first use (a fifth of a second): at start-up instead."""
    _parsed("Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0.0.0 Safari/537.36")


def network(ip: str | None) -> str:
    """The client's network: the /24 of an IPv4 address, the /48 of an IPv6 one."""
    if not ip:
        return ""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    prefix = 24 if address.version == 4 else 48
    return str(ipaddress.ip_network(f"{address}/{prefix}", strict=False))


@dataclass(frozen=True)
class Device:
    """The device a sign-in comes from. `new_cookie` is the id to set in the browser, if it had none."""

    fingerprint: str
    label: str
    new_cookie: str | None = None


def _fingerprint(kind: str, value: str) -> str:
    return salted_hmac("accounts.devices.fingerprint", f"{kind}:{value}").hexdigest()


def of_request(request: HttpRequest) -> Device:
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:256]
    label = describe(user_agent)
    if transport.wants_cookie(request):
        try:
            device_id = request.get_signed_cookie(settings.DEVICE_COOKIE_NAME, salt=_COOKIE_SALT)
        except (KeyError, signing.BadSignature):
            device_id = None  # none yet, or one we did not sign: a new browser either way
        if device_id and len(device_id) == 43:
            return Device(_fingerprint("cookie", device_id), label)
        device_id = secrets.token_urlsafe(32)
        return Device(_fingerprint("cookie", device_id), label, new_cookie=device_id)
    browser, _, system = _parsed(user_agent)
    return Device(_fingerprint("client", f"{browser}|{system}|{network(sessions.client_ip(request))}"), label)


def set_cookie(response: HttpResponse, device: Device) -> None:
    if device.new_cookie is None:
        return
    response.set_signed_cookie(
        settings.DEVICE_COOKIE_NAME,
        device.new_cookie,
        salt=_COOKIE_SALT,
        max_age=int(settings.DEVICE_COOKIE_MAX_AGE.total_seconds()),
        path=settings.AUTH_COOKIE_PATH,
        secure=settings.AUTH_COOKIE_SECURE,
        httponly=True,
        samesite=settings.AUTH_COOKIE_SAMESITE,
    )


def remember(user: User, device: Device) -> bool:
    """Record that `user` signed in from `device`; True if the account has signed in before but
    not from this device (the first sign-in of an account is no alert: every device is new then).
    `last_login` is the previous sign-in's: knox updates it after the session is made."""
    now = timezone.now()
    if KnownDevice.objects.filter(user=user, fingerprint=device.fingerprint).update(last_seen=now, device=device.label):
        return False
    had_others = user.last_login is not None or KnownDevice.objects.filter(user=user).exists()
    try:
        with transaction.atomic():
            KnownDevice.objects.create(user=user, fingerprint=device.fingerprint, device=device.label)
    except IntegrityError:
        return False  # a parallel sign-in from the same device recorded it first: one alert at most
    return had_others
