"""Thin HTTP views: each declares its input serializer, calls one domain flow, shapes the reply.

Domain failures (accounts.errors) become HTTP answers in one place, core.errors.api_exception_handler.
"""

from typing import cast

from django.conf import settings
from django.middleware.csrf import get_token, rotate_token
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from knox import views as knox_views
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from accounts import (
    account,
    address_requests,
    devices,
    email_change,
    export,
    login,
    login_codes,
    mfa,
    mfa_login,
    passkeys,
    password_reset,
    passwords,
    reauthentication,
    recovery_codes,
    registration,
    security_log,
    sessions,
    sign_in_alerts,
    throttling,
    totp,
    transport,
)
from accounts.api import serializers
from accounts.authentication import enforce_csrf
from accounts.models import AddressRequest, User
from core.pagination import NewestFirstCursorPagination
from core.schema import ErrorSerializer
from core.views import InputAPIView, InputClass

REGISTER_DETAIL = _("Check your inbox for a link to confirm your email address.")
RESEND_DETAIL = _("If that address has an account waiting for confirmation, we sent a new link.")
RESET_DETAIL = _("If that address has an account, we sent instructions to reset the password.")
LOGIN_CODE_DETAIL = _("If that address has an account, we sent a sign-in code.")


class AnonymousAPIView(InputAPIView):
    """Endpoints for visitors who have no token yet: no authentication is even attempted."""

    authentication_classes = []
    permission_classes = [AllowAny]


class CsrfView(AnonymousAPIView):
    """Sets the csrftoken cookie that the web app echoes in X-CSRFToken."""

    @extend_schema(request=None, responses={204: None}, tags=["auth"])
    def get(self, request):
        get_token(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterView(AnonymousAPIView):
    # Per address too: signing up someone else's address over and over must not bomb their inbox.
    throttle_classes = [throttling.RegisterIPThrottle, throttling.EmailAddressThrottle]
    input_class = serializers.RegisterSerializer

    @extend_schema(
        responses={201: serializers.DetailSerializer},
        tags=["auth"],
        description="Creates the account and mails a confirmation link. The answer is the same for an address "
        "that already has an account (that address gets an 'account exists' email instead).",
    )
    def post(self, request):
        registration.register_user(**self.input)
        # Identical for new and already-registered addresses (no account enumeration).
        return Response({"detail": REGISTER_DETAIL}, status=status.HTTP_201_CREATED)


class ConfirmEmailView(AnonymousAPIView):
    throttle_classes = [throttling.KeyGuessIPThrottle]
    input_class = serializers.ConfirmEmailSerializer

    @extend_schema(
        responses={200: serializers.DetailSerializer},
        tags=["auth"],
        description="Confirms a sign-up or an email change with the key from the emailed link. "
        "400 `invalid_key` for an unknown, used or expired key.",
    )
    def post(self, request):
        registration.confirm_email(self.input["key"])
        return Response({"detail": _("Your email address is confirmed.")})


class LoginView(InputAPIView, knox_views.LoginView):
    # knox's LoginView expects an already-authenticated caller; this one checks credentials.
    authentication_classes = []
    permission_classes = [AllowAny]
    # Throttled by the password-check budget (accounts/throttling.py), spent in the flow.
    password_checked_methods: tuple[str, ...] = ("POST",)
    input_class: InputClass = serializers.LoginSerializer
    authenticated: login.Authenticated  # set by post(), read by create_token()
    device: devices.Device  # set by create_token(), read by get_post_response()

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="LoginResult",
                serializers=[serializers.LoginResponseSerializer, serializers.MFARequiredSerializer],
                resource_type_field_name=None,
            ),
            403: OpenApiResponse(
                ErrorSerializer,
                description="`email_not_confirmed`; `password_reset_required` (the right password of an account whose "
                'owner answered "this wasn\'t me": reset it first); or `csrf_failed` (cookie transport without '
                "X-CSRFToken).",
            ),
        },
        tags=["auth"],
        description="Log in with `email` or `username` and `password`. 400 `invalid_credentials` alike for an "
        "unknown account and a wrong password. Send `X-Auth-Transport: cookie` (browsers) to get "
        "the token as an HttpOnly cookie instead of in the body. For an account with a second factor (an "
        "authenticator app, a passkey or a security key), a right password answers "
        "`{mfa_required: true, challenge, methods}` and no token: complete the login at POST /api/auth/login/mfa/.",
    )
    def post(self, request, format=None):
        use_cookie = transport.wants_cookie(request)
        if use_cookie:
            enforce_csrf(request)  # login CSRF: a foreign site must not log the browser in
        outcome = self.check_credentials(request)
        if isinstance(outcome, mfa_login.Challenge):
            return Response(serializers.MFARequiredSerializer(outcome).data)
        self.authenticated = outcome
        request.user = outcome.user
        # No django.contrib.auth.login(): no Django session is ever created.
        response = super().post(request, format)
        if use_cookie:
            rotate_token(request._request)
        return response

    def check_credentials(self, request) -> login.Authenticated | mfa_login.Challenge:
        """Who logs in and how, or the challenge of a second step (the MFA view completes it)."""
        user = login.authenticate_login(**self.input, client_ip=sessions.client_ip(request))
        if mfa_login.needs_second_factor(user):
            return mfa_login.start(user)
        return login.Authenticated(user)

    def create_token(self):
        # Set by post() from check_credentials: an account, never anonymous.
        self.device = devices.of_request(self.request)
        return login.start_login_session(self.authenticated, self.request, self.device)

    def get_post_response(self, request, token, instance):
        data = self.get_post_response_data(request, token, instance)
        if not transport.wants_cookie(request):
            return Response(data)
        # The browser gets the token only as an HttpOnly cookie, never in the body.
        del data["token"]
        response = Response(data)
        transport.set_token_cookie(response, token, instance.expiry)
        devices.set_cookie(response, self.device)  # a browser without one gets its device cookie
        return response


