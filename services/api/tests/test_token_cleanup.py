"""The scheduled cleanup of expired tokens (manage.py clear_expired_tokens)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from knox.models import get_digest_token
from knox.settings import CONSTANTS

from accounts.management.commands.clear_expired_tokens import clear_expired_tokens
from accounts.models import AuthToken

pytestmark = pytest.mark.django_db


def make_tokens(user, count, expiry):
    rows = []
    for _ in range(count):
        digest, raw = get_digest_token()
        rows.append(
            AuthToken(
                digest=digest,
                token_key=raw[: CONSTANTS.TOKEN_KEY_LENGTH],
                user=user,
                expiry=expiry,
                session_started_at=timezone.now(),
                last_seen=timezone.now(),
            )
        )
    AuthToken.objects.bulk_create(rows)


def test_deletes_only_expired_tokens_in_batches(make_user):
    ada, bob = make_user(), make_user(email="bob@example.com")
    now = timezone.now()
    make_tokens(ada, 23, now - timedelta(seconds=1))
    make_tokens(bob, 4, now - timedelta(days=30))
    make_tokens(ada, 3, now + timedelta(hours=1))
    make_tokens(bob, 2, now + timedelta(minutes=1))

    with CaptureQueriesContext(connection) as queries:
        deleted, batches = clear_expired_tokens(batch_size=10)
    assert (deleted, batches) == (27, 3)
    deletes = [q["sql"] for q in queries.captured_queries if q["sql"].startswith("DELETE")]
    assert len(deletes) == 3  # one short statement per batch, never one for the whole table
    assert AuthToken.objects.count() == 5
    assert not AuthToken.objects.filter(expiry__lte=timezone.now()).exists()


def test_command_reports_what_it_did_and_a_second_run_finds_nothing(make_user):
    make_tokens(make_user(), 7, timezone.now() - timedelta(hours=2))
    out = StringIO()
    call_command("clear_expired_tokens", "--batch-size", "5", stdout=out)
    assert out.getvalue().startswith("deleted 7 expired tokens in 2 batches")
    out = StringIO()
    call_command("clear_expired_tokens", stdout=out)
    assert out.getvalue().startswith("deleted 0 expired tokens in 0 batches")


def test_live_sessions_keep_working_after_a_cleanup(client, make_user):
    from tests.conftest import PASSWORD

    user = make_user()
    make_tokens(user, 50, timezone.now() - timedelta(minutes=5))
    token = client.post("/api/auth/login/", {"email": user.email, "password": PASSWORD}, format="json").json()["token"]
    call_command("clear_expired_tokens", stdout=StringIO())
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/auth/me/").status_code == 200
    assert AuthToken.objects.filter(user=user).count() == 1


@pytest.mark.parametrize("args", [["--batch-size", "0"], ["--pause-ms", "-1"], ["--every", "0"]])
def test_bad_arguments_are_refused(args):
    with pytest.raises(CommandError):
        call_command("clear_expired_tokens", *args, stdout=StringIO())
