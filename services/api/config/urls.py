"""Every API URL lives under /api/; the gateway sends everything else to the web app."""
from core import health
from django.urls import include, path

urlpatterns = [
    path("api/health/live/", health.live, name="health-live"),
    path("api/health/ready/", health.ready, name="health-ready"),
    path("api/auth/", include("accounts.api.urls")),
]

handler400 = "core.errors.handler400"
handler403 = "core.errors.handler403"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
