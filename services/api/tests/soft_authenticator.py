"""A software WebAuthn authenticator and client for the tests: what a browser and a security key or
passkey provider would send, built on `cryptography` (EC P-256, ES256) and `cbor2`.

It reads the options the API answers (their JSON form) and makes the JSON the web app would post:
a registration response with attestation "none" (authenticatorData with the rpIdHash, the UP/UV/AT
flags, the signature counter and the COSE key in CBOR) and assertions (authenticatorData signed
together with the SHA-256 of clientDataJSON). Every part can be made wrong on purpose (origin,
rp id, challenge, type, flags, counter, user handle), which is what the hostile tests need. It is
deliberately independent of py_webauthn: the tests check the API, not the library against itself.
"""

import base64
import hashlib
import json
import secrets
import struct
from dataclasses import dataclass
from typing import Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

UP, UV, BE, BS, AT = 0x01, 0x04, 0x08, 0x10, 0x40


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Refused(Exception):
    """What a real authenticator does with excludeCredentials it holds (InvalidStateError) or an
    allowCredentials list it holds none of (NotAllowedError)."""


@dataclass
class SoftCredential:
    credential_id: bytes
    private_key: ec.EllipticCurvePrivateKey
    rp_id: str
    user_handle: bytes
    discoverable: bool
    sign_count: int = 0
    backup_eligible: bool = False
    backed_up: bool = False
    cose_extra: dict[int, Any] | None = None  # more members of the COSE map, for the hostile tests

    def cose_public_key(self) -> bytes:
        numbers = self.private_key.public_key().public_numbers()
        # COSE_Key (RFC 9052/9053): kty EC2 (2), alg ES256 (-7), crv P-256 (1), x, y.
        key = {1: 2, 3: -7, -1: 1, -2: numbers.x.to_bytes(32, "big"), -3: numbers.y.to_bytes(32, "big")}
        return cbor2.dumps({**key, **(self.cose_extra or {})})


