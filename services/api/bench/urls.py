"""/api/bench/: mounted by config/urls.py only when BENCH_MODE is on."""

from django.urls import path

from bench import views

urlpatterns = [
    path("knox/me/", views.StockKnoxMeView.as_view(), name="bench-knox-me"),
    path("drf-token/me/", views.DRFTokenMeView.as_view(), name="bench-drf-token-me"),
    path("jwt/me/", views.JWTMeView.as_view(), name="bench-jwt-me"),
    path("ceiling/", views.CeilingView.as_view(), name="bench-ceiling"),
    path("login-without-log/", views.LoginWithoutSecurityLogView.as_view(), name="bench-login-without-log"),
]
