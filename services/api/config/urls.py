"""Every URL lives under /api/ or /admin/; the gateway sends everything else to the web app."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from accounts.api.views import DashboardView
from core import health
from core.schema_views import DocsView, SchemaView

urlpatterns = [
    path("api/health/live/", health.live, name="health-live"),
    path("api/health/ready/", health.ready, name="health-ready"),
    path("api/auth/", include("accounts.api.urls")),
    path("api/admin/", include("accounts.api.admin_urls")),
    path("api/dashboard/", DashboardView.as_view(), name="dashboard"),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # The split view serves its start-up script as a file, so the CSP needs no 'unsafe-inline'.
    path("api/docs/", DocsView.as_view(url_name="schema"), name="docs"),
    path("admin/", admin.site.urls),
]

if settings.BENCH_MODE:
    # Comparison endpoints for `make bench` only; settings refuse BENCH_MODE in production.
    urlpatterns.append(path("api/bench/", include("bench.urls")))

handler400 = "core.errors.handler400"
handler403 = "core.errors.handler403"
handler404 = "core.errors.handler404"
handler500 = "core.errors.handler500"
