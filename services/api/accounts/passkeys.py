"""Passkeys and security keys (WebAuthn, with py_webauthn): registration, the account's list, and
the three ceremonies that check an assertion: a usernameless passkey login, the login's second
step and reauthentication. (Not named webauthn.py: that would shadow the library.)

Every ceremony bound to an account begins with options holding a fresh challenge (64 random
bytes, py_webauthn's), of which only the SHA-256 is stored, with its purpose, its account (or its login challenge) and
an expiry (WebAuthnChallenge). The browser's response carries the challenge back in its
clientDataJSON: the stored row is looked up by it, locked and deleted before anything else is
checked, so a challenge works once, for its own purpose, whatever the outcome. py_webauthn then
checks the response against the challenge, the configured origins and relying-party id (never
the request's Host or Origin), the flags, the signature and the signature counter; the counter
is stored under the credential's row lock. The usernameless login's challenge is signed rather
than stored (see begin_passkey_login), so an anonymous visitor makes no row. Any refusal is
InvalidCredential, one answer for every reason; the reason goes to the log.
"""

import hashlib
import hmac
import json
import logging
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    decode_credential_public_key,
    decoded_public_key_to_cryptography,
    options_to_json_dict,
    parse_authentication_credential_json,
    parse_client_data_json,
    parse_registration_credential_json,
)
from webauthn.helpers.exceptions import InvalidAuthenticationResponse
from webauthn.helpers.structs import (
    AttestationConveyancePreference,
    AuthenticationCredential,
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    CollectedClientData,
    CredentialDeviceType,
    PublicKeyCredentialCreationOptions,
    PublicKeyCredentialDescriptor,
    PublicKeyCredentialRequestOptions,
    RegistrationCredential,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from accounts import factors, mail, recovery_codes, security_log
from accounts.errors import InvalidCredential, TooManyCredentials
from accounts.models import (
    LoginChallenge,
    RecoveryCode,
    User,
    WebAuthnChallenge,
    WebAuthnCredential,
    WebAuthnUserHandle,
)

logger = logging.getLogger(__name__)

PASSKEY, SECURITY_KEY = "passkey", "security_key"  # the kinds of factor the notices name (accounts/mail.py)
MAX_CREDENTIAL_ID_BYTES = 1023  # WebAuthn L2 5.8.3
MAX_PUBLIC_KEY_BYTES = 2048  # a COSE key: about 77 bytes for ES256, 530 for RSA-4096
_KNOWN_TRANSPORTS = {transport.value for transport in AuthenticatorTransport}


@dataclass(frozen=True)
class Registered:
    credential: WebAuthnCredential
    # The new recovery codes when this is the account's first factor (shown once), else none.
    recovery_codes: list[str]


def credentials(user: User) -> QuerySet[WebAuthnCredential]:
    return WebAuthnCredential.objects.filter(user=user).order_by("created_at", "pk")


# ---- challenges ------------------------------------------------------------------------------


def _hash(challenge: bytes) -> str:
    return hashlib.sha256(challenge).hexdigest()


def _timeout_ms() -> int:
    return settings.WEBAUTHN_CHALLENGE_TTL_SECONDS * 1000


def _store_challenge(
    challenge: bytes,
    purpose: str,
    user: User | None = None,
    login_challenge: LoginChallenge | None = None,
    passwordless: bool = False,
) -> None:
    WebAuthnChallenge.objects.create(
        challenge_hash=_hash(challenge),
        purpose=purpose,
        user=user,
        login_challenge=login_challenge,
        passwordless=passwordless,
        expires_at=timezone.now() + timedelta(seconds=settings.WEBAUTHN_CHALLENGE_TTL_SECONDS),
    )


def _take_challenge(challenge: bytes, purpose: str, **bound: Any) -> WebAuthnChallenge | None:
    """Use up the challenge `challenge` if this ceremony issued it: for `purpose`, `bound` to its
    account or login challenge, and not expired. The row is locked and deleted first, so of two
    requests with one challenge only one finds it. Runs inside the caller's transaction, which
    must commit even when the response is then refused: a challenge is never tried twice."""
    entry = (
        WebAuthnChallenge.objects.select_for_update()
        .filter(challenge_hash=_hash(challenge), purpose=purpose, **bound)
        .first()
    )
    if entry is None:
        logger.info("webauthn response refused: no such %s challenge (used, replaced or never issued)", purpose)
        return None
    entry.delete()
    if entry.expires_at <= timezone.now():
        logger.info("webauthn response refused: the %s challenge expired", purpose)
        return None
    return entry


def forget_expired_challenges() -> int:
    """A relay job (settings.OUTBOX_RELAY_JOBS): drop ceremonies nobody finished in time."""
    return WebAuthnChallenge.objects.filter(expires_at__lte=timezone.now()).delete()[0]


# ---- the browser's responses -------------------------------------------------------------------


def _reason(exc: BaseException) -> str:
    """For the log: py_webauthn's message, and the cause it points to ("See __cause__")."""
    cause = exc.__cause__
    return f"{exc} ({type(cause).__name__}: {cause})" if cause is not None else str(exc)


def _client_data(client_data_json: bytes) -> CollectedClientData | None:
    try:
        parsed = parse_client_data_json(client_data_json)
        # py_webauthn does not read topOrigin: a browser sets it only for a ceremony in another
        # site's frame, which this app never is (attack finding: it was ignored).
        top_origin = "topOrigin" in json.loads(client_data_json)
    except Exception as exc:  # noqa: BLE001  # hostile input: any failure to read it is a refusal, never a 500
        logger.info("webauthn response refused: unreadable clientDataJSON (%s)", _reason(exc))
        return None
    if top_origin:
        logger.info("webauthn response refused: made in another site's frame (topOrigin)")
        return None
    return parsed


def _cross_origin(client_data: CollectedClientData, what: str) -> bool:
    """A ceremony run in an iframe of another site (py_webauthn does not look): refused, as the
    app is never framed (X-Frame-Options: DENY, frame-ancestors 'none')."""
    if client_data.cross_origin:
        logger.info("webauthn response refused (%s): made in a cross-origin iframe", what)
        return True
    return False


def _parse_assertion(credential: Mapping[str, Any]) -> tuple[AuthenticationCredential, CollectedClientData] | None:
    try:
        parsed = parse_authentication_credential_json(dict(credential))
    except Exception as exc:  # noqa: BLE001  # hostile input, as above
        logger.info("webauthn response refused: unreadable (%s)", _reason(exc))
        return None
    client_data = _client_data(parsed.response.client_data_json)
    return None if client_data is None else (parsed, client_data)


def _parse_registration(credential: Mapping[str, Any]) -> tuple[RegistrationCredential, CollectedClientData] | None:
    try:
        parsed = parse_registration_credential_json(dict(credential))
    except Exception as exc:  # noqa: BLE001  # hostile input, as above
        logger.info("webauthn response refused: unreadable (%s)", _reason(exc))
        return None
    client_data = _client_data(parsed.response.client_data_json)
    return None if client_data is None else (parsed, client_data)


def _transports(stored: str) -> list[AuthenticatorTransport]:
    return [AuthenticatorTransport(value) for value in stored.split(",") if value in _KNOWN_TRANSPORTS]


def _descriptors(user: User) -> list[PublicKeyCredentialDescriptor]:
    return [
        PublicKeyCredentialDescriptor(id=bytes(c.credential_id), transports=_transports(c.transports) or None)
        for c in credentials(user)
    ]


def _user_handle(user: User) -> bytes:
    """The account's WebAuthn user handle, made on first use (random: never the pk or the address)."""
    entry, _ = WebAuthnUserHandle.objects.get_or_create(user=user, defaults={"handle": secrets.token_bytes(32)})
    return bytes(entry.handle)


def _handle_matches(user: User, user_handle: bytes | None, required: bool) -> bool:
    """A response's userHandle must be the account's (WebAuthn L2 7.2 step 6); a passkey login
    has no other way to name the account, so there it must be given."""
    if user_handle is None:
        if required:
            logger.info("webauthn assertion refused for user %s: no user handle", user.pk)
        return not required
    stored = WebAuthnUserHandle.objects.filter(user=user).values_list("handle", flat=True).first()
    if stored is None or not hmac.compare_digest(bytes(stored), user_handle):
        logger.info("webauthn assertion refused for user %s: the user handle is not the account's", user.pk)
        return False
    return True


def _verify_assertion(
    parsed: AuthenticationCredential,
    client_data: CollectedClientData,
    stored: WebAuthnCredential,
    require_user_verification: bool,
) -> bool:
    """Whether the assertion is `stored`'s, for this challenge, origin and relying party, and its
    counter went up; then the counter and the last use are recorded. `stored` is row-locked by the
    caller, so two assertions of one credential are checked one after the other."""
    if _cross_origin(client_data, f"credential {stored.pk}"):
        return False
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=client_data.challenge,  # the one just taken: this ceremony issued it
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGINS,
            credential_public_key=bytes(stored.public_key),
            credential_current_sign_count=stored.sign_count,
            require_user_verification=require_user_verification,
        )
    except Exception as exc:  # noqa: BLE001  # any failure to verify hostile input is a refusal, never a 500
        logger.info("webauthn assertion refused for credential %s: %s", stored.pk, _reason(exc))
        if isinstance(exc, InvalidAuthenticationResponse) and stored.sign_count > 0:
            _warn_if_cloned(parsed, client_data, stored, require_user_verification)
        return False
    if (verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE) != stored.backup_eligible:
        logger.info("webauthn assertion refused for credential %s: its backup eligibility changed", stored.pk)
        return False
    stored.sign_count = verified.new_sign_count
    stored.backed_up = verified.credential_backed_up
    stored.last_used_at = timezone.now()
    stored.save(update_fields=["sign_count", "backed_up", "last_used_at"])
    return True