class SoftAuthenticator:
    """One authenticator (its credentials) plus the client that talks to it from `origin`.

    `counter_step` is how much the signature counter goes up per assertion (0: an authenticator
    that keeps no counter, like most synced passkeys)."""

    def __init__(self, origin: str, counter_step: int = 1, aaguid: bytes = bytes(16)):
        self.origin = origin
        self.counter_step = counter_step
        self.aaguid = aaguid
        self.credentials: list[SoftCredential] = []

    # ---- registration (navigator.credentials.create) ------------------------------------------

    def register(
        self,
        options: dict[str, Any],
        *,
        uv: bool = True,
        up: bool = True,
        origin: str | None = None,
        rp_id: str | None = None,
        challenge: str | None = None,
        client_type: str = "webauthn.create",
        cross_origin: bool | None = None,
        backup_eligible: bool = False,
        backed_up: bool = False,
        credential_id: bytes | None = None,
        transports: tuple[str, ...] = ("usb",),
        sign_count: int = 0,
        cose_extra: dict[int, Any] | None = None,
        client_extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        rp_id = rp_id or options["rp"]["id"]
        excluded = {from_b64url(item["id"]) for item in options.get("excludeCredentials", [])}
        if any(c.credential_id in excluded for c in self.credentials):
            raise Refused("one of this authenticator's credentials is excluded")
        selection = options.get("authenticatorSelection", {})
        credential = SoftCredential(
            credential_id=credential_id or secrets.token_bytes(32),
            private_key=ec.generate_private_key(ec.SECP256R1()),
            rp_id=rp_id,
            user_handle=from_b64url(options["user"]["id"]),
            discoverable=selection.get("residentKey") in ("required", "preferred"),
            sign_count=sign_count,
            backup_eligible=backup_eligible,
            backed_up=backed_up,
            cose_extra=cose_extra,
        )
        flags = (UP if up else 0) | (UV if uv else 0) | AT
        flags |= (BE if backup_eligible else 0) | (BS if backed_up else 0)
        attested = (
            self.aaguid
            + struct.pack(">H", len(credential.credential_id))
            + credential.credential_id
            + credential.cose_public_key()
        )
        auth_data = hashlib.sha256(rp_id.encode()).digest() + bytes([flags]) + struct.pack(">I", sign_count) + attested
        attestation_object = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        client_data = self._client_data(
            client_type, challenge or options["challenge"], origin, cross_origin, client_extra
        )
        self.credentials.append(credential)
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation_object),
                "transports": list(transports),
            },
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {},
        }

    # ---- assertions (navigator.credentials.get) -----------------------------------------------

    def choose(self, options: dict[str, Any]) -> SoftCredential:
        """The credential a browser would use: one of allowCredentials, or a discoverable one."""
        allowed = [from_b64url(item["id"]) for item in options.get("allowCredentials", [])]
        rp_id = options["rpId"]
        for credential in self.credentials:
            if credential.rp_id != rp_id:
                continue
            if (allowed and credential.credential_id in allowed) or (not allowed and credential.discoverable):
                return credential
        raise Refused("no credential of this authenticator fits these options")

    def assertion(
        self,
        options: dict[str, Any],
        *,
        credential: SoftCredential | None = None,
        uv: bool = True,
        up: bool = True,
        origin: str | None = None,
        rp_id: str | None = None,
        challenge: str | None = None,
        client_type: str = "webauthn.get",
        cross_origin: bool | None = None,
        sign_count: int | None = None,
        user_handle: bytes | None | str = "own",
        backup_eligible: bool | None = None,
        backed_up: bool | None = None,
        client_extra: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        credential = credential or self.choose(options)
        if sign_count is None:
            credential.sign_count += self.counter_step
            sign_count = credential.sign_count
        flags = (UP if up else 0) | (UV if uv else 0)
        flags |= BE if (credential.backup_eligible if backup_eligible is None else backup_eligible) else 0
        flags |= BS if (credential.backed_up if backed_up is None else backed_up) else 0
        auth_data = (
            hashlib.sha256((rp_id or credential.rp_id).encode()).digest()
            + bytes([flags])
            + struct.pack(">I", sign_count)
        )
        client_data = self._client_data(
            client_type, challenge or options["challenge"], origin, cross_origin, client_extra
        )
        signature = credential.private_key.sign(
            auth_data + hashlib.sha256(client_data).digest(), ec.ECDSA(hashes.SHA256())
        )
        if user_handle == "own":
            # Authenticators return the user handle of discoverable credentials (WebAuthn L2 6.3.3).
            handle = credential.user_handle if credential.discoverable else None
        else:
            handle = user_handle if isinstance(user_handle, bytes) or user_handle is None else None
        return {
            "id": b64url(credential.credential_id),
            "rawId": b64url(credential.credential_id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(handle) if handle is not None else None,
            },
            "authenticatorAttachment": "cross-platform",
            "clientExtensionResults": {},
        }

    def _client_data(
        self,
        client_type: str,
        challenge: str,
        origin: str | None,
        cross_origin: bool | None,
        extra: dict[str, Any] | None = None,
    ) -> bytes:
        data: dict[str, Any] = {"type": client_type, "challenge": challenge, "origin": origin or self.origin}
        if cross_origin is not None:
            data["crossOrigin"] = cross_origin
        data.update(extra or {})
        return json.dumps(data, separators=(",", ":")).encode()


def tampered(response: dict[str, Any], field: str, change: Any) -> dict[str, Any]:
    """A copy of `response` whose response.`field` (base64url) has its bytes passed through `change`."""
    copy = json.loads(json.dumps(response))
    copy["response"][field] = b64url(change(from_b64url(copy["response"][field])))
    return copy


def flip_last_bit(data: bytes) -> bytes:
    return data[:-1] + bytes([data[-1] ^ 0x01])
