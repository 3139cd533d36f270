"""The security log: every event kind (the right event, once, nothing secret in it), where it came
from, the failed sign-in count, pagination, owner-only access, the admin view, retention."""

import json
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from accounts import security_log
from accounts.models import AuthToken, EmailConfirmation, SecurityEvent, SignInFailure, User
from tests.conftest import PASSWORD, auth, first_match, login_token, post, relay_round
from tests.soft_authenticator import SoftAuthenticator

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 9, 0, 0, tzinfo=UTC)
CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
LOG = "/api/auth/security-log/"
NEW_PASSWORD = "another perfectly fine passphrase"


@pytest.fixture
def clock():
    with freeze_time(T0) as frozen:
        yield frozen


def kinds(user):
    return list(SecurityEvent.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def last(user, kind):
    events = list(SecurityEvent.objects.filter(user=user, kind=kind))
    assert len(events) == 1, [e.kind for e in SecurityEvent.objects.filter(user=user)]
    return events[0]


@pytest.fixture
def ada(client, make_user, clock):
    user = make_user()
    token = login_token(client, HTTP_USER_AGENT=CHROME, REMOTE_ADDR="203.0.113.7")
    return user, token


def session_of(token):
    return AuthToken.objects.get(token_key=token[:15]).public_id


# ---- sign-in ----------------------------------------------------------------------------------


def test_a_sign_in_is_logged_with_its_method_device_address_and_session(ada):
    user, token = ada
    event = last(user, "signed_in")
    assert event.details == {"method": "password", "second_factor": "", "new_device": False}
    assert (event.ip, event.device, event.session) == ("203.0.113.7", "Chrome 131 on Linux", session_of(token))
    assert event.user_agent == CHROME and event.count == 1


def test_the_owner_reads_the_log_newest_first_with_the_current_session_marked(client, ada):
    user, token = ada
    post(client, "/api/auth/logout/", token=login_token(client, HTTP_USER_AGENT=FIREFOX))
    body = client.get(LOG, **auth(token)).json()
    assert [e["kind"] for e in body["results"]] == ["signed_out", "signed_in", "signed_in"]
    oldest = body["results"][-1]
    assert oldest["current_session"] is True and oldest["device"] == "Chrome 131 on Linux"
    assert oldest["ip"] == "203.0.113.7" and oldest["disowned"] is False
    firefox = body["results"][1]
    assert firefox["current_session"] is False and firefox["device"] == "Firefox 133 on Windows"
    assert firefox["details"]["new_device"] is True
    assert set(oldest) == {
        "id",
        "kind",
        "created_at",
        "ip",
        "device",
        "session",
        "current_session",
        "count",
        "disowned",
        "details",
    }


def test_a_second_step_and_an_emailed_code_and_a_passkey_are_logged_as_such(client, ada, clock, outbox, settings):
    user, token = ada
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    assert post(client, "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(secret).now()}, token).status_code == 200
    clock.tick(30)
    challenge = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}).json()
    done = post(client, "/api/auth/login/mfa/", {"challenge": challenge["challenge"], "code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    details = SecurityEvent.objects.filter(user=user, kind="signed_in").order_by("-id")[0].details
    assert (details["method"], details["second_factor"]) == ("password", "totp")
    # An emailed code: its first factor, then the app.
    post(client, "/api/auth/login/code/", {"email": "ada@example.com"})
    relay_round()
    code = first_match(r"\b([A-Z0-9]{4}-[A-Z0-9]{4})\b", outbox.filter(kind="login_code").get().payload["text"])
    step = post(client, "/api/auth/login/code/confirm/", {"email": "ada@example.com", "code": code}).json()
    clock.tick(30)
    post(client, "/api/auth/login/mfa/", {"challenge": step["challenge"], "code": pyotp.TOTP(secret).now()})
    assert (
        SecurityEvent.objects.filter(user=user, kind="signed_in").order_by("-id")[0].details["method"] == "email_code"
    )
    # A passkey.
    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGINS = "localhost", ["http://localhost:8080"]
    key = SoftAuthenticator("http://localhost:8080")
    fresh = token  # signed in a minute ago: recent enough to add a passkey
    options = post(client, "/api/auth/mfa/webauthn/register/begin/", {"passwordless": True}, fresh).json()["options"]
    registered = post(
        client, "/api/auth/mfa/webauthn/register/", {"name": "Laptop", "credential": key.register(options)}, fresh
    )
    assert registered.status_code == 201, registered.content
    options = post(client, "/api/auth/login/passkey/begin/").json()["options"]
    assert post(client, "/api/auth/login/passkey/", {"credential": key.assertion(options)}).status_code == 200
    passkey = SecurityEvent.objects.filter(user=user, kind="signed_in").order_by("-id")[0]
    assert passkey.details["method"] == "passkey"
    added = [e.details for e in SecurityEvent.objects.filter(user=user, kind="factor_added").order_by("id")]
    assert added == [{"factor": "totp"}, {"factor": "passkey", "name": "Laptop"}]


# ---- failed sign-ins ----------------------------------------------------------------------------


def test_failed_sign_ins_are_counted_not_one_row_per_guess(client, ada):
    user, _ = ada
    for _ in range(4):
        post(client, "/api/auth/login/", {"email": "ada@example.com", "password": "wrong"}, REMOTE_ADDR="198.51.100.1")
    assert SignInFailure.objects.filter(user=user).count() == 4
    assert security_log.count_sign_in_failures() == 4 and not SignInFailure.objects.exists()
    event = last(user, "sign_in_failed")
    assert event.count == 4 and event.ip == "198.51.100.1" and event.details["method"] == "password"


def test_guesses_from_many_addresses_fill_at_most_the_cap_of_entries(client, ada, settings):
    user, _ = ada
    for n in range(9):  # under the account's password-check budget: every one is a real check
        post(
            client, "/api/auth/login/", {"email": "ada@example.com", "password": "wrong"}, REMOTE_ADDR=f"198.51.100.{n}"
        )
    assert security_log.count_sign_in_failures() == 9
    failed = SecurityEvent.objects.filter(user=user, kind="sign_in_failed").order_by("id")
    cap = settings.SECURITY_LOG_FAILED_SIGN_IN_ENTRIES
    # One entry per address up to the cap, then one for the rest, which names no address: no entry
    # claims failures from an address that did not send them (attack finding).
    assert [(e.ip, e.count) for e in failed] == [(f"198.51.100.{n}", 1) for n in range(cap)] + [(None, 9 - cap)]
    overflow = failed.last()
    assert overflow is not None and overflow.details["from_many_addresses"] is True


def test_a_failure_after_the_window_starts_a_new_entry(client, ada, clock):
    user, _ = ada
    post(client, "/api/auth/login/", {"email": "ada@example.com", "password": "wrong"})
    security_log.count_sign_in_failures()
    clock.tick(timedelta(hours=1, seconds=1))
    post(client, "/api/auth/login/", {"email": "ada@example.com", "password": "wrong"})
    security_log.count_sign_in_failures()
    assert list(SecurityEvent.objects.filter(user=user, kind="sign_in_failed").values_list("count", flat=True)) == [
        1,
        1,
    ]


def test_an_unknown_account_costs_the_same_statements_and_leaves_nothing(client, ada):
    def statements(email):
        with CaptureQueriesContext(connection) as queries:
            post(client, "/api/auth/login/", {"email": email, "password": "wrong"})
        return [re.sub(r"\d+|'[^']*'|NULL", "?", q["sql"]) for q in queries.captured_queries]

    assert statements("ada@example.com") == statements("nobody@example.com")
    security_log.count_sign_in_failures()
    assert SecurityEvent.objects.filter(kind="sign_in_failed").count() == 1
    assert not SignInFailure.objects.exists()


def test_wrong_second_factors_and_emailed_codes_are_counted(client, ada, clock, outbox):
    user, token = ada
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    post(client, "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(secret).now()}, token)
    challenge = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}).json()["challenge"]
    post(client, "/api/auth/login/mfa/", {"challenge": challenge, "code": "000000"})
    post(client, "/api/auth/login/code/", {"email": "ada@example.com"})
    relay_round()  # a live code: a wrong one is a failed sign-in on the account
    post(client, "/api/auth/login/code/confirm/", {"email": "ada@example.com", "code": "AAAA-AAAA"})
    post(client, "/api/auth/login/code/confirm/", {"email": "nobody@example.com", "code": "AAAA-AAAA"})
    security_log.count_sign_in_failures()
    methods = sorted(e.details["method"] for e in SecurityEvent.objects.filter(kind="sign_in_failed"))
    assert methods == ["email_code", "totp"]


# ---- sessions -------------------------------------------------------------------------------------


def test_sign_out_revoking_a_session_and_logging_out_everywhere(client, ada):
    user, token = ada
    other = login_token(client)
    other_id = session_of(other)
    assert client.delete(f"/api/auth/sessions/{other_id}/", **auth(token)).status_code == 204
    event = last(user, "session_revoked")
    assert event.details == {"revoked_session": str(other_id)} and event.session == session_of(token)
    post(client, "/api/auth/logout-all/", token=token)
    assert last(user, "logged_out_everywhere").session is not None
    post(client, "/api/auth/logout/", token=login_token(client))
    assert last(user, "signed_out")
    # Refused requests change nothing, and log nothing.
    before = SecurityEvent.objects.count()
    assert client.delete(f"/api/auth/sessions/{other_id}/", **auth(login_token(client))).status_code == 404
    assert SecurityEvent.objects.count() == before + 1  # only that last login's own sign-in


# ---- passwords and addresses -------------------------------------------------------------------


def test_password_change_reset_request_and_reset_are_logged(client, ada, outbox):
    user, token = ada
    body = {"current_password": PASSWORD, "new_password": NEW_PASSWORD}
    assert post(client, "/api/auth/password/change/", body, token).status_code == 200
    assert last(user, "password_changed").session == session_of(token)
    post(
        client,
        "/api/auth/password/reset/",
        {"email": "ada@example.com"},
        REMOTE_ADDR="192.0.2.9",
        HTTP_USER_AGENT=FIREFOX,
    )
    post(client, "/api/auth/password/reset/", {"email": "nobody@example.com"})
    relay_round()
    requested = last(user, "password_reset_requested")
    # The relay resolved it, with the address and browser of the request that asked.
    assert (requested.ip, requested.device, requested.session) == ("192.0.2.9", "Firefox 133 on Windows", None)
    code = first_match(r"\b(\d{6})\b", outbox.filter(kind="password_reset").get().payload["text"])
    body = {"email": "ada@example.com", "code": code, "new_password": PASSWORD}
    assert post(client, "/api/auth/password/reset/confirm/", body).status_code == 200
    assert last(user, "password_reset_completed")
    assert SecurityEvent.objects.filter(kind="password_reset_requested").count() == 1


def test_email_change_requested_and_confirmed(client, ada, outbox):
    user, token = ada
    post(client, "/api/auth/email/change/", {"new_email": "ada.new@example.com", "password": PASSWORD}, token)
    assert last(user, "email_change_requested").details == {"new_email": "ada.new@example.com"}
    key = first_match(r"/confirm-email/(\S+)", outbox.get(kind="confirm_email_change").payload["text"])
    assert post(client, "/api/auth/email/confirm/", {"key": key}).status_code == 200
    changed = last(user, "email_changed")
    assert changed.details == {"old_email": "ada@example.com", "new_email": "ada.new@example.com"}
    assert changed.session is None  # the link was followed without a session


# ---- factors ------------------------------------------------------------------------------------


def test_factor_added_removed_recovery_code_used_and_regenerated(client, ada, clock):
    user, token = ada
    secret = post(client, "/api/auth/mfa/totp/setup/", token=token).json()["secret"]
    codes = post(client, "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(secret).now()}, token).json()
    post(client, "/api/auth/mfa/recovery-codes/", token=token)
    assert last(user, "recovery_codes_regenerated")
    fresh = post(client, "/api/auth/mfa/recovery-codes/", token=token).json()["recovery_codes"]
    challenge = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}).json()["challenge"]
    assert post(client, "/api/auth/login/mfa/", {"challenge": challenge, "recovery_code": fresh[0]}).status_code == 200
    assert last(user, "recovery_code_used").details == {"remaining": 9}
    assert [e.details["second_factor"] for e in SecurityEvent.objects.filter(kind="signed_in").order_by("-id")][0] == (
        "recovery_code"
    )
    clock.tick(30)
    assert (
        client.delete(
            "/api/auth/mfa/totp/", {"code": pyotp.TOTP(secret).now()}, format="json", **auth(token)
        ).status_code
        == 204
    )
    assert last(user, "factor_removed").details == {"factor": "totp"}
    assert codes["recovery_codes"]  # shown once at set-up, never logged (checked below)