def _warn_if_cloned(
    parsed: AuthenticationCredential,
    client_data: CollectedClientData,
    stored: WebAuthnCredential,
    require_user_verification: bool,
) -> None:
    """An assertion refused only because its counter did not go up (signed right otherwise) means
    two authenticators may hold this private key (WebAuthn L2 6.1.1): worth a warning. The check
    again without the counter decides nothing (the assertion stays refused); it keeps the warning
    for properly signed assertions, so nobody can raise it with made-up data."""
    try:
        verified = verify_authentication_response(
            credential=parsed,
            expected_challenge=client_data.challenge,
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGINS,
            credential_public_key=bytes(stored.public_key),
            credential_current_sign_count=0,
            require_user_verification=require_user_verification,
        )
    except Exception:  # noqa: BLE001  # refused for another reason too
        return
    if verified.new_sign_count > stored.sign_count:
        return  # the counter was not the reason
    logger.warning(
        "webauthn: possible cloned authenticator: credential %s of user %s signed with counter %s, last seen %s",
        stored.pk,
        stored.user_id,
        verified.new_sign_count,
        stored.sign_count,
    )


# ---- registration ----------------------------------------------------------------------------


def begin_registration(user: User, passwordless: bool) -> dict[str, Any]:
    """POST /api/auth/mfa/webauthn/register/begin/: the creation options. A passkey
    (`passwordless`) must be discoverable and verify the user; a security key need not. The
    account's credentials are excluded, so one authenticator is not registered twice. A new
    begin replaces the account's unfinished one."""
    with transaction.atomic():
        if credentials(user).count() >= settings.WEBAUTHN_MAX_CREDENTIALS:
            raise TooManyCredentials()
        if passwordless:
            selection = AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.REQUIRED, user_verification=UserVerificationRequirement.REQUIRED
            )
        else:
            selection = AuthenticatorSelectionCriteria(
                resident_key=ResidentKeyRequirement.DISCOURAGED,
                user_verification=UserVerificationRequirement.PREFERRED,
            )
        options: PublicKeyCredentialCreationOptions = generate_registration_options(
            rp_id=settings.WEBAUTHN_RP_ID,
            rp_name=settings.SITE_NAME,
            user_id=_user_handle(user),
            user_name=user.email,
            user_display_name=user.get_full_name() or user.username or user.email,
            timeout=_timeout_ms(),
            attestation=AttestationConveyancePreference.NONE,
            authenticator_selection=selection,
            exclude_credentials=_descriptors(user),
        )
        WebAuthnChallenge.objects.filter(user=user, purpose=WebAuthnChallenge.REGISTER).delete()
        _store_challenge(options.challenge, WebAuthnChallenge.REGISTER, user=user, passwordless=passwordless)
    return options_to_json_dict(options)


