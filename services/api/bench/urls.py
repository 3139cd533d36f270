"""/api/bench/: mounted by config/urls.py only when BENCH_MODE is on."""

from django.urls import include, path

from bench import views

urlpatterns = [
    path("knox/me/", views.StockKnoxMeView.as_view(), name="bench-knox-me"),
    path("drf-token/me/", views.DRFTokenMeView.as_view(), name="bench-drf-token-me"),
    path("jwt/me/", views.JWTMeView.as_view(), name="bench-jwt-me"),
    path("ceiling/", views.CeilingView.as_view(), name="bench-ceiling"),
    path("login-without-log/", views.LoginWithoutSecurityLogView.as_view(), name="bench-login-without-log"),
    # django-allauth headless twice, with its sessions in the database and in Redis: the prefix
    # chooses the store (bench/allauth_sessions.py). Its own endpoints under _allauth/ (the first
    # is the "headless" namespace's default instance), and the DRF view with its authentication class.
    path("allauth/db/_allauth/", include("allauth.headless.urls")),
    path("allauth/redis/_allauth/", include("allauth.headless.urls", namespace="headless-redis")),
    path("allauth/db/me/", views.AllauthMeView.as_view(), name="bench-allauth-db-me"),
    path("allauth/redis/me/", views.AllauthMeView.as_view(), name="bench-allauth-redis-me"),
]