def test_an_administrators_changes_are_logged_without_the_administrators_address(client, admin, ada, clock):
    user, _ = ada
    token = login_token(client, email="root@example.com", REMOTE_ADDR="10.9.9.9")
    assert (
        client.patch(f"/api/admin/users/{user.pk}/", {"is_active": False}, format="json", **auth(token)).status_code
        == 200
    )
    client.patch(f"/api/admin/users/{user.pk}/", {"first_name": "Ada"}, format="json", **auth(token))
    assert (
        client.patch(f"/api/admin/users/{user.pk}/", {"is_active": True}, format="json", **auth(token)).status_code
        == 200
    )
    deactivated, reactivated = last(user, "account_deactivated"), last(user, "account_reactivated")
    for event in (deactivated, reactivated):
        assert (event.ip, event.session, event.user_agent, event.device) == (None, None, "", "")
    secret = post(client, "/api/auth/mfa/totp/setup/", token=login_token(client)).json()["secret"]
    post(client, "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(secret).now()}, login_token(client))
    assert post(client, f"/api/admin/users/{user.pk}/mfa/reset/", token=token).status_code == 204
    assert last(user, "mfa_reset").ip is None


def test_reauthentication_is_logged(client, ada, clock):
    user, token = ada
    clock.tick(timedelta(minutes=30))
    assert post(client, "/api/auth/reauthenticate/", {"password": PASSWORD}, token).status_code == 200
    assert last(user, "reauthenticated").details == {"method": "password"}
    assert post(client, "/api/auth/reauthenticate/", {"password": "wrong"}, token).status_code == 400
    assert SecurityEvent.objects.filter(kind="reauthenticated").count() == 1


# ---- nothing secret ----------------------------------------------------------------------------


def test_no_event_holds_any_secret_the_flows_handed_out(client, ada, clock, outbox):
    user, token = ada
    secrets = {PASSWORD, NEW_PASSWORD, token}
    secrets.update(AuthToken.objects.values_list("digest", flat=True))
    setup = post(client, "/api/auth/mfa/totp/setup/", token=token).json()
    secrets.add(setup["secret"])
    code = pyotp.TOTP(setup["secret"]).now()
    recovery = post(client, "/api/auth/mfa/totp/confirm/", {"code": code}, token).json()["recovery_codes"]
    secrets.update(recovery)
    challenge = post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}).json()["challenge"]
    secrets.add(challenge)
    post(client, "/api/auth/login/mfa/", {"challenge": challenge, "recovery_code": recovery[0]})
    post(client, "/api/auth/password/change/", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, token)
    post(client, "/api/auth/password/reset/", {"email": "ada@example.com"})
    relay_round()
    post(client, "/api/auth/email/change/", {"new_email": "ada.new@example.com", "password": NEW_PASSWORD}, token)
    for email in outbox.all():
        secrets.update(re.findall(r"/(?:confirm-email|reset-password|sign-in-alert)/(\S+)", email.payload["text"]))
        secrets.update(re.findall(r"\b\d{6}\b", email.payload["text"]))
    secrets.update(EmailConfirmation.objects.values_list("key_hash", flat=True))
    secrets.update(AuthToken.objects.values_list("digest", flat=True))
    secrets.update(User.objects.values_list("password", flat=True))
    dump = json.dumps(list(SecurityEvent.objects.values()), default=str)
    assert len(set(kinds(user))) >= 6
    for secret in secrets:
        for part in re.split(r"[/$]", secret):
            if len(part) >= 6:
                assert part not in dump, f"a secret is in the log: {part[:4]}..."


