# Cases for `semgrep --test` (see python.yaml). Not imported by anything; ruff skips this file.
from django.db import connection
from django.db.models.expressions import RawSQL
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.decorators import method_decorator
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.views.decorators.csrf import csrf_exempt
from rest_framework.authentication import BasicAuthentication, SessionAuthentication
from rest_framework.views import APIView

from accounts.authentication import HeaderTokenAuthentication


def markup(name):
    # ruleid: no-mark-safe
    return mark_safe("<b>" + name + "</b>")


def escaped(name):
    # ok: no-mark-safe
    return format_html("<b>{}</b>", name)


def queries(user_id, User):
    with connection.cursor() as cursor:
        # ruleid: no-raw-sql-string-formatting
        cursor.execute(f"SELECT * FROM users WHERE id = {user_id}")
        # ruleid: no-raw-sql-string-formatting
        cursor.execute("SELECT * FROM users WHERE id = %s" % user_id)
        # ok: no-raw-sql-string-formatting
        cursor.execute("SELECT * FROM users WHERE id = %s", [user_id])
        # ok: no-raw-sql-string-formatting
        cursor.execute("SELECT 1")
    # ruleid: no-raw-sql-string-formatting
    User.objects.raw("SELECT * FROM users WHERE email = '{}'".format(user_id))
    # ruleid: no-raw-sql-string-formatting
    return RawSQL("id = " + user_id, [])


# ruleid: no-csrf-exempt
@csrf_exempt
def legacy_view(request):
    return None


# ruleid: no-csrf-exempt
@method_decorator(csrf_exempt, name="dispatch")
class LegacyView(APIView):
    pass


class BasicView(APIView):
    # ruleid: no-basic-or-session-authentication
    authentication_classes = [BasicAuthentication]


class SessionView(APIView):
    # ruleid: no-basic-or-session-authentication
    authentication_classes = [SessionAuthentication]


class TokenView(APIView):
    # ok: no-basic-or-session-authentication
    authentication_classes = [HeaderTokenAuthentication]


def after_login(request):
    # ruleid: no-redirect-to-request-data
    return redirect(request.GET.get("next"))


def after_logout(request):
    # ruleid: no-redirect-to-request-data
    return HttpResponseRedirect(request.query_params.get("next", "/"))


def home(request):
    # ok: no-redirect-to-request-data
    return redirect("/")


def log_things(logger, request, serializer, user):
    # ruleid: no-logging-of-request-bodies
    logger.info("login attempt %s", request.data)
    # ruleid: no-logging-of-request-bodies
    logger.warning("invalid: %s", serializer.validated_data)
    # ruleid: no-logging-of-request-bodies
    logger.debug("user %s password %s", user.email, user.password)
    # ok: no-logging-of-request-bodies
    logger.info("login failed for user %s", user.pk)


# ruleid: no-debug-or-wildcard-hosts-literal
DEBUG = True
# ruleid: no-debug-or-wildcard-hosts-literal
ALLOWED_HOSTS = ["*"]
# ok: no-debug-or-wildcard-hosts-literal
ALLOWED_HOSTS = ["auth.example.com"]