class LoginMFAView(LoginView):
    # The login's second step: the same token or cookie answer, CSRF check and rotation as
    # LoginView's (inherited); only the credentials differ. The second-factor budget
    # (accounts/throttling.py) is spent in the flow.
    input_class = serializers.LoginMFASerializer

    @extend_schema(
        responses={
            200: serializers.LoginResponseSerializer,
            403: OpenApiResponse(ErrorSerializer, description="`csrf_failed` (cookie transport without X-CSRFToken)."),
        },
        tags=["auth"],
        description="Completes a login that answered `mfa_required`: the `challenge` with a current authenticator "
        "`code`, a `recovery_code` or a WebAuthn `credential` (the assertion for the options of POST "
        "/api/auth/login/mfa/webauthn/begin/) gives the token exactly as login does. 400 `invalid_code` for a "
        "wrong, reused or outdated code, 400 `invalid_credential` for a refused assertion "
        f"({settings.MFA_CHALLENGE_MAX_ATTEMPTS} failures kill the challenge); 400 `invalid_challenge` for an "
        "unknown, used, expired or dead challenge (log in again). Using a recovery code mails a notice.",
    )
    def post(self, request, format=None):
        return super().post(request, format)

    def check_credentials(self, request) -> login.Authenticated | mfa_login.Challenge:
        return mfa_login.complete(**self.input, client_ip=sessions.client_ip(request))


class LoginMFAWebAuthnBeginView(AnonymousAPIView):
    throttle_classes = [throttling.WebAuthnIPThrottle]
    input_class = serializers.LoginChallengeSerializer

    @extend_schema(
        responses={200: serializers.WebAuthnOptionsSerializer},
        tags=["auth"],
        description="The WebAuthn request options for a login's second step with a passkey or security key: any "
        "credential of the account (allowCredentials), for `startAuthentication({optionsJSON})`; then POST "
        "/api/auth/login/mfa/ `{challenge, credential}`. The challenge is not used up. 400 `invalid_challenge` "
        "for an unknown, used, expired or dead challenge, `invalid_credential` for an account without a "
        "passkey or security key.",
    )
    def post(self, request):
        return Response({"options": mfa_login.begin_webauthn(self.input["challenge"])})