# ---- pagination, access, retention ---------------------------------------------------------------


def test_the_log_pages_by_cursor_without_gaps_or_repeats(client, ada):
    user, token = ada
    SecurityEvent.objects.bulk_create(SecurityEvent(user=user, kind="signed_out", details={"n": n}) for n in range(119))
    seen, url = [], LOG
    while url:
        page = client.get(url, **auth(token))
        assert page.status_code == 200
        body = page.json()
        assert len(body["results"]) <= 50
        seen += [e["id"] for e in body["results"]]
        url = body["next"]
    assert seen == sorted(seen, reverse=True) and len(seen) == len(set(seen)) == 120
    assert body["previous"].startswith(LOG + "?cursor=")  # a path: nothing taken from the Host header
    for cursor in ("cD1hYmM=", "bz0tNQ==", "cj0xJnA9MWU5OTk=", "cD0xJTAw"):
        bad = client.get(f"{LOG}?cursor={cursor}", **auth(token))
        assert bad.status_code == 404 and bad.json()["code"] == "not_found", bad.content


def test_an_owner_sees_only_their_own_events_and_another_users_is_404(client, ada, make_user):
    user, token = ada
    make_user(email="bob@example.com")
    bobs = login_token(client, email="bob@example.com")
    bob_event = SecurityEvent.objects.get(user__email="bob@example.com")
    assert client.get(f"{LOG}{bob_event.pk}/", **auth(token)).status_code == 404
    assert client.get(f"{LOG}{bob_event.pk}/", **auth(bobs)).json()["kind"] == "signed_in"
    assert all(e["id"] != bob_event.pk for e in client.get(LOG, **auth(token)).json()["results"])
    assert client.get(LOG).status_code == 401


