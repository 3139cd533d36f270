"""English and German: an account's language decides its emails; a request's Accept-Language
decides the `detail`s of its answer, whose `code`s never change."""

import pytest
from outbox.models import OutboxEmail

from accounts.models import User

from .conftest import PASSWORD, auth, login_token, post

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de-DE,de;q=0.9,en;q=0.5"}
NEW_PASSWORD = "an entirely new passphrase"


def subject_of(email):
    assert email.payload is not None  # not handed over yet: no commit in these tests
    return email.payload["subject"]


def sign_up(client, email="neu@example.com", **body_and_headers):
    headers = {key: value for key, value in body_and_headers.items() if key.startswith("HTTP_")}
    body = {key: value for key, value in body_and_headers.items() if not key.startswith("HTTP_")}
    return post(client, "/api/auth/register/", {"email": email, "password": PASSWORD, **body}, **headers)


def test_sign_up_without_a_language_takes_the_requests(client):
    response = sign_up(client, **GERMAN)
    assert response.status_code == 201
    assert response.json()["detail"].startswith("Sehen Sie in Ihrem Posteingang nach")
    assert User.objects.get(email="neu@example.com").language == "de"
    assert subject_of(OutboxEmail.objects.get(to="neu@example.com")) == "Bestätigen Sie Ihre E-Mail-Adresse"


@pytest.mark.parametrize(
    ("header", "language"),
    [
        ("de-AT", "de"),
        ("fr-FR,fr;q=0.9", "en"),
        ("", "en"),
        ("*", "en"),
        ("de;q=0, en;q=0.1", "en"),
        ("x" * 4000, "en"),
    ],
)
def test_accept_language_picks_one_of_ours_or_english(client, header, language):
    assert sign_up(client, HTTP_ACCEPT_LANGUAGE=header).status_code == 201
    assert User.objects.get(email="neu@example.com").language == language


def test_the_web_apps_language_wins_over_the_header_and_the_answer_follows_the_header(client):
    response = sign_up(client, language="en", **GERMAN)
    assert response.status_code == 201 and response.json()["detail"].startswith("Sehen Sie")
    assert User.objects.get(email="neu@example.com").language == "en"
    assert subject_of(OutboxEmail.objects.get()) == "Confirm your email address"


@pytest.mark.parametrize("language", ["fr", "DE", "de-DE", "", None, 1, ["de"], {"de": 1}, "de\n"])
def test_a_language_we_do_not_speak_is_refused_and_nothing_is_created(client, language):
    response = sign_up(client, language=language)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error" and "language" in response.json()["fields"]
    assert not User.objects.exists() and not OutboxEmail.objects.exists()


def test_an_existing_owner_is_warned_in_their_own_language_not_the_requesters(client, make_user):
    make_user(email="ada@example.com", language="en")
    assert sign_up(client, email="ada@example.com", language="de", **GERMAN).status_code == 201
    assert subject_of(OutboxEmail.objects.get()) == "Someone tried to sign up with your email address"
    assert User.objects.get(email="ada@example.com").language == "en"


def test_the_profile_shows_and_changes_the_language_and_the_next_email_follows(client, make_user):
    make_user(email="ada@example.com")
    token = login_token(client)
    assert client.get("/api/auth/me/", **auth(token)).json()["language"] == "en"
    response = client.patch("/api/auth/me/", {"language": "de"}, format="json", **auth(token))
    assert response.status_code == 200 and response.json()["language"] == "de"
    changed = post(
        client,
        "/api/auth/password/change/",
        {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        token=token,
    )
    assert changed.status_code == 200, changed.content
    assert changed.json()["detail"] == "Your password has been changed."  # the request asked for no language
    notice = OutboxEmail.objects.get(kind="password_changed").payload
    assert notice is not None
    assert notice["subject"] == "Ihr Passwort wurde geändert" and notice["language"] == "de"


def test_a_bad_profile_language_changes_nothing(client, make_user):
    make_user(email="ada@example.com", language="de")
    token = login_token(client)
    response = client.patch("/api/auth/me/", {"language": "xx", "first_name": "Ada"}, format="json", **auth(token))
    assert response.status_code == 400 and "language" in response.json()["fields"]
    user = User.objects.get()
    assert (user.language, user.first_name) == ("de", "")


def test_error_details_follow_the_request_and_codes_stay(client, make_user):
    make_user(email="ada@example.com")
    body = {"email": "ada@example.com", "password": "not the password"}
    english = post(client, "/api/auth/login/", body)
    german = post(client, "/api/auth/login/", body, **GERMAN)
    assert english.status_code == german.status_code == 400
    assert english.json()["code"] == german.json()["code"] == "invalid_credentials"
    assert english.json()["detail"] == "Unable to log in with the provided credentials."
    assert german.json()["detail"] == "Mit diesen Zugangsdaten ist keine Anmeldung möglich."
    assert "Accept-Language" in german["Vary"]


def test_field_errors_and_plumbing_errors_are_translated_too(client):
    missing = post(client, "/api/auth/register/", {"password": PASSWORD}, **GERMAN).json()
    assert missing["code"] == "validation_error" and missing["detail"] == "Einige Felder sind ungültig."
    assert missing["fields"]["email"] == ["Dieses Feld ist zwingend erforderlich."]  # DRF's own catalogue
    bad_address = post(client, "/api/auth/register/", {"email": "nobody", "password": PASSWORD}, **GERMAN).json()
    assert bad_address["fields"]["email"] == ["Geben Sie eine E-Mail-Adresse mit einem @ ein, etwa name@example.com."]
    not_found = client.get("/api/nothing-here/", **GERMAN)
    assert not_found.status_code == 404 and not_found.json() == {"code": "not_found", "detail": "Nicht gefunden."}
    unauthenticated = client.get("/api/auth/me/", HTTP_AUTHORIZATION="Token nope", **GERMAN)
    assert unauthenticated.status_code == 401
    assert unauthenticated.json() == {"code": "authentication_failed", "detail": "Ungültiges oder abgelaufenes Token."}


def test_a_weak_password_is_explained_in_german(client):
    response = post(client, "/api/auth/register/", {"email": "neu@example.com", "password": "password123"}, **GERMAN)
    assert response.status_code == 400
    (message,) = response.json()["fields"]["password"]
    assert "Passwort" in message and "password" not in message.lower().replace("passwort", "")