class LoginPasskeyBeginView(AnonymousAPIView):
    throttle_classes = [throttling.WebAuthnIPThrottle]

    @extend_schema(
        request=None,
        responses={200: serializers.WebAuthnOptionsSerializer},
        tags=["auth"],
        description="The WebAuthn request options of a usernameless passkey login (no allowCredentials, user "
        f"verification required), valid {settings.WEBAUTHN_CHALLENGE_TTL_SECONDS} seconds and once: give them to "
        "`startAuthentication({optionsJSON})`, then POST the result to /api/auth/login/passkey/.",
    )
    def post(self, request):
        return Response({"options": passkeys.begin_passkey_login()})


class LoginPasskeyView(LoginView):
    # The same token or cookie answer, CSRF check and rotation as LoginView's (inherited); the
    # credentials are a passkey's assertion instead of the password.
    throttle_classes = [throttling.WebAuthnIPThrottle]
    password_checked_methods = ()
    input_class = serializers.PasskeyLoginSerializer

    @extend_schema(
        responses={
            200: serializers.LoginResponseSerializer,
            403: OpenApiResponse(ErrorSerializer, description="`csrf_failed` (cookie transport without X-CSRFToken)."),
        },
        tags=["auth"],
        description="Logs in with a passkey: the `credential` that `startAuthentication()` gave for the options of "
        "POST /api/auth/login/passkey/begin/. Answers with a token exactly as login does, never `mfa_required`: a "
        "passkey with user verification is two factors. 400 `invalid_credential`, one answer for every refusal "
        "(unknown or security-key-only credential, used or expired challenge, wrong origin, bad signature, no "
        "user verification, ...).",
    )
    def post(self, request, format=None):
        return super().post(request, format)

    def check_credentials(self, request) -> login.Authenticated | mfa_login.Challenge:
        return login.Authenticated(passkeys.passkey_login(self.input["credential"]), login.PASSKEY)


class LoginCodeRequestView(AnonymousAPIView):
    throttle_classes = [throttling.EmailIPThrottle, throttling.EmailAddressThrottle]
    input_class = serializers.EmailSerializer

    @extend_schema(
        responses={202: serializers.DetailSerializer},
        tags=["auth"],
        description="Mails a single-use sign-in code (valid LOGIN_CODE_TTL_MINUTES) to a confirmed account's address. "
        "The same answer for known, unknown and unconfirmed addresses.",
    )
    def post(self, request):
        address_requests.record(AddressRequest.LOGIN_CODE, self.input["email"])
        # Identical for every address: only the mailbox differs.
        return Response({"detail": LOGIN_CODE_DETAIL}, status=status.HTTP_202_ACCEPTED)


class LoginCodeView(LoginView):
    # The same token or cookie answer, CSRF check and rotation as LoginView's (inherited); the
    # credentials are the emailed code instead of the password.
    throttle_classes = [throttling.KeyGuessIPThrottle]
    password_checked_methods = ()
    input_class = serializers.LoginCodeSerializer

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="LoginCodeResult",
                serializers=[serializers.LoginResponseSerializer, serializers.MFARequiredSerializer],
                resource_type_field_name=None,
            ),
            403: OpenApiResponse(ErrorSerializer, description="`csrf_failed` (cookie transport without X-CSRFToken)."),
        },
        tags=["auth"],
        description="Logs in with the emailed sign-in code, answering exactly as login does: a token, or "
        "`mfa_required` for an account with a second factor. 400 `invalid_code` alike for a wrong, used or "
        f"expired code and an unknown address; a code dies after {settings.LOGIN_CODE_MAX_ATTEMPTS} wrong tries.",
    )
    def post(self, request, format=None):
        return super().post(request, format)

    def check_credentials(self, request) -> login.Authenticated | mfa_login.Challenge:
        user = login_codes.use_code(self.input["email"], self.input["code"])
        if mfa_login.needs_second_factor(user):
            return mfa_login.start(user, first_factor=login.EMAIL_CODE)
        return login.Authenticated(user, login.EMAIL_CODE)


