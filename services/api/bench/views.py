"""The same user payload as GET /api/auth/me/, behind other authentication classes, for comparison.

Each view differs from accounts.api.views.MeView only in its authentication classes, so the
benchmark measures authentication and nothing else. Mounted only when BENCH_MODE is on, beside
django-allauth headless' own session endpoint (bench/urls.py).
"""

from allauth.headless.contrib.rest_framework.authentication import XSessionTokenAuthentication
from drf_spectacular.utils import extend_schema
from knox.auth import TokenAuthentication as StockKnoxTokenAuthentication
from rest_framework.authentication import TokenAuthentication as DRFTokenAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.authentication import JWTAuthentication

from accounts import security_log
from accounts.api import views as accounts_views
from accounts.api.serializers import UserSerializer


class BenchMeView(APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = []

    @extend_schema(exclude=True)
    def get(self, request):
        return Response(UserSerializer(request.user).data)


class StockKnoxMeView(BenchMeView):
    """knox's own class: two queries, and it loads every token of the user on every call."""

    authentication_classes = [StockKnoxTokenAuthentication]


class DRFTokenMeView(BenchMeView):
    """DRF's TokenAuthentication: one query by primary key (the raw key is stored)."""

    authentication_classes = [DRFTokenAuthentication]


class JWTMeView(BenchMeView):
    """simplejwt: an HMAC check, then one query for the user."""

    authentication_classes = [JWTAuthentication]


class AllauthMeView(BenchMeView):
    """django-allauth headless' DRF class: the X-Session-Token's session (the store of the URL's
    prefix, bench/allauth_sessions.py), then its user."""

    authentication_classes = [XSessionTokenAuthentication]


class CeilingView(APIView):
    """The ceiling: the same middleware and DRF view machinery, no authentication, no database."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(exclude=True)
    def get(self, request):
        return Response({"status": "ok"})


class LoginWithoutSecurityLogView(accounts_views.LoginView):
    """POST /api/auth/login/ without the security log, the device check and the alert: the
    benchmark's baseline for what they cost (the same flow, answer and limits otherwise)."""

    @extend_schema(exclude=True)
    def post(self, request, format=None):
        with security_log.off():
            return super().post(request, format)
