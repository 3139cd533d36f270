"""Every issue-3 email flow through the gateway, reading the real email from the mail catcher."""

import re
import threading

import pytest

from tests.integration.conftest import PASSWORD, Gateway, extract_link

NEW = "a new integration passphrase"


@pytest.fixture
def account(gateway, mailbox, new_address):
    """A confirmed account and a logged-in API token for it."""
    gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD})
    (message,) = mailbox.wait_for(new_address)
    key = extract_link(message, "confirm-email").rsplit("/", 1)[1]
    assert gateway.post("/api/auth/email/confirm/", json={"key": key}).status_code == 200
    token = gateway.post("/api/auth/login/", json={"email": new_address, "password": PASSWORD}).json()["token"]
    return new_address, {"Authorization": f"Token {token}"}


def with_subject(messages, subject):
    (message,) = [m for m in messages if m["subject"] == subject]
    return message


def reset_parts(message):
    link = re.search(r"/reset-password/([^/\s]+)/(\S+)", message["text"])
    code = re.search(r"^(\d{6})\s*$", message["text"], re.M)
    assert link and code, message["text"]
    uid, token = link.groups()
    return uid, token, code.group(1)


def test_reset_by_link_through_the_gateway(gateway, mailbox, account):
    email, headers = account
    assert gateway.post("/api/auth/password/reset/", json={"email": email}).status_code == 202
    message = with_subject(mailbox.wait_for(email, count=2), "Reset your password")
    uid, token, _ = reset_parts(message)
    assert gateway.post("/api/auth/password/reset/verify/", json={"uid": uid, "token": token}).status_code == 200
    done = gateway.post("/api/auth/password/reset/confirm/", json={"uid": uid, "token": token, "new_password": NEW})
    assert done.status_code == 200
    assert gateway.get("/api/auth/me/", headers=headers).status_code == 401  # every session revoked
    assert gateway.post("/api/auth/login/", json={"email": email, "password": NEW}).status_code == 200
    notices = [m["subject"] for m in mailbox.wait_for(email, count=3)]
    assert "Your password was changed" in notices
    assert all(NEW not in m["text"] for m in mailbox.messages(email))


def test_reset_by_code_and_identical_answers_for_unknown_addresses(gateway, mailbox, account):
    email, _ = account
    known = gateway.post("/api/auth/password/reset/", json={"email": email})
    unknown = gateway.post("/api/auth/password/reset/", json={"email": "nobody-" + email})
    assert known.status_code == unknown.status_code == 202 and known.content == unknown.content
    message = with_subject(mailbox.wait_for(email, count=2), "Reset your password")
    _, _, code = reset_parts(message)
    body = {"email": email, "code": code, "new_password": NEW}
    assert gateway.post("/api/auth/password/reset/confirm/", json=body).status_code == 200
    assert gateway.post("/api/auth/password/reset/confirm/", json=body).status_code == 400
    assert mailbox.messages("nobody-" + email) == []


