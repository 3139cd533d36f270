import jsonschema
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import EmailConfirmation, User
from tests.conftest import PASSWORD, auth, link_key, login_token, queued_payloads

URL = "/api/auth/register/"
pytestmark = pytest.mark.django_db(transaction=True)


def register(client, **body):
    return client.post(URL, {"email": "ada@example.com", "password": PASSWORD, **body}, format="json")


def test_register_creates_unconfirmed_member_and_queues_confirmation(client, mail_schema):
    response = register(client, username="ada")
    assert response.status_code == 201
    assert response.json() == {"detail": "Check your inbox for a link to confirm your email address."}
    user = User.objects.get(email="ada@example.com")
    # The username is claimed when the address is confirmed (tests/test_enumeration.py).
    assert user.username is None and user.requested_username == "ada"
    assert not user.email_confirmed and user.roles == ["member"]
    assert user.password.startswith("md5$")  # test hasher; argon2 is checked separately
    (payload,) = queued_payloads()
    jsonschema.validate(payload, mail_schema)
    assert payload["kind"] == "confirm_email" and payload["to"] == "ada@example.com"
    key = link_key(payload, "confirm-email")
    assert len(key) >= 43
    # Only a hash of the key is stored.
    assert not EmailConfirmation.objects.filter(key_hash=key).exists()
    assert EmailConfirmation.objects.filter(user=user).count() == 1


def test_register_existing_address_in_other_case_answers_identically(client, make_user):
    make_user(email="ada@example.com")
    first = register(client, email="Ada@Example.COM")
    fresh = register(client, email="bob@example.com")
    assert first.status_code == fresh.status_code == 201
    assert first.content == fresh.content
    assert User.objects.filter(email="ada@example.com").count() == 1
    kinds = [(p["kind"], p["to"]) for p in queued_payloads()]
    assert kinds == [("account_exists", "ada@example.com"), ("confirm_email", "bob@example.com")]


def test_register_lookalike_fullwidth_address_maps_to_the_same_account(client, make_user):
    make_user(email="ada@example.com")
    response = register(client, email="ＡＤＡ@example.com")
    assert response.status_code == 201
    assert User.objects.count() == 1
    assert [p["to"] for p in queued_payloads()] == ["ada@example.com"]


def test_register_without_username_or_with_null_but_not_blank(client):
    assert register(client).status_code == 201
    assert register(client, email="bob@example.com", username=None).status_code == 201
    assert list(User.objects.values_list("username", flat=True)) == [None, None]
    # "" was taken as "no username" while the schema's pattern refused it: now the API refuses it too.
    blank = register(client, email="eve@example.com", username="")
    assert blank.status_code == 400 and list(blank.json()["fields"]) == ["username"]


def test_register_taken_username_in_other_case_is_a_field_error(client, make_user):
    make_user(email="someone@example.com", username="Ada")
    response = register(client, username="ada")
    assert response.status_code == 400
    assert response.json()["fields"] == {"username": ["This username is taken."]}


@pytest.mark.parametrize(
    "body, field",
    [
        ({"password": PASSWORD}, "email"),
        ({"email": "ada@example.com"}, "password"),
        ({"email": ["ada@example.com"], "password": PASSWORD}, "email"),
        ({"email": {"a": 1}, "password": PASSWORD}, "email"),
        ({"email": "not-an-email", "password": PASSWORD}, "email"),
        ({"email": "ada@example.com", "password": 123456789012345}, "password"),
        ({"email": "ada@example.com", "password": ["x" * 20]}, "password"),
        ({"email": "ada\x00@example.com", "password": PASSWORD}, "email"),
        ({"email": "a" * 250 + "@example.com", "password": PASSWORD}, "email"),
        ({"email": "ada@example.com", "password": PASSWORD, "username": "a b"}, "username"),
        ({"email": "ada@example.com", "password": PASSWORD, "username": "ädä"}, "username"),
        ({"email": "ada@example.com", "password": PASSWORD, "username": "x" * 31}, "username"),
    ],
)
def test_register_bad_fields(client, body, field):
    response = client.post(URL, body, format="json")
    assert response.status_code == 400
    data = response.json()
    assert data["code"] == "validation_error" and field in data["fields"]
    assert User.objects.count() == 0 and queued_payloads() == []


