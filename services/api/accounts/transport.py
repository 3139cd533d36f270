"""The switch between header tokens (API clients) and the HttpOnly cookie (the web app)."""

from django.conf import settings


def wants_cookie(request):
    return request.META.get(settings.AUTH_TRANSPORT_HEADER, "").strip().lower() == "cookie"


def set_token_cookie(response, token, expiry):
    response.set_cookie(
        settings.AUTH_COOKIE_NAME,
        token,
        expires=expiry,
        path=settings.AUTH_COOKIE_PATH,
        secure=settings.AUTH_COOKIE_SECURE,
        httponly=True,
        samesite=settings.AUTH_COOKIE_SAMESITE,
    )


def clear_token_cookie(response):
    response.delete_cookie(
        settings.AUTH_COOKIE_NAME, path=settings.AUTH_COOKIE_PATH, samesite=settings.AUTH_COOKIE_SAMESITE
    )
