"""Password resets, confirmation resends and sign-in codes: recorded on the request path, resolved off it.

The request path does the same work for every address (one INSERT), so neither the answer nor
its time tells a known address from an unknown one. The outbox relay resolves the requests a
moment later (settings.OUTBOX_RELAY_JOBS): only then is the address looked up and, if it has an
account, the email recorded in the outbox.
"""

import logging
from datetime import timedelta

from django.utils import timezone

from accounts import login_codes, password_reset, registration, security_log
from accounts.models import AddressRequest
from core.email_address import normalize_email
from core.work_queue import work_through

logger = logging.getLogger(__name__)

# A request that waited longer than this (the relay was down) is dropped, not answered late.
MAX_AGE = timedelta(minutes=15)

HANDLERS = {
    AddressRequest.PASSWORD_RESET: password_reset.request_reset,
    AddressRequest.RESEND_CONFIRMATION: registration.resend_confirmation,
    AddressRequest.LOGIN_CODE: login_codes.request_code,
}


def record(kind, email):
    where = security_log.current_origin()  # the security log's event, when there is an account
    AddressRequest.objects.create(kind=kind, email=normalize_email(email), ip=where.ip, user_agent=where.user_agent)


def process_pending(limit=200):
    """Resolve waiting requests, oldest first; each one once, even with several relays."""
    stale = AddressRequest.objects.filter(created_at__lt=timezone.now() - MAX_AGE).delete()[0]
    if stale:
        logger.warning("dropped %d address requests older than %s", stale, MAX_AGE)
    return work_through(AddressRequest.objects.all(), _resolve, limit)


def _resolve(request: AddressRequest) -> None:
    with security_log.origin(security_log.Origin(ip=request.ip, user_agent=request.user_agent)):
        HANDLERS[request.kind](request.email)