def test_admins_read_any_users_log_members_cannot(client, admin, ada, make_user):
    user, token = ada
    admin_token = login_token(client, email="root@example.com")
    body = client.get(f"/api/admin/users/{user.pk}/security-log/", **auth(admin_token)).json()
    assert [e["kind"] for e in body["results"]] == ["signed_in"]
    assert client.get(f"/api/admin/users/{user.pk}/security-log/", **auth(token)).status_code == 403
    assert client.get("/api/admin/users/999999/security-log/", **auth(admin_token)).status_code == 404


def test_the_cleanup_job_prunes_events_past_the_retention(client, ada, clock, settings):
    user, _ = ada
    settings.SECURITY_LOG_RETENTION_DAYS = 30
    clock.tick(timedelta(days=29))
    login_token(client)
    clock.tick(timedelta(days=2))
    call_command("clear_expired_tokens")
    assert SecurityEvent.objects.filter(user=user).count() == 1  # the second sign-in, 2 days old


def test_only_the_benchmark_can_turn_the_log_off(client, make_user):
    make_user()
    with security_log.off():
        login_token(client)
        post(client, "/api/auth/login/", {"email": "ada@example.com", "password": "wrong"})
    assert not SecurityEvent.objects.exists() and not SignInFailure.objects.exists()
    login_token(client)  # and on again after
    assert SecurityEvent.objects.filter(kind="signed_in").count() == 1