class MFAStatusView(APIView):
    @extend_schema(
        responses={200: serializers.MFAStatusSerializer},
        tags=["second factors"],
        description="Whether an authenticator app is on, how many recovery codes are left and how many passkeys "
        "and security keys the account has (never a secret or a code).",
    )
    def get(self, request):
        return Response(serializers.MFAStatusSerializer(mfa.status(request.user)).data)


class TOTPSetupView(APIView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)

    @extend_schema(
        request=None,
        responses={
            200: serializers.TOTPSetupSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`totp_already_enabled`."),
        },
        tags=["second factors"],
        description="A fresh seed and its `otpauth://` URI (issuer SITE_NAME, label the email), not yet in use: "
        "confirm it with a code. A new set-up replaces an unconfirmed one. 400 `totp_already_enabled`.",
    )
    def post(self, request):
        setup = totp.begin_setup(request.user)
        return Response(serializers.TOTPSetupSerializer(setup).data)


class TOTPConfirmView(InputAPIView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)
    input_class = serializers.TOTPCodeSerializer
    password_checked_methods = ("POST",)  # the second-factor budget: 429 documented

    @extend_schema(
        responses={200: serializers.RecoveryCodesSerializer},
        tags=["second factors"],
        description="Turns the app on with a current code; when it is the account's first second factor, "
        "answers the ten recovery codes, this once (else an empty list: the account's codes stay). A notice "
        "is mailed. 400 `invalid_code`, `totp_not_set_up` or `totp_already_enabled`.",
    )
    def post(self, request):
        codes = totp.confirm_setup(request.user, self.input["code"], client_ip=sessions.client_ip(request))
        return Response({"recovery_codes": codes})