def complete_registration(user: User, name: str, credential: Mapping[str, Any]) -> Registered:
    """POST /api/auth/mfa/webauthn/register/: the browser's response to this account's creation
    options becomes a credential. When it is the account's first factor, the recovery codes are
    made (and returned, to be shown once); a notice is mailed. InvalidCredential otherwise."""
    parsed = _parse_registration(credential)
    created, codes, first = None, [], False
    with transaction.atomic():
        factors.lock(user)  # the first factor makes the recovery codes: one change at a time
        entry = _take_challenge(parsed[1].challenge, WebAuthnChallenge.REGISTER, user=user) if parsed else None
        if parsed is not None and entry is not None:
            first = not factors.any_factor(user)
            created = _create_credential(user, name, *parsed, passwordless=entry.passwordless)
        if created is not None:
            codes = recovery_codes.replace_codes(user) if first else []
            kind = PASSKEY if created.passwordless else SECURITY_KEY
            mail.send_factor_added_email(user, kind, passwordless=created.passwordless, new_recovery_codes=first)
            security_log.record(user, security_log.FACTOR_ADDED, factor=_factor(created), name=created.name)
    # Raised once the transaction is committed: the challenge stays used up.
    if created is None:
        raise InvalidCredential()
    return Registered(created, codes)