# ---- one transaction -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", ["sign_in", "password_change", "logout_everywhere", "revoke_session"])
def test_an_event_that_cannot_be_written_undoes_the_change_it_records(client, make_user, monkeypatch, action):
    user = make_user()
    token, other = login_token(client), login_token(client)
    tokens_before, mail_before = set(AuthToken.objects.values_list("digest", flat=True)), outbox_count()

    def broken(*args, **kwargs):
        raise RuntimeError("the log is down")

    monkeypatch.setattr(security_log, "record", broken)
    request = {
        "sign_in": lambda: post(client, "/api/auth/login/", {"email": "ada@example.com", "password": PASSWORD}),
        "password_change": lambda: post(
            client, "/api/auth/password/change/", {"current_password": PASSWORD, "new_password": NEW_PASSWORD}, token
        ),
        "logout_everywhere": lambda: post(client, "/api/auth/logout-all/", token=token),
        "revoke_session": lambda: client.delete(f"/api/auth/sessions/{session_of(other)}/", **auth(token)),
    }[action]
    with pytest.raises(RuntimeError):
        request()
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    assert set(AuthToken.objects.values_list("digest", flat=True)) == tokens_before
    assert outbox_count() == mail_before


def outbox_count():
    from outbox.models import OutboxEmail

    return OutboxEmail.objects.count()


