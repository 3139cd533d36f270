"""Data export: complete by construction (every model and field that refers to the account is
exported or excluded with a reason), never a secret, and only after a recent reauthentication."""

import dataclasses
import json
import re
from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from django.apps import apps
from django.db import models
from freezegun import freeze_time

from accounts import export
from accounts.models import AuthToken, User
from tests.conftest import PASSWORD, auth, login_token

pytestmark = pytest.mark.django_db

T0 = datetime(2027, 3, 1, 9, 0, 0, tzinfo=UTC)
EXPORT = "/api/auth/me/export/"


def refers_to_user(model):
    return any(
        field.is_relation and field.related_model is User and (field.many_to_one or field.one_to_one)
        for field in model._meta.get_fields()
        if not field.auto_created or field.concrete
    )


def test_every_model_that_refers_to_an_account_is_exported_or_excluded_with_a_reason():
    exported = {section.model for section in export.SECTIONS}
    for model in apps.get_models():
        if model is User or not refers_to_user(model):
            continue
        assert model in exported or export.EXCLUDED_MODELS.get(model), (
            f"{model.__name__} refers to User: export it (accounts/export.py SECTIONS) or exclude it with a reason"
        )


def test_every_field_of_an_exported_model_is_exported_or_excluded_with_a_reason():
    for section in export.SECTIONS:
        names = {
            field.name
            for field in section.model._meta.get_fields()
            if field.concrete or isinstance(field, models.ManyToManyField)
        }
        covered = set(section.fields) | {name for name, why in section.excluded.items() if why}
        assert names - covered == set(), f"{section.model.__name__}: {names - covered} neither exported nor excluded"
        assert set(section.fields) <= names and set(section.excluded) <= names  # no stale names either


def test_a_new_field_would_fail_the_build(monkeypatch):
    sessions = export.SECTIONS[1]
    forgetful = dataclasses.replace(sessions, excluded={k: v for k, v in sessions.excluded.items() if k != "digest"})
    monkeypatch.setattr(export, "SECTIONS", (export.SECTIONS[0], forgetful, *export.SECTIONS[2:]))
    with pytest.raises(AssertionError, match="digest"):
        test_every_field_of_an_exported_model_is_exported_or_excluded_with_a_reason()


@pytest.fixture
def clock():
    with freeze_time(T0) as frozen:
        yield frozen


def test_the_export_holds_the_accounts_data_and_no_secret(client, make_user, clock):
    user = make_user(username="ada", first_name="Ada")
    token = login_token(client)
    setup = client.post("/api/auth/mfa/totp/setup/", format="json", **auth(token)).json()
    codes = client.post(
        "/api/auth/mfa/totp/confirm/", {"code": pyotp.TOTP(setup["secret"]).now()}, format="json", **auth(token)
    ).json()["recovery_codes"]
    client.post(
        "/api/auth/email/change/",
        {"new_email": "ada.new@example.com", "password": PASSWORD},
        format="json",
        **auth(token),
    )
    response = client.get(EXPORT, **auth(token))
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"] == 'attachment; filename="account-data.json"'
    data = response.json()
    assert data["format"] == "auth-platform-account-export" and data["version"] == 1
    assert data["profile"]["email"] == "ada@example.com" and data["profile"]["username"] == "ada"
    assert data["profile"]["first_name"] == "Ada" and data["roles"] == []
    assert [s["public_id"] for s in data["sessions"]] == [str(AuthToken.objects.get().public_id)]
    assert data["authenticator_app"][0]["confirmed_at"] and len(data["recovery_codes"]) == 10
    assert [c["email"] for c in data["email_confirmations"]] == ["ada.new@example.com"]
    assert {e["kind"] for e in data["security_log"]} >= {"signed_in", "factor_added", "email_change_requested"}
    assert len(data["known_devices"]) == 1
    dump = json.dumps(data)
    stored = AuthToken.objects.get()
    for secret in [token, stored.digest, stored.token_key, setup["secret"], *codes, User.objects.get().password]:
        assert secret not in dump
    assert not re.search(
        r'"(password|digest|token_key|code_hash|key_hash|encrypted_secret|fingerprint|public_key)":', dump
    )
    assert user.pk == data["profile"]["id"]


def test_the_export_needs_a_recent_reauthentication(client, make_user, clock):
    make_user()
    token = login_token(client)
    clock.tick(timedelta(minutes=11))
    stale = client.get(EXPORT, **auth(token))
    assert stale.status_code == 403 and stale.json()["code"] == "reauthentication_required"
    client.post("/api/auth/reauthenticate/", {"password": PASSWORD}, format="json", **auth(token))
    assert client.get(EXPORT, **auth(token)).status_code == 200
    assert client.get(EXPORT).status_code == 401


def test_a_passkey_exports_its_name_and_dates_never_its_key(client, make_user, clock, settings):
    from tests.soft_authenticator import SoftAuthenticator

    settings.WEBAUTHN_RP_ID, settings.WEBAUTHN_ORIGINS = "localhost", ["http://localhost:8080"]
    make_user()
    token = login_token(client)
    key = SoftAuthenticator("http://localhost:8080")
    options = client.post(
        "/api/auth/mfa/webauthn/register/begin/", {"passwordless": True}, format="json", **auth(token)
    ).json()["options"]
    client.post(
        "/api/auth/mfa/webauthn/register/",
        {"name": "Laptop", "credential": key.register(options)},
        format="json",
        **auth(token),
    )
    data = client.get(EXPORT, **auth(token)).json()
    (credential,) = data["passkeys_and_security_keys"]
    assert credential["name"] == "Laptop" and credential["passwordless"] is True and credential["created_at"]
    assert "public_key" not in credential