def _create_credential(
    user: User, name: str, parsed: RegistrationCredential, client_data: CollectedClientData, *, passwordless: bool
) -> WebAuthnCredential | None:
    if _cross_origin(client_data, f"registration of user {user.pk}"):
        return None
    try:
        verified = verify_registration_response(
            credential=parsed,
            expected_challenge=client_data.challenge,  # the one just taken: this ceremony issued it
            expected_rp_id=settings.WEBAUTHN_RP_ID,
            expected_origin=settings.WEBAUTHN_ORIGINS,
            require_user_verification=passwordless,
        )
    except Exception as exc:  # noqa: BLE001  # any failure to verify hostile input is a refusal, never a 500
        logger.info("webauthn registration refused for user %s: %s", user.pk, _reason(exc))
        return None
    if len(verified.credential_id) > MAX_CREDENTIAL_ID_BYTES:
        logger.info("webauthn registration refused for user %s: credential id too long", user.pk)
        return None
    if len(verified.credential_public_key) > MAX_PUBLIC_KEY_BYTES:
        # The COSE map may carry anything besides the key: nothing big is stored for anyone.
        logger.info("webauthn registration refused for user %s: public key too large", user.pk)
        return None
    try:
        # A key that cannot verify anything (an EC point off its curve: attack finding) would be
        # a dead factor, turning the password's login into one only recovery codes complete.
        decoded_public_key_to_cryptography(decode_credential_public_key(verified.credential_public_key))
    except Exception as exc:  # noqa: BLE001  # hostile input: any unusable key is a refusal, never a 500
        logger.info("webauthn registration refused for user %s: unusable public key (%s)", user.pk, _reason(exc))
        return None
    if credentials(user).count() >= settings.WEBAUTHN_MAX_CREDENTIALS:
        return None
    reported = parsed.response.transports or []
    transports = sorted({t.value for t in reported if t.value in _KNOWN_TRANSPORTS})
    try:
        # A savepoint: a credential id registered already (to this or any account: WebAuthn L2 7.1
        # step 22) is refused, not a 500, and the challenge's deletion still commits.
        with transaction.atomic():
            return WebAuthnCredential.objects.create(
                user=user,
                credential_id=verified.credential_id,
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                name=name,
                passwordless=passwordless,
                transports=",".join(transports),
                aaguid=verified.aaguid,
                backup_eligible=verified.credential_device_type == CredentialDeviceType.MULTI_DEVICE,
                backed_up=verified.credential_backed_up,
            )
    except IntegrityError:
        logger.info("webauthn registration refused for user %s: credential id already registered", user.pk)
        return None


def rename(user: User, pk: int, name: str) -> WebAuthnCredential | None:
    """PATCH /api/auth/mfa/webauthn/<id>/: None for an unknown id or another account's."""
    if not WebAuthnCredential.objects.filter(user=user, pk=pk).update(name=name):
        return None
    return WebAuthnCredential.objects.get(pk=pk)


