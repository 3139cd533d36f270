"""allauth's AccountMiddleware, for the benchmark's allauth endpoints only.

allauth's views need it (it sets `request.allauth` and handles their ImmediateHttpResponse), but
in MIDDLEWARE it would run on every request, this project's /api/auth/me/ included. Here every
other request pays one prefix check. Under the prefix it also chooses the session store
(bench/allauth_sessions.py).
"""

from collections.abc import Callable
from typing import Any

from allauth.account.middleware import AccountMiddleware
from django.http import HttpRequest, HttpResponseBase

from bench import allauth_sessions


class AllauthMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.account = AccountMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if not path.startswith(allauth_sessions.PREFIX):
            return self.get_response(request)
        with allauth_sessions.using(allauth_sessions.store_of_path(path)):
            return self.account(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> Any:
        if request.path_info.startswith(allauth_sessions.PREFIX):
            return self.account.process_exception(request, exception)
        return None
