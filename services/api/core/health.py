"""Liveness and readiness endpoints for the gateway, compose and Kubernetes probes."""

import redis
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from core.errors import json_error
from core.redis_request import request_path_url


def live(request):
    if request.method not in ("GET", "HEAD"):
        return json_error(405, "method_not_allowed", _("Method not allowed."))
    return JsonResponse({"status": "ok"})


def ready(request):
    """503 only when the database is down: without it nothing works. Redis down or an old outbox
    backlog make the API "degraded" but it still serves (emails wait in the outbox), so probes
    must not take it out of rotation for that; monitoring alerts on it instead."""
    if request.method not in ("GET", "HEAD"):
        return json_error(405, "method_not_allowed", _("Method not allowed."))
    checks = {"database": _check_database(), "redis": _check_redis()}
    if checks["database"] != "ok":
        return JsonResponse({"status": "error", "checks": checks}, status=503)
    body = {}
    # The apps' own checks (settings.READINESS_CHECKS: name -> function returning (check, details)).
    for name, path in settings.READINESS_CHECKS.items():
        checks[name], body[name] = import_string(path)()
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", "checks": checks, **body})


def _check_database():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 - any failure means not ready
        return "error"
    return "ok"


def _check_redis():
    """ "ok", or "error" when Redis refuses or does not answer within the request path's timeouts
    (REDIS_REQUEST_TIMEOUT_S for the connect and for the PING): a hung Redis must not hang the
    probe. Asked afresh on every call, not paused after a failure, so it shows when Redis is back."""
    try:
        client = redis.Redis.from_url(request_path_url(settings.REDIS_URL))
        try:
            client.ping()
        finally:
            client.close()
    except Exception:  # noqa: BLE001
        return "error"
    return "ok"