def test_two_concurrent_uses_of_one_reset_link_give_one_success(gateway, mailbox, account):
    email, _ = account
    gateway.post("/api/auth/password/reset/", json={"email": email})
    uid, token, _ = reset_parts(with_subject(mailbox.wait_for(email, count=2), "Reset your password"))
    results = []

    def use(password):
        response = gateway.post(
            "/api/auth/password/reset/confirm/", json={"uid": uid, "token": token, "new_password": password}
        )
        results.append(response.status_code)

    threads = [threading.Thread(target=use, args=(f"{NEW} number {i}",)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [200, 400, 400, 400]


def test_change_password_sends_a_notice_and_keeps_this_session(gateway, mailbox, account):
    email, headers = account
    response = gateway.post(
        "/api/auth/password/change/", headers=headers, json={"current_password": PASSWORD, "new_password": NEW}
    )
    assert response.status_code == 200
    assert gateway.get("/api/auth/me/", headers=headers).status_code == 200
    subjects = [m["subject"] for m in mailbox.wait_for(email, count=2)]
    assert "Your password was changed" in subjects


def test_email_change_through_the_gateway(gateway, mailbox, account):
    email, headers = account
    new_email = "changed-" + email
    response = gateway.post(
        "/api/auth/email/change/", headers=headers, json={"new_email": new_email, "password": PASSWORD}
    )
    assert response.status_code == 202
    (confirmation,) = mailbox.wait_for(new_email)
    assert any(m["subject"] == "A change of your email address was requested" for m in mailbox.wait_for(email, count=2))
    key = extract_link(confirmation, "confirm-email").rsplit("/", 1)[1]
    assert gateway.post("/api/auth/email/confirm/", json={"key": key}).status_code == 200
    assert gateway.get("/api/auth/me/", headers=headers).json()["email"] == new_email
    assert any(m["subject"] == "Your email address was changed" for m in mailbox.wait_for(email, count=3))


def test_resend_confirmation_through_the_gateway(gateway, mailbox, new_address):
    gateway.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD})
    mailbox.wait_for(new_address)
    resent = gateway.post("/api/auth/email/resend/", json={"email": new_address})
    unknown = gateway.post("/api/auth/email/resend/", json={"email": "nobody-" + new_address})
    assert resent.status_code == unknown.status_code == 202 and resent.content == unknown.content
    newest = mailbox.wait_for(new_address, count=2)
    keys = [extract_link(m, "confirm-email").rsplit("/", 1)[1] for m in newest]
    results = sorted(gateway.post("/api/auth/email/confirm/", json={"key": k}).status_code for k in keys)
    assert results == [200, 400]


def test_delete_account_sends_goodbye(gateway, mailbox, account):
    email, headers = account
    response = gateway.delete("/api/auth/me/", headers=headers, json={"password": PASSWORD})
    assert response.status_code == 204
    assert any(m["subject"] == "Your account was deleted" for m in mailbox.wait_for(email, count=2))
    assert gateway.post("/api/auth/login/", json={"email": email, "password": PASSWORD}).status_code == 400


def test_schema_docs_and_django_admin_are_reachable(gateway):
    schema = gateway.get("/api/schema/?format=json")
    assert schema.status_code == 200 and "/api/auth/login/" in schema.json()["paths"]
    docs = gateway.get("/api/docs/")
    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    admin = gateway.get("/admin/login/")
    assert admin.status_code == 200 and "csrfmiddlewaretoken" in admin.text


def run_at_once(calls):
    """Run the callables in threads released together; return their results in order."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(i, call):
        barrier.wait(10)
        results[i] = call()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def test_concurrent_registrations_of_one_address_make_one_account(stack, mailbox, new_address):
    def sign_up():
        with Gateway(stack.gateway_url) as session:
            return session.post("/api/auth/register/", json={"email": new_address, "password": PASSWORD})

    # Five: the per-address budget of an hour (email_address=5/h), so none is throttled.
    responses = run_at_once([sign_up] * 5)
    assert [r.status_code for r in responses] == [201] * 5
    assert len({r.content for r in responses}) == 1  # nobody can tell who won
    emails = mailbox.wait_for(new_address, count=5)
    confirmations = [m for m in emails if "/confirm-email/" in m["text"]]
    assert len(confirmations) == 1 and len(emails) == 5  # one account; four "account exists" notices


def test_two_concurrent_uses_of_one_reset_code_give_one_success(stack, gateway, mailbox, account):
    email, _ = account
    gateway.post("/api/auth/password/reset/", json={"email": email})
    _, _, code = reset_parts(with_subject(mailbox.wait_for(email, count=2), "Reset your password"))

    def use(i):
        def call():
            with Gateway(stack.gateway_url) as session:
                return session.post(
                    "/api/auth/password/reset/confirm/",
                    json={"email": email, "code": code, "new_password": f"{NEW} number {i}"},
                )

        return call

    statuses = sorted(r.status_code for r in run_at_once([use(i) for i in range(4)]))
    assert statuses == [200, 400, 400, 400]