def _factor(credential: WebAuthnCredential) -> str:
    return "passkey" if credential.passwordless else "security_key"


def remove(user: User, pk: int) -> bool:
    """DELETE /api/auth/mfa/webauthn/<id>/: False for an unknown id or another account's. The
    account's last factor takes the recovery codes with it; a notice is mailed."""
    with transaction.atomic():
        factors.lock(user)
        stored = WebAuthnCredential.objects.filter(user=user, pk=pk).first()
        if stored is None:
            return False
        stored.delete()
        last = not factors.any_factor(user)
        if last:
            RecoveryCode.objects.filter(user=user).delete()
        mail.send_factor_removed_email(user, PASSKEY if stored.passwordless else SECURITY_KEY, last_factor=last)
        security_log.record(user, security_log.FACTOR_REMOVED, factor=_factor(stored), name=stored.name)
    return True


# ---- assertions ------------------------------------------------------------------------------


def _request_options(
    purpose: str,
    allow: list[PublicKeyCredentialDescriptor],
    user_verification: UserVerificationRequirement,
    **bound: Any,
) -> dict[str, Any]:
    options: PublicKeyCredentialRequestOptions = generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        timeout=_timeout_ms(),
        allow_credentials=allow,
        user_verification=user_verification,
    )
    _store_challenge(options.challenge, purpose, **bound)
    return options_to_json_dict(options)


# A usernameless login's challenge is stored nowhere until it has logged someone in: anyone may
# ask for one, so storing each (as the other ceremonies do, bound to an account) let an attacker
# with many addresses fill the database (attack finding). It is signed instead: 32 random bytes,
# its expiry, and an HMAC of both under SECRET_KEY. Once an assertion for it has verified, its
# hash is recorded (a unique row, until it expires), so it still logs in once only.
_NONCE_BYTES, _EXPIRY_BYTES, _MAC_BYTES = 32, 8, 32


def _login_challenge_mac(body: bytes) -> bytes:
    return salted_hmac("accounts.passkeys.login-challenge", body, algorithm="sha256").digest()


def _signed_login_challenge() -> bytes:
    expires = int(timezone.now().timestamp()) + settings.WEBAUTHN_CHALLENGE_TTL_SECONDS
    body = secrets.token_bytes(_NONCE_BYTES) + expires.to_bytes(_EXPIRY_BYTES, "big")
    return body + _login_challenge_mac(body)


def _login_challenge_expiry(challenge: bytes) -> datetime | None:
    """When this signed challenge expires, if this site signed it and it has not; else None."""
    if len(challenge) != _NONCE_BYTES + _EXPIRY_BYTES + _MAC_BYTES:
        return None
    body, mac = challenge[:-_MAC_BYTES], challenge[-_MAC_BYTES:]
    if not hmac.compare_digest(mac, _login_challenge_mac(body)):
        logger.info("webauthn passkey login refused: a challenge this site did not sign")
        return None
    expires = datetime.fromtimestamp(int.from_bytes(body[_NONCE_BYTES:], "big"), tz=UTC)
    if expires <= timezone.now():
        logger.info("webauthn passkey login refused: the challenge expired")
        return None
    return expires


def begin_passkey_login() -> dict[str, Any]:
    """POST /api/auth/login/passkey/begin/: options for any passkey of this site (usernameless:
    no allowCredentials, so nothing about any account is told), with user verification. Nothing
    is stored: the challenge is signed."""
    options: PublicKeyCredentialRequestOptions = generate_authentication_options(
        rp_id=settings.WEBAUTHN_RP_ID,
        challenge=_signed_login_challenge(),
        timeout=_timeout_ms(),
        allow_credentials=[],
        user_verification=UserVerificationRequirement.REQUIRED,
    )
    return options_to_json_dict(options)


def _record_login_challenge_used(challenge: bytes, expires: datetime) -> bool:
    """Whether this challenge logs someone in for the first time (its hash is then recorded)."""
    try:
        with transaction.atomic():  # a savepoint: a duplicate leaves the caller's transaction usable
            WebAuthnChallenge.objects.create(
                challenge_hash=_hash(challenge), purpose=WebAuthnChallenge.PASSKEY_LOGIN, user=None, expires_at=expires
            )
    except IntegrityError:
        logger.info("webauthn passkey login refused: its challenge has already logged in")
        return False
    return True


