"""The WebAuthn relying party, from configuration only (settings.py): its id is FRONTEND_URL's
host, its origins FRONTEND_URL's and WEBAUTHN_EXTRA_ORIGINS, in the form a browser writes an
origin into clientDataJSON. Never from a request's Host or Origin header."""

from urllib.parse import urlsplit

import idna
from django.core.exceptions import ImproperlyConfigured


def origin_of(url: str, name: str, path_allowed: bool = False) -> tuple[str, str]:
    """(origin, host) of `url`: the scheme, the lower-case ASCII host (IDNA 2008) and the port
    unless it is the scheme's default. Nothing else may be in it (no user or password, query or
    fragment, and no path unless `path_allowed`: an origin has none)."""
    parts = urlsplit(url.strip())
    try:
        port = parts.port
    except ValueError:
        port = -1
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or port == -1
        or "@" in parts.netloc
        or parts.query
        or parts.fragment
        or (not path_allowed and parts.path not in {"", "/"})
    ):
        raise ImproperlyConfigured(f"{name} must hold http(s) origins like https://example.com[:port], got {url!r}")
    host = parts.hostname
    if not host.isascii():
        try:
            host = idna.encode(host, uts46=True).decode("ascii")
        except idna.IDNAError as exc:
            raise ImproperlyConfigured(f"{name}: {parts.hostname!r} is not a valid host name") from exc
    hostport = f"[{host}]" if ":" in host else host
    if port is not None and port != {"http": 80, "https": 443}[parts.scheme]:
        hostport += f":{port}"
    return f"{parts.scheme}://{hostport}", host


def relying_party(frontend_url: str, extra_origins: list[str], production: bool) -> tuple[str, list[str]]:
    """(RP id, allowed origins). Each extra origin must be on the RP id's host or a subdomain of it
    (where a browser accepts that RP id), and https in production."""
    origin, rp_id = origin_of(frontend_url, "FRONTEND_URL", path_allowed=True)
    origins = [origin]
    for extra in extra_origins:
        origin, host = origin_of(extra, "WEBAUTHN_EXTRA_ORIGINS")
        if host != rp_id and not host.endswith("." + rp_id):
            raise ImproperlyConfigured(
                f"WEBAUTHN_EXTRA_ORIGINS: {extra!r} is not on {rp_id} or a subdomain of it (the relying party id)"
            )
        if production and not origin.startswith("https://"):
            raise ImproperlyConfigured(f"WEBAUTHN_EXTRA_ORIGINS: {extra!r} must be https in production")
        if origin not in origins:
            origins.append(origin)
    return rp_id, origins
