import pytest

from accounts.models import AuthToken
from tests.conftest import PASSWORD

URL = "/api/auth/login/"
pytestmark = pytest.mark.django_db


def login(client, **body):
    return client.post(URL, body, format="json")


def test_login_by_email_returns_a_fresh_token_expiry_and_user(client, make_user):
    make_user(username="ada")
    response = login(client, email="ada@example.com", password=PASSWORD)
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"token", "expiry", "user"}
    assert len(data["token"]) == 64 and int(data["token"], 16) >= 0  # 256 bits of hex
    assert data["user"]["email"] == "ada@example.com" and data["user"]["username"] == "ada"
    assert "sessionid" not in response.cookies
    second = login(client, email="ada@example.com", password=PASSWORD).json()["token"]
    assert second != data["token"] and AuthToken.objects.count() == 2


def test_login_email_is_case_insensitive_and_username_works(client, make_user):
    make_user(username="Ada")
    assert login(client, email="  ADA@example.com ", password=PASSWORD).status_code == 200
    assert login(client, username="ada", password=PASSWORD).status_code == 200


def test_unknown_account_and_wrong_password_look_the_same(client, make_user):
    make_user()
    wrong = login(client, email="ada@example.com", password="not the password at all")
    unknown = login(client, email="nobody@example.com", password="not the password at all")
    assert wrong.status_code == unknown.status_code == 400
    assert wrong.content == unknown.content
    assert wrong.json() == {"code": "invalid_credentials", "detail": "Unable to log in with the provided credentials."}
    assert sorted(wrong.headers.keys()) == sorted(unknown.headers.keys())


def test_unknown_account_still_runs_the_password_hasher(client, monkeypatch):
    calls = []
    real = __import__("accounts.login", fromlist=["make_password"]).make_password

    def counting(password):
        calls.append(password)
        return real(password)

    monkeypatch.setattr("accounts.login.make_password", counting)
    login(client, email="nobody@example.com", password="some password here")
    assert calls == ["some password here"]


def test_unconfirmed_email_gets_403_and_no_token(client, make_user):
    make_user(confirmed=False)
    response = login(client, email="ada@example.com", password=PASSWORD)
    assert response.status_code == 403
    assert response.json()["code"] == "email_not_confirmed"
    assert AuthToken.objects.count() == 0


def test_unconfirmed_with_wrong_password_reveals_nothing(client, make_user):
    make_user(confirmed=False)
    response = login(client, email="ada@example.com", password="wrong password here")
    assert response.status_code == 400 and response.json()["code"] == "invalid_credentials"


def test_inactive_user_cannot_log_in(client, make_user):
    make_user(is_active=False)
    response = login(client, email="ada@example.com", password=PASSWORD)
    assert response.status_code == 400 and response.json()["code"] == "invalid_credentials"


def test_password_differing_after_72_characters_does_not_log_in(client, make_user):
    long_password = "x" * 72 + "tail-one"
    make_user(password=long_password)
    assert login(client, email="ada@example.com", password=long_password).status_code == 200
    assert login(client, email="ada@example.com", password="x" * 72 + "tail-two").status_code == 400


@pytest.mark.parametrize(
    "password", ["  spaces  around and inside  ", "emoji 🔐 and ünïcödé pässwörd", "p" * 64, "p" * 128]
)
def test_unicode_spaces_and_long_passwords_round_trip(client, password):
    register = client.post("/api/auth/register/", {"email": "ada@example.com", "password": password}, format="json")
    assert register.status_code == 201
    from accounts.models import User

    User.objects.update(email_confirmed=True)
    assert login(client, email="ada@example.com", password=password).status_code == 200
    assert login(client, email="ada@example.com", password=password.strip() + "!").status_code == 400


@pytest.mark.parametrize(
    "body",
    [
        {"password": PASSWORD},
        {"email": "ada@example.com"},
        {"email": "ada@example.com", "username": "ada", "password": PASSWORD},
        {"email": ["ada@example.com"], "password": PASSWORD},
        {"email": "ada@example.com", "password": "x" * 100_000},
    ],
)
def test_bad_login_input(client, make_user, body):
    make_user(username="ada")
    response = login(client, **body)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert AuthToken.objects.count() == 0


def test_basic_auth_is_never_accepted(client, make_user):
    import base64

    make_user()
    credentials = base64.b64encode(f"ada@example.com:{PASSWORD}".encode()).decode()
    response = client.get("/api/auth/me/", HTTP_AUTHORIZATION=f"Basic {credentials}")
    assert response.status_code == 401
    assert response.headers["WWW-Authenticate"] == "Token"


def test_argon2id_is_the_hasher(settings, make_user):
    import config.settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0] == "accounts.hashers.Argon2idHasher"
    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    user = make_user()
    # OWASP's Argon2id parameters: 19 MiB of memory, 2 passes, 1 lane.
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
    assert user.check_password(PASSWORD)


def test_hashes_with_other_argon2_parameters_verify_and_are_upgraded_at_login(settings, client, make_user):
    from django.contrib.auth.hashers import Argon2PasswordHasher

    import config.settings as production_settings

    settings.PASSWORD_HASHERS = production_settings.PASSWORD_HASHERS
    user = make_user()
    user.password = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())  # Django's 100 MiB
    user.save(update_fields=["password"])
    response = client.post("/api/auth/login/", {"email": user.email, "password": PASSWORD}, format="json")
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def checked_before(monkeypatch, change):
    """A login whose password check ran on the row as it was before `change` committed."""
    from accounts import login as login_flow

    real = login_flow.authenticate_login

    def check_then_change(*args, **kwargs):
        user = real(*args, **kwargs)
        change()
        return user

    monkeypatch.setattr(login_flow, "authenticate_login", check_then_change)


def test_a_login_checked_before_a_password_change_gets_no_token(client, make_user, monkeypatch):
    """Attack finding: a login checked against the old password just before a change added its
    token just after the change had revoked every other session, and kept a working session."""
    user = make_user()

    def change_password():
        from accounts.models import User

        fresh = User.objects.get(pk=user.pk)
        fresh.set_password("the owner's new passphrase")
        fresh.save(update_fields=["password"])

    checked_before(monkeypatch, change_password)
    response = login(client, email="ada@example.com", password=PASSWORD)
    assert response.status_code == 400 and response.json()["code"] == "invalid_credentials"
    assert not AuthToken.objects.exists()


def test_a_login_checked_before_the_account_was_deleted_is_refused_not_a_500(client, make_user, monkeypatch):
    user = make_user()
    checked_before(monkeypatch, lambda: type(user).objects.filter(pk=user.pk).delete())
    response = login(client, email="ada@example.com", password=PASSWORD)
    assert response.status_code == 400 and response.json()["code"] == "invalid_credentials"
    assert not AuthToken.objects.exists()
