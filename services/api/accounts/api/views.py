"""Thin HTTP views: validate input with a serializer, call accounts.services, shape the reply."""
from django.contrib.auth.signals import user_logged_out
from django.middleware.csrf import get_token, rotate_token
from knox import views as knox_views
from rest_framework import status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import services, transport
from accounts.api import serializers
from accounts.authentication import enforce_csrf

REGISTER_DETAIL = "Check your inbox for a link to confirm your email address."


class CsrfView(APIView):
    """Sets the csrftoken cookie that the web app echoes in X-CSRFToken."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get(self, request):
        get_token(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RegisterView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = serializers.RegisterSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            services.register_user(**serializer.validated_data)
        except services.UsernameTaken:
            raise serializers.serializers.ValidationError({"username": ["This username is taken."]}) from None
        # Identical for new and already-registered addresses (no account enumeration).
        return Response({"detail": REGISTER_DETAIL}, status=status.HTTP_201_CREATED)


class ConfirmEmailView(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request):
        serializer = serializers.ConfirmEmailSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.confirm_email(serializer.validated_data["key"])
        return Response({"detail": "Your email address is confirmed."})


class LoginView(knox_views.LoginView):
    # knox's LoginView expects an already-authenticated caller; this one checks credentials.
    authentication_classes = []
    permission_classes = [AllowAny]

    def post(self, request, format=None):
        use_cookie = transport.wants_cookie(request)
        if use_cookie:
            enforce_csrf(request)  # login CSRF: a foreign site must not log the browser in
        serializer = serializers.LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        request.user = services.authenticate_login(**serializer.validated_data)
        # No django.contrib.auth.login(): no Django session is ever created.
        response = super().post(request, format)
        if use_cookie:
            rotate_token(request._request)
        return response

    def get_post_response(self, request, token, instance):
        data = self.get_post_response_data(request, token, instance)
        if not transport.wants_cookie(request):
            return Response(data)
        # The browser gets the token only as an HttpOnly cookie, never in the body.
        del data["token"]
        response = Response(data)
        transport.set_token_cookie(response, token, instance.expiry)
        return response


class LogoutView(knox_views.LogoutView):
    authentication_classes = knox_views.api_settings.DEFAULT_AUTHENTICATION_CLASSES
    permission_classes = [IsAuthenticated]

    def post(self, request, format=None):
        request.auth.delete()
        user_logged_out.send(sender=request.user.__class__, request=request, user=request.user)
        response = Response(status=status.HTTP_204_NO_CONTENT)
        transport.clear_token_cookie(response)
        return response


class MeView(APIView):
    def get(self, request):
        return Response(serializers.UserSerializer(request.user).data)