@pytest.mark.parametrize(
    "password, reason",
    [
        ("short pass", "too short"),
        ("password1234", "too common"),
        ("adalovelace@example.com", "too similar"),
    ],
)
def test_register_weak_passwords_are_refused_with_a_reason(client, password, reason):
    response = register(client, email="adalovelace@example.com", password=password)
    assert response.status_code == 400
    assert any(reason in message for message in response.json()["fields"]["password"])


@pytest.mark.parametrize(
    "body, password",
    [
        ({"email": "lovelace.ada@example.com"}, "my name is LOVELACE.ADA and I count"),
        ({"email": "x9@example.com", "username": "analytical"}, "the Analytical engine weaves"),
    ],
)
def test_password_containing_the_email_local_part_or_username_is_refused(client, body, password):
    # Checklist 7 (ASVS 5.0 6.2.11): containment, not just overall similarity.
    response = client.post(URL, {**body, "password": password}, format="json")
    assert response.status_code == 400
    assert any("must not contain your" in m for m in response.json()["fields"]["password"])
    assert User.objects.count() == 0


def test_password_contains_identity_applies_to_change_and_reset_too(client, make_user):
    make_user(email="lovelace.ada@example.com", username="countess")
    token = login_token(client, email="lovelace.ada@example.com")
    response = client.post(
        "/api/auth/password/change/",
        {"current_password": PASSWORD, "new_password": "the countess of lovelace 1815"},
        format="json",
        **auth(token),
    )
    assert response.status_code == 400 and "must not contain your username" in str(response.json()["fields"])


def test_short_local_parts_do_not_forbid_ordinary_words(client):
    assert (
        client.post(URL, {"email": "al@example.com", "password": "totally normal phrase"}, format="json").status_code
        == 201
    )


def test_no_composition_rules(client):
    assert register(client, password="all lower case words only").status_code == 201


def test_register_huge_password_is_refused_without_hashing(client, monkeypatch):
    calls = []
    monkeypatch.setattr("accounts.registration.make_password", lambda *a, **k: calls.append(1))
    response = register(client, password="x" * 100_000)
    assert response.status_code == 400
    assert "password" in response.json()["fields"]
    assert calls == []
    assert User.objects.count() == 0


def test_malformed_json_is_a_parse_error(client):
    response = client.post(URL, data='{"email": "ada@example.com",', content_type="application/json")
    assert response.status_code == 400
    assert response.json() == {"code": "parse_error", "detail": "Malformed JSON."}


def test_invalid_utf8_is_a_parse_error(client):
    response = client.post(URL, data=b'{"email": "\xff\xfe"}', content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_deeply_nested_json_is_a_parse_error_not_a_crash(client):
    response = client.post(URL, data="[" * 200_000 + "]" * 200_000, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


def test_text_plain_body_is_unsupported(client):
    response = client.post(URL, data='{"email": "a@b.c"}', content_type="text/plain")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"


def test_oversize_body_is_refused_before_parsing(client, settings):
    settings.API_MAX_BODY_BYTES = 1000
    response = client.post(URL, data='{"email": "' + "a" * 2000 + '"}', content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_foreign_host_header_gets_400_and_no_email(client):
    response = client.post(
        URL, {"email": "ada@example.com", "password": PASSWORD}, format="json", HTTP_HOST="evil.example"
    )
    assert response.status_code == 400
    assert response.json()["code"] == "bad_request"
    assert User.objects.count() == 0 and queued_payloads() == []


def test_links_use_frontend_url_not_forwarded_host(client):
    register(client, HTTP_X_FORWARDED_HOST="evil.example")
    (payload,) = queued_payloads()
    assert "evil.example" not in payload["text"]
    assert "http://127.0.0.1:8080/confirm-email/" in payload["text"]


def test_register_runs_one_transaction_and_no_session_table(client):
    with CaptureQueriesContext(connection) as queries:
        register(client)
    assert not any("django_session" in q["sql"] for q in queries.captured_queries)


def test_every_invalid_field_is_reported_at_once(client):
    response = client.post(URL, {"email": "not-an-email", "password": "short"}, format="json")
    assert response.status_code == 400
    assert set(response.json()["fields"]) == {"email", "password"}


def test_a_foreign_host_is_one_warning_line_without_a_traceback(client, caplog):
    client.get("/api/auth/me/", HTTP_HOST="evil.example")
    (record,) = [r for r in caplog.records if r.name == "django.security.DisallowedHost"]
    assert record.levelname == "WARNING" and record.exc_info is None
    assert "Traceback" not in caplog.text and "evil.example" in record.getMessage()