def test_a_flood_of_wrong_sign_in_codes_stages_only_the_codes_tries(client, ada, outbox):
    """Attack finding: every guess past a code's 3 tries was staged too (4,320 in a minute), and
    the relay counted them one transaction each, holding SQLite's one write lock."""
    user, _ = ada
    post(client, "/api/auth/login/code/", {"email": "ada@example.com"})
    relay_round()
    for n in range(20):
        post(
            client,
            "/api/auth/login/code/confirm/",
            {"email": "ada@example.com", "code": "AAAA-AAAA"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
    assert SignInFailure.objects.count() == 3
    with CaptureQueriesContext(connection) as queries:
        assert security_log.count_sign_in_failures() == 3
    # One batch: a few statements per address, not a transaction per failure.
    assert len(queries.captured_queries) <= 4 + 4 * 3, [q["sql"] for q in queries.captured_queries]


def test_a_batch_of_many_failures_is_counted_in_a_few_statements(ada):
    user, _ = ada
    SignInFailure.objects.bulk_create(SignInFailure(user=user, method="password", ip="192.0.2.1") for _ in range(300))
    with CaptureQueriesContext(connection) as queries:
        assert security_log.count_sign_in_failures() == 300
    assert len(queries.captured_queries) <= 12
    assert last(user, "sign_in_failed").count == 300 and not SignInFailure.objects.exists()


def test_an_administrators_role_change_and_a_sessions_wrong_password_are_logged(client, admin, ada, clock):
    """Attack finding: granting the admin role and a stolen token's password guesses left no trace."""
    user, token = ada
    admin_token = login_token(client, email="root@example.com")
    body = {"roles": ["admin", "member"]}
    assert client.patch(f"/api/admin/users/{user.pk}/", body, format="json", **auth(admin_token)).status_code == 200
    client.patch(f"/api/admin/users/{user.pk}/", body, format="json", **auth(admin_token))  # no change: no event
    changed = last(user, "roles_changed")
    assert changed.details == {"roles": ["admin", "member"]} and changed.ip is None
    assert post(client, "/api/auth/reauthenticate/", {"password": "a guess"}, token).status_code == 400
    change = {"current_password": "another guess", "new_password": NEW_PASSWORD}
    assert post(client, "/api/auth/password/change/", change, token).status_code == 400
    assert post(client, "/api/auth/reauthenticate/", {"code": "123456"}, token).status_code == 400
    security_log.count_sign_in_failures()
    failed = SecurityEvent.objects.filter(user=user, kind="reauthentication_failed").order_by("id")
    assert [(e.details["method"], e.count, e.session) for e in failed] == [
        ("password", 2, session_of(token)),
        ("totp", 1, session_of(token)),
    ]
    assert not SecurityEvent.objects.filter(kind="sign_in_failed").exists()