class TOTPView(InputAPIView):
    reauthenticated_methods = ("DELETE",)  # a sensitive action (accounts/reauthentication.py)
    input_class = {"DELETE": serializers.TOTPDisableSerializer}
    password_checked_methods = ("DELETE",)

    @extend_schema(
        request=serializers.TOTPDisableSerializer,
        responses={204: None},
        tags=["second factors"],
        description="Turns the app off, with a current `code` (or a `recovery_code`, for a lost app); the "
        "recovery codes go too if it was the account's last second factor, and a notice is mailed. 400 "
        "`invalid_code` or `totp_not_enabled`.",
    )
    def delete(self, request):
        totp.disable(request.user, **self.input, client_ip=sessions.client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


class RecoveryCodesView(APIView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)

    @extend_schema(
        request=None,
        responses={
            200: serializers.RecoveryCodesSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`mfa_not_enabled`."),
        },
        tags=["second factors"],
        description="A new set of ten recovery codes, shown this once; the old set stops working and a notice is "
        "mailed. 400 `mfa_not_enabled` for an account without a second factor.",
    )
    def post(self, request):
        return Response({"recovery_codes": recovery_codes.regenerate(request.user)})


class WebAuthnCredentialListView(APIView):
    @extend_schema(
        responses={200: serializers.WebAuthnCredentialSerializer(many=True)},
        tags=["second factors"],
        description="The account's passkeys and security keys, oldest first (never a key or a credential id).",
    )
    def get(self, request):
        return Response(serializers.WebAuthnCredentialSerializer(passkeys.credentials(request.user), many=True).data)


class WebAuthnRegisterBeginView(InputAPIView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)
    input_class = serializers.WebAuthnRegisterBeginSerializer

    @extend_schema(
        responses={200: serializers.WebAuthnOptionsSerializer},
        tags=["second factors"],
        description="The WebAuthn creation options for a new passkey (`passwordless: true`: resident key and user "
        "verification required) or security key (`false`), excluding the account's credentials: give them to "
        "`startRegistration({optionsJSON})`, then POST the result to /api/auth/mfa/webauthn/register/ within "
        f"{settings.WEBAUTHN_CHALLENGE_TTL_SECONDS} seconds. A new begin replaces an unfinished one. 400 "
        f"`too_many_credentials` at {settings.WEBAUTHN_MAX_CREDENTIALS}.",
    )
    def post(self, request):
        return Response({"options": passkeys.begin_registration(request.user, self.input["passwordless"])})


class WebAuthnRegisterView(InputAPIView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)
    input_class = serializers.WebAuthnRegisterSerializer

    @extend_schema(
        responses={201: serializers.WebAuthnRegisteredSerializer},
        tags=["second factors"],
        description="Adds the passkey or security key that `startRegistration()` created (attestation is not "
        "checked: any authenticator is welcome). When it is the account's first second factor, the answer holds "
        "the ten recovery codes, this once. A notice is mailed. 400 `invalid_credential`, one answer for every "
        "refusal (used or expired challenge, wrong origin, no user verification for a passkey, a credential "
        "registered already, ...).",
    )
    def post(self, request):
        registered = passkeys.complete_registration(request.user, self.input["name"], self.input["credential"])
        body = {
            "credential": serializers.WebAuthnCredentialSerializer(registered.credential).data,
            "recovery_codes": registered.recovery_codes,
        }
        return Response(body, status=status.HTTP_201_CREATED)


class WebAuthnCredentialView(InputAPIView):
    reauthenticated_methods = ("DELETE",)  # a sensitive action (accounts/reauthentication.py)
    input_class = {"PATCH": serializers.WebAuthnRenameSerializer}

    @extend_schema(
        responses={200: serializers.WebAuthnCredentialSerializer},
        tags=["second factors"],
        description="Renames one of the account's passkeys or security keys. Another account's id answers 404.",
    )
    def patch(self, request, pk):
        credential = passkeys.rename(request.user, pk, self.input["name"])
        if credential is None:
            raise NotFound()  # someone else's credential answers exactly like an unknown one
        return Response(serializers.WebAuthnCredentialSerializer(credential).data)

    @extend_schema(
        request=None,
        responses={204: None},
        tags=["second factors"],
        description="Removes one of the account's passkeys or security keys; with the account's last second factor "
        "the recovery codes go too. A notice is mailed. Another account's id answers 404.",
    )
    def delete(self, request, pk):
        if not passkeys.remove(request.user, pk):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReauthenticateView(InputAPIView):
    input_class = serializers.ReauthenticateSerializer
    password_checked_methods = ("POST",)  # the login's and the second-factor budgets: 429 documented

    @extend_schema(
        responses={200: serializers.ReauthenticatedSerializer},
        tags=["auth"],
        description="Renews this session's proof of who it is, for REAUTHENTICATION_TIMEOUT_MINUTES: the sensitive "
        "actions answer 403 `reauthentication_required` without one. Give the `password`, a current "
        "authenticator `code`, or a passkey's or security key's `credential` (the assertion for the options of "
        "POST /api/auth/reauthenticate/webauthn/begin/). 400 `invalid_password`, `invalid_code` or "
        "`invalid_credential`.",
    )
    def post(self, request):
        ip = sessions.client_ip(request)
        if "password" in self.input:
            until = reauthentication.with_password(request.user, request.auth, self.input["password"], ip)
        elif "code" in self.input:
            until = reauthentication.with_totp(request.user, request.auth, self.input["code"], ip)
        else:
            until = reauthentication.with_webauthn(request.user, request.auth, self.input["credential"], ip)
        return Response({"reauthenticated_until": until})


class ReauthenticateWebAuthnBeginView(APIView):
    @extend_schema(
        request=None,
        responses={
            200: serializers.WebAuthnOptionsSerializer,
            400: OpenApiResponse(ErrorSerializer, description="`invalid_credential`."),
        },
        tags=["auth"],
        description="The WebAuthn request options for reauthenticating with a passkey or security key (any of the "
        "account's: allowCredentials), for `startAuthentication({optionsJSON})`; then POST "
        "/api/auth/reauthenticate/ `{credential}`. 400 `invalid_credential` for an account without one.",
    )
    def post(self, request):
        return Response({"options": passkeys.begin_reauthentication(request.user)})


class KnoxLogoutHooks:
    """What our logout views change in knox's: our authentication and permissions (knox's own
    pin its header class), and an answer that also clears the cookie."""

    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = api_settings.DEFAULT_PERMISSION_CLASSES

    def get_post_response(self, request):
        response = super().get_post_response(request)  # type: ignore[misc]  # knox's view, next in the MRO
        transport.clear_token_cookie(response)
        return response


class LogoutView(KnoxLogoutHooks, knox_views.LogoutView):
    @extend_schema(
        request=None,
        responses={204: None},
        tags=["auth"],
        description="Revokes the token of this request (and clears the cookie).",
    )
    def post(self, request, format=None):
        with sessions.tokens_locked(request.user):
            response = super().post(request, format)  # knox deletes this request's token
            # A refresh that won the lock first swapped this token for a new one of the same
            # session: that one ends too, or logging out would leave the session alive.
            sessions.end_session(request.user, request.auth.public_id)
            security_log.record(request.user, security_log.SIGNED_OUT)
        return response


class LogoutAllView(KnoxLogoutHooks, knox_views.LogoutAllView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)

    @extend_schema(
        request=None,
        responses={204: None},
        tags=["auth"],
        description="Revokes every token of the user: logs out all devices.",
    )
    def post(self, request, format=None):
        # knox deletes the tokens; the user's row is locked first, like every other change to
        # the user's set of tokens (accounts.sessions), so a parallel refresh cannot outlive it.
        with sessions.tokens_locked(request.user):
            response = super().post(request, format)
            security_log.record(request.user, security_log.LOGGED_OUT_EVERYWHERE)
        return response


class TokenRefreshView(APIView):
    @extend_schema(
        request=None,
        responses={200: serializers.TokenRefreshResponseSerializer},
        tags=["auth"],
        description="Swaps the token of this request for a new one (the old one is revoked at once). The "
        "session keeps its start time, so refreshing never extends it past TOKEN_MAX_LIFETIME.",
    )
    def post(self, request, format=None):
        new_token, raw = sessions.refresh(request.auth, request)
        expiry = serializers.serializers.DateTimeField().to_representation(new_token.expiry)
        if not transport.wants_cookie(request):
            return Response({"token": raw, "expiry": expiry})
        response = Response({"expiry": expiry})
        transport.set_token_cookie(response, raw, new_token.expiry)
        return response


class SessionListView(APIView):
    @extend_schema(responses={200: serializers.SessionSerializer(many=True)}, tags=["sessions"])
    def get(self, request):
        serializer = serializers.SessionSerializer(
            sessions.active_sessions(request.user), many=True, context={"current_token": request.auth}
        )
        return Response(serializer.data)


class SessionDetailView(APIView):
    @extend_schema(
        request=None,
        responses={204: None},
        tags=["sessions"],
        description="Revokes one of the user's sessions. Another user's session id answers 404.",
    )
    def delete(self, request, public_id):
        # Someone else's session id answers exactly like an unknown one.
        if not sessions.revoke_session(request.user, public_id):
            raise NotFound()
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(InputAPIView):
    reauthenticated_methods = ("DELETE",)  # a sensitive action (accounts/reauthentication.py)
    password_checked_methods = ("DELETE",)
    input_class = {"PATCH": serializers.ProfileSerializer, "DELETE": serializers.PasswordSerializer}

    @extend_schema(responses={200: serializers.UserSerializer}, tags=["account"])
    def get(self, request):
        return Response(serializers.UserSerializer(request.user).data)

    @extend_schema(
        responses={200: serializers.UserSerializer},
        tags=["account"],
        description="Edits the profile; send only the fields to change.",
    )
    def patch(self, request):
        user = account.update_profile(request.user, **self.input)
        return Response(serializers.UserSerializer(user).data)

    @extend_schema(
        responses={204: None},
        tags=["account"],
        description="Deletes the account and every session after checking the password "
        "(400 `invalid_password`); a goodbye notice is mailed.",
    )
    def delete(self, request):
        account.delete_account(request.user, self.input["password"], client_ip=sessions.client_ip(request))
        response = Response(status=status.HTTP_204_NO_CONTENT)
        transport.clear_token_cookie(response)
        return response


class ResendConfirmationView(AnonymousAPIView):
    throttle_classes = [throttling.EmailIPThrottle, throttling.EmailAddressThrottle]
    input_class = serializers.EmailSerializer

    @extend_schema(
        responses={202: serializers.DetailSerializer},
        tags=["auth"],
        description="Mails a new confirmation link if the address has an unconfirmed account. "
        "The same answer for every address.",
    )
    def post(self, request):
        address_requests.record(AddressRequest.RESEND_CONFIRMATION, self.input["email"])
        # The same answer for every address (no account enumeration).
        return Response({"detail": RESEND_DETAIL}, status=status.HTTP_202_ACCEPTED)


class PasswordChangeView(InputAPIView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)
    password_checked_methods = ("POST",)
    input_class = serializers.PasswordChangeSerializer

    @extend_schema(
        responses={200: serializers.DetailSerializer},
        tags=["account"],
        description="Changes the password (400 `invalid_password` if `current_password` is wrong). Every other "
        "session is revoked, this one stays; a notice is mailed.",
    )
    def post(self, request):
        passwords.change_password(
            request.user,
            self.input["current_password"],
            self.input["new_password"],
            current_token=request.auth,
            client_ip=sessions.client_ip(request),
        )
        return Response({"detail": _("Your password has been changed.")})


class PasswordResetView(AnonymousAPIView):
    throttle_classes = [throttling.EmailIPThrottle, throttling.EmailAddressThrottle]
    input_class = serializers.EmailSerializer

    @extend_schema(
        responses={202: serializers.DetailSerializer},
        tags=["password reset"],
        description="Mails a reset link and a 6-digit code (both valid for PASSWORD_RESET_TTL_MINUTES, single-use). "
        "The same answer for known, unknown and inactive addresses.",
    )
    def post(self, request):
        address_requests.record(AddressRequest.PASSWORD_RESET, self.input["email"])
        # Identical for known, unknown and inactive addresses: only the mailbox differs.
        return Response({"detail": RESET_DETAIL}, status=status.HTTP_202_ACCEPTED)


def _reset_credentials(data):
    return {key: data[key] for key in ("uid", "token", "email", "code") if key in data}


class PasswordResetVerifyView(AnonymousAPIView):
    throttle_classes = [throttling.KeyGuessIPThrottle]
    input_class = serializers.ResetVerifySerializer

    @extend_schema(
        responses={200: serializers.DetailSerializer},
        tags=["password reset"],
        description="Checks `{uid, token}` (the link) or `{email, code}` without using them up. "
        "400 `invalid_reset` if invalid; a code dies after 5 wrong tries.",
    )
    def post(self, request):
        password_reset.find_user(**_reset_credentials(self.input))
        return Response({"detail": _("The reset link is valid.")})


class PasswordResetConfirmView(AnonymousAPIView):
    throttle_classes = [throttling.KeyGuessIPThrottle]
    input_class = serializers.ResetConfirmSerializer

    @extend_schema(
        responses={200: serializers.DetailSerializer},
        tags=["password reset"],
        description="Sets the new password with `{uid, token}` or `{email, code}`; every session is revoked and "
        "a notice is mailed. 400 `invalid_reset` if the link or code is invalid.",
    )
    def post(self, request):
        # A weak password (checked once the account is known) does not use up the link or code.
        password_reset.confirm_reset(self.input["new_password"], **_reset_credentials(self.input))
        return Response({"detail": _("Your password has been reset. You can log in now.")})


class EmailChangeView(InputAPIView):
    reauthenticated_methods = ("POST",)  # a sensitive action (accounts/reauthentication.py)
    password_checked_methods = ("POST",)
    input_class = serializers.EmailChangeSerializer
    # Each request mails the new address: limited per account, per client and per new address.
    throttle_classes = [
        throttling.EmailChangeAccountThrottle,
        throttling.EmailIPThrottle,
        throttling.NewEmailAddressThrottle,
    ]

    @extend_schema(
        responses={202: serializers.DetailSerializer},
        tags=["account"],
        description="Mails a confirmation link to `new_email` and a notice to the current address; the address "
        "changes when the link is confirmed. 400 `invalid_password` for a wrong password.",
    )
    def post(self, request):
        email_change.request_email_change(
            request.user, self.input["new_email"], self.input["password"], client_ip=sessions.client_ip(request)
        )
        return Response(
            {"detail": _("Check the new address for a confirmation link.")}, status=status.HTTP_202_ACCEPTED
        )


class DashboardView(APIView):
    """A protected sample resource: copy this to build your own."""

    @extend_schema(responses={200: serializers.DashboardSerializer}, tags=["sample"])
    def get(self, request):
        return Response(
            {
                "message": f"Hello, {request.user.email}",
                "user": serializers.UserSerializer(request.user).data,
                "server_time": timezone.now(),
            }
        )


class SecurityLogView(generics.ListAPIView):
    serializer_class = serializers.SecurityEventSerializer
    pagination_class = NewestFirstCursorPagination

    @extend_schema(
        tags=["security log"],
        description="The account's security events, newest first, 50 a page (follow `next`): sign-ins (how, from "
        "which device, whether it was new), failed sign-ins (counted), sign-outs, revoked sessions, password, email "
        "and factor changes, an administrator's actions. Never a secret.",
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return security_log.events(cast(User, self.request.user))  # IsAuthenticated: never anonymous

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "current_token": self.request.auth}


class SecurityEventView(APIView):
    @extend_schema(
        responses={200: serializers.SecurityEventSerializer},
        tags=["security log"],
        description="One event of the account's log. Another account's event answers 404.",
    )
    def get(self, request, pk):
        event = security_log.events(request.user).filter(pk=pk).first()
        if event is None:
            raise NotFound()  # someone else's event answers exactly like an unknown one
        return Response(serializers.SecurityEventSerializer(event, context={"current_token": request.auth}).data)


class DataExportView(APIView):
    reauthenticated_methods = ("GET",)  # a sensitive action (accounts/reauthentication.py)

    @extend_schema(
        responses={200: {"type": "object", "additionalProperties": True}},
        tags=["account"],
        description="Every piece of data held about the account, as one JSON document (a download): profile, "
        "roles, sessions (without token material), factors (names and dates, never secrets), the security log, "
        "known devices, email confirmations under way. Needs a recent reauthentication.",
    )
    def get(self, request):
        response = Response(export.export(request.user))
        response["Content-Disposition"] = 'attachment; filename="account-data.json"'
        return response


class SignInAlertConfirmView(AnonymousAPIView):
    throttle_classes = [throttling.KeyGuessIPThrottle]
    input_class = serializers.SignInAlertKeySerializer

    @extend_schema(
        responses={200: serializers.DetailSerializer},
        tags=["security log"],
        description='"Yes, it was me", from a new-device alert: the device stays known. The key works once (for '
        "either answer). 400 `invalid_key` for an unknown, used or expired key.",
    )
    def post(self, request):
        sign_in_alerts.confirm(self.input["key"])
        return Response({"detail": _("Thanks for confirming: this device is now known.")})


class SignInAlertDenyView(AnonymousAPIView):
    throttle_classes = [throttling.KeyGuessIPThrottle]
    input_class = serializers.SignInAlertKeySerializer

    @extend_schema(
        responses={200: serializers.DetailSerializer},
        tags=["security log"],
        description='"This wasn\'t me", from a new-device alert, no login needed: every session of the account '
        "ends, password sign-in is blocked until the password is reset (`password_reset_required`), a reset "
        "email is sent at once and the address is notified. The key works once. 400 `invalid_key`.",
    )
    def post(self, request):
        if sign_in_alerts.disown(self.input["key"]):
            detail = _("Your account is secured. Check your inbox for a password reset email.")
        else:
            # Said as it is (attack finding: it promised a reset that was never sent).
            detail = _(
                "Your account is secured and suspended: its email address now belongs to someone else, so no "
                "reset could be sent. Contact support to get it back."
            )
        response = Response({"detail": detail})
        transport.clear_token_cookie(response)
        return response