def passkey_login(credential: Mapping[str, Any]) -> User:
    """POST /api/auth/login/passkey/: the account whose passkey signed this login's challenge,
    with user verification (the passkey and the PIN or biometric are two factors, so no second
    step follows). Only credentials registered as passkeys count, and the response's user handle
    must be their account's. InvalidCredential otherwise."""
    parsed = _parse_assertion(credential)
    expires = _login_challenge_expiry(parsed[1].challenge) if parsed is not None else None
    if parsed is None or expires is None:
        raise InvalidCredential()
    assertion, client_data = parsed
    with transaction.atomic():
        stored = (
            WebAuthnCredential.objects.select_for_update(of=("self",))
            .select_related("user")
            .filter(credential_id=assertion.raw_id, passwordless=True)
            .first()
        )
        if stored is None:
            logger.info("webauthn passkey login refused: not a passkey registered here")
        elif (
            stored.user.is_active
            and stored.user.email_confirmed
            and _handle_matches(stored.user, assertion.response.user_handle, required=True)
            and _verify_assertion(assertion, client_data, stored, require_user_verification=True)
        ):
            if _record_login_challenge_used(client_data.challenge, expires):
                return stored.user
            # A replay of a challenge that already logged in: the counter it moved goes back.
            transaction.set_rollback(True)
    raise InvalidCredential()


def begin_second_factor(entry: LoginChallenge) -> dict[str, Any]:
    """Options for the login's second step (POST /api/auth/login/mfa/webauthn/begin/, after
    accounts.mfa_login checked `entry`): any credential of the account. A new begin replaces the
    step's earlier one."""
    return _begin_for_account(entry.user, WebAuthnChallenge.SECOND_FACTOR, login_challenge=entry)


def use_for_second_factor(entry: LoginChallenge, credential: Mapping[str, Any]) -> bool:
    """Whether `credential` is an assertion of one of the account's credentials for this second
    step's challenge. Runs inside accounts.mfa_login.complete's transaction (and its budget)."""
    return _use_for_account(entry.user, credential, WebAuthnChallenge.SECOND_FACTOR, login_challenge=entry)


def begin_reauthentication(user: User) -> dict[str, Any]:
    """POST /api/auth/reauthenticate/webauthn/begin/: options for any credential of the account."""
    return _begin_for_account(user, WebAuthnChallenge.REAUTHENTICATE, user=user)


def use_for_reauthentication(user: User, credential: Mapping[str, Any]) -> bool:
    """Runs inside accounts.reauthentication's transaction (and its budget)."""
    return _use_for_account(user, credential, WebAuthnChallenge.REAUTHENTICATE, user=user)


def _begin_for_account(account: User, purpose: str, **bound: Any) -> dict[str, Any]:
    allow = _descriptors(account)
    if not allow:
        # Empty allowCredentials would let any passkey of this site answer: never for an account.
        raise InvalidCredential(_("This account has no passkey or security key."))
    with transaction.atomic():
        WebAuthnChallenge.objects.filter(purpose=purpose, **bound).delete()
        if purpose == WebAuthnChallenge.SECOND_FACTOR:
            bound = {**bound, "user": account}
        return _request_options(purpose, allow, UserVerificationRequirement.PREFERRED, **bound)


def _use_for_account(account: User, credential: Mapping[str, Any], purpose: str, **bound: Any) -> bool:
    parsed = _parse_assertion(credential)
    if parsed is None or _take_challenge(parsed[1].challenge, purpose, **bound) is None:
        return False
    assertion, client_data = parsed
    # The account's own credentials only: another account's passkey never stands in for this one.
    stored = WebAuthnCredential.objects.select_for_update().filter(user=account, credential_id=assertion.raw_id).first()
    if stored is None:
        logger.info("webauthn %s refused for user %s: not one of the account's credentials", purpose, account.pk)
        return False
    return _handle_matches(account, assertion.response.user_handle, required=False) and _verify_assertion(
        assertion, client_data, stored, require_user_verification=False
    )
