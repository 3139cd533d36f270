"""The OpenAPI schema describes the request bodies the API really accepts, no more and no less.

Each case is a body and whether it is well formed. The schema (validated with jsonschema) and
the API (a `validation_error` or `parse_error` means "not well formed"; a refusal of the content,
such as `invalid_credentials`, does not) must both agree with it. Found by an outside attack:
a DELETE body missing from the schema, a username the schema refused but the API took, and the
"email or username" and "link or code" rules and the password length that were prose only.
"""

from typing import Any

import pytest
from django.conf import settings
from drf_spectacular.generators import SchemaGenerator
from jsonschema import Draft202012Validator

from tests.conftest import PASSWORD, auth, login_token

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "ada@example.com"
SHORT = "x" * (settings.PASSWORD_MIN_LENGTH - 1)
LONG = "x" * (settings.PASSWORD_MAX_LENGTH + 1)
JUST_LONG_ENOUGH = "twelve words"[: settings.PASSWORD_MIN_LENGTH].ljust(settings.PASSWORD_MIN_LENGTH, "!")
# WebAuthn responses in their JSON form: well formed, but signed by nobody (`invalid_credential`).
ASSERTION = {
    "id": "AAAA",
    "rawId": "AAAA",
    "type": "public-key",
    "response": {"clientDataJSON": "e30", "authenticatorData": "AAAA", "signature": "AAAA", "userHandle": "AAAA"},
    "authenticatorAttachment": "platform",
    "clientExtensionResults": {},
}
ATTESTATION = {
    "id": "AAAA",
    "rawId": "AAAA",
    "type": "public-key",
    "response": {"clientDataJSON": "e30", "attestationObject": "oA", "transports": ["internal", "hybrid"]},
    "clientExtensionResults": {"credProps": {"rk": True}},
}


def with_response(credential, **changes):
    response = {key: value for key, value in {**credential["response"], **changes}.items() if value is not ...}
    return {**credential, "response": response}


def without(credential, key):
    return {k: v for k, v in credential.items() if k != key}


CASES: dict[tuple[str, str], list[tuple[Any, bool]]] = {
    ("post", "/api/auth/register/"): [
        ({"email": EMAIL, "password": PASSWORD}, True),
        ({"email": EMAIL, "password": PASSWORD, "username": "ada"}, True),
        ({"email": EMAIL, "password": PASSWORD, "username": None}, True),
        ({"email": EMAIL, "password": PASSWORD, "username": ""}, False),
        ({"email": EMAIL, "password": PASSWORD, "username": "a b"}, False),
        ({"email": EMAIL, "password": JUST_LONG_ENOUGH}, True),
        ({"email": EMAIL, "password": SHORT}, False),
        ({"email": EMAIL, "password": LONG}, False),
        ({"email": EMAIL}, False),
        ({"email": EMAIL, "password": PASSWORD + "\x00"}, False),  # DRF refuses NUL in every string
    ],
    ("post", "/api/auth/login/"): [
        ({"email": EMAIL, "password": PASSWORD}, True),
        ({"username": "ada", "password": PASSWORD}, True),
        ({"email": EMAIL, "password": "x"}, True),  # accounts older than the length rule can still log in
        ({"email": EMAIL, "username": "ada", "password": PASSWORD}, False),
        ({"email": EMAIL, "username": None, "password": PASSWORD}, False),
        ({"username": "", "password": PASSWORD}, False),
        ({"password": PASSWORD}, False),
        ({"email": EMAIL}, False),
        ({"email": "ada\x00@example.com", "password": PASSWORD}, False),
    ],
    ("post", "/api/auth/password/reset/verify/"): [
        ({"uid": "MQ", "token": "abc-def"}, True),
        ({"email": EMAIL, "code": "123456"}, True),
        ({"uid": "MQ", "token": "abc-def", "email": EMAIL}, False),
        ({"uid": "MQ", "token": "abc-def", "code": None}, False),
        ({"uid": "MQ", "email": EMAIL}, False),
        ({"uid": "MQ"}, False),
        ({"email": EMAIL, "code": "12345"}, False),
        ({"email": EMAIL, "code": "١٢٣٤٥٦"}, False),  # Arabic-Indic digits: not [0-9]
        ({"email": EMAIL, "code": 123456}, False),  # a number, not a string
        ({"email": "\x00", "code": "123456"}, False),
        ({}, False),
    ],
    ("post", "/api/auth/password/reset/confirm/"): [
        ({"uid": "MQ", "token": "abc-def", "new_password": PASSWORD}, True),
        ({"email": EMAIL, "code": "123456", "new_password": PASSWORD}, True),
        ({"uid": "MQ", "token": "abc-def", "code": "123456", "new_password": PASSWORD}, False),
        ({"uid": "MQ", "token": "abc-def", "new_password": SHORT}, False),
        ({"uid": "MQ", "token": "abc-def"}, False),
        ({"new_password": PASSWORD}, False),
    ],
    ("post", "/api/auth/password/change/"): [
        ({"current_password": "x", "new_password": PASSWORD + "!"}, True),
        ({"current_password": PASSWORD, "new_password": SHORT}, False),
        ({"current_password": PASSWORD, "new_password": LONG}, False),
    ],
    ("patch", "/api/auth/me/"): [
        ({"username": "countess"}, True),
        ({"username": None}, True),
        ({"username": ""}, True),  # clears the username, like null
        ({"username": "a b"}, False),
        ({"first_name": "Ada\x00"}, False),
        ({}, True),
    ],
    ("delete", "/api/auth/me/"): [
        ({"password": "not the password"}, True),
        ({"password": ""}, False),
        ({}, False),
    ],
    ("post", "/api/auth/login/mfa/"): [
        ({"challenge": "c" * 43, "code": "123456"}, True),
        ({"challenge": "c" * 43, "recovery_code": "ABCD-EFGH-IJKL"}, True),
        ({"challenge": "c" * 43, "recovery_code": "abcd efgh ijkl"}, True),
        ({"challenge": "c" * 43, "credential": ASSERTION}, True),
        ({"challenge": "c" * 43, "credential": ASSERTION, "code": "123456"}, False),
        ({"challenge": "c" * 43, "credential": ASSERTION, "recovery_code": "ABCD-EFGH-IJKL"}, False),
        ({"challenge": "c" * 43, "credential": None}, False),
        ({"challenge": "c" * 43, "credential": without(ASSERTION, "response")}, False),
        ({"challenge": "c" * 43, "code": "123456", "recovery_code": "ABCD-EFGH-IJKL"}, False),
        ({"challenge": "c" * 43}, False),
        ({"code": "123456"}, False),
        ({"challenge": "c" * 43, "code": "12345"}, False),
        ({"challenge": "c" * 43, "code": 123456}, False),
        ({"challenge": "c" * 43, "code": None}, False),
        ({"challenge": "c" * 129, "code": "123456"}, False),
    ],
    ("post", "/api/auth/mfa/totp/confirm/"): [
        ({"code": "123456"}, True),
        ({"code": "١٢٣٤٥٦"}, False),
        ({}, False),
    ],
    ("delete", "/api/auth/mfa/totp/"): [
        ({"code": "123456"}, True),
        ({"recovery_code": "ABCD-EFGH-IJKL"}, True),
        ({"code": "123456", "recovery_code": "ABCD-EFGH-IJKL"}, False),
        ({}, False),
        ({"code": "12345"}, False),
    ],
    ("post", "/api/auth/reauthenticate/"): [
        ({"password": "x"}, True),
        ({"code": "123456"}, True),
        ({"credential": ASSERTION}, True),
        ({"password": "x", "code": "123456"}, False),
        ({"password": "x", "credential": ASSERTION}, False),
        ({"code": "123456", "credential": ASSERTION}, False),
        ({"credential": {"id": "AAAA"}}, False),
        ({"password": ""}, False),
        ({"code": "1234567"}, False),
        ({}, False),
    ],
    ("post", "/api/auth/login/passkey/"): [
        ({"credential": ASSERTION}, True),
        ({"credential": with_response(ASSERTION, userHandle=None)}, True),
        ({"credential": with_response(ASSERTION, userHandle=...)}, True),
        ({"credential": without(without(ASSERTION, "authenticatorAttachment"), "clientExtensionResults")}, True),
        ({"credential": {**ASSERTION, "authenticatorAttachment": None}}, True),
        ({"credential": {**ASSERTION, "authenticatorAttachment": "usb"}}, False),
        ({"credential": {**ASSERTION, "type": "password"}}, False),
        ({"credential": {**ASSERTION, "id": "AA=="}}, False),  # padded: not the JSON form
        ({"credential": {**ASSERTION, "id": "A+/A"}}, False),  # base64, not base64url
        ({"credential": {**ASSERTION, "id": ""}}, False),
        ({"credential": {**ASSERTION, "id": "A" * 1367}}, False),
        ({"credential": {**ASSERTION, "rawId": 7}}, False),
        ({"credential": with_response(ASSERTION, signature=...)}, False),
        ({"credential": with_response(ASSERTION, clientDataJSON=["e30"])}, False),
        ({"credential": with_response(ASSERTION, userHandle="A" * 89)}, False),
        ({"credential": {**ASSERTION, "clientExtensionResults": []}}, False),
        ({"credential": without(ASSERTION, "type")}, False),
        ({"credential": "a string"}, False),
        ({}, False),
    ],
    ("post", "/api/auth/login/mfa/webauthn/begin/"): [
        ({"challenge": "c" * 43}, True),
        ({"challenge": "c" * 129}, False),
        ({"challenge": 43}, False),
        ({}, False),
    ],
    ("post", "/api/auth/mfa/webauthn/register/begin/"): [
        ({"passwordless": True}, True),
        ({"passwordless": False}, True),
        ({"passwordless": "true"}, False),
        ({"passwordless": 1}, False),
        ({"passwordless": None}, False),
        ({}, False),
    ],
    ("post", "/api/auth/mfa/webauthn/register/"): [
        ({"name": "Phone", "credential": ATTESTATION}, True),
        ({"name": "x" * 64, "credential": with_response(ATTESTATION, transports=...)}, True),
        ({"name": "Clé 🔑 de Zoë", "credential": {**ATTESTATION, "authenticatorAttachment": "cross-platform"}}, True),
        ({"name": "x" * 65, "credential": ATTESTATION}, False),
        ({"name": "", "credential": ATTESTATION}, False),
        ({"name": " Phone", "credential": ATTESTATION}, False),
        ({"name": "Ph\x07one", "credential": ATTESTATION}, False),
        ({"name": "Phone"}, False),
        ({"credential": ATTESTATION}, False),
        ({"name": "Phone", "credential": with_response(ATTESTATION, attestationObject=...)}, False),
        ({"name": "Phone", "credential": with_response(ATTESTATION, transports="usb")}, False),
        ({"name": "Phone", "credential": with_response(ATTESTATION, transports=[1])}, False),
        ({"name": "Phone", "credential": ASSERTION}, False),  # an assertion is not a registration
    ],
    ("post", "/api/auth/login/code/"): [
        ({"email": EMAIL}, True),
        ({"email": 7}, False),
        ({}, False),
    ],
    ("post", "/api/auth/login/code/confirm/"): [
        ({"email": EMAIL, "code": "ABCD-2345"}, True),
        ({"email": EMAIL, "code": "abcd2345"}, True),
        ({"email": EMAIL, "code": "ABCD_2345"}, False),
        ({"email": EMAIL, "code": "A" * 13}, False),
        ({"email": EMAIL}, False),
        ({"code": "ABCD2345"}, False),
    ],
}
AUTHENTICATED = {
    "/api/auth/mfa/webauthn/register/begin/",
    "/api/auth/mfa/webauthn/register/",
    "/api/auth/password/change/",
    "/api/auth/me/",
    "/api/auth/mfa/totp/confirm/",
    "/api/auth/mfa/totp/",
    "/api/auth/reauthenticate/",
}


def openapi_3_0_to_json_schema(node):
    """OpenAPI 3.0's `nullable` is not JSON Schema: turn it into a null type."""
    if isinstance(node, list):
        return [openapi_3_0_to_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: openapi_3_0_to_json_schema(value) for key, value in node.items() if key != "nullable"}
    if node.get("nullable") and "type" in node:
        converted["type"] = [node["type"], "null"]
    return converted


@pytest.fixture(scope="module")
def openapi():
    return SchemaGenerator().get_schema(request=None, public=True)


def body_validator(openapi, method, path):
    operation = openapi["paths"][path][method]
    assert "requestBody" in operation, f"{method.upper()} {path} documents no request body"
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    return Draft202012Validator(openapi_3_0_to_json_schema({**body, "components": openapi["components"]}))


def api_accepts(client, make_user, method, path, body):
    extra = {}
    if path in AUTHENTICATED:
        make_user(username="ada")
        extra = auth(login_token(client))
    response = getattr(client, method)(path, body, format="json", **extra)
    assert response.status_code < 500, response.content
    return not (response.status_code == 400 and response.json()["code"] in ("validation_error", "parse_error"))


@pytest.mark.parametrize(
    "method, path, body, well_formed",
    [(method, path, body, well_formed) for (method, path), cases in CASES.items() for body, well_formed in cases],
)
def test_the_schema_and_the_api_agree_on_what_is_well_formed(
    openapi, client, make_user, method, path, body, well_formed
):
    assert body_validator(openapi, method, path).is_valid(body) is well_formed, "schema"
    assert api_accepts(client, make_user, method, path, body) is well_formed, "API"


def test_delete_me_documents_its_required_password_body(openapi):
    body = openapi["paths"]["/api/auth/me/"]["delete"]["requestBody"]
    assert body["required"] is True
    assert body["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PasswordRequest"}
    assert openapi["components"]["schemas"]["PasswordRequest"]["required"] == ["password"]


def test_new_passwords_have_the_configured_length_limits_in_the_schema(openapi):
    schemas = openapi["components"]["schemas"]
    new_passwords = [
        schemas["RegisterRequest"]["properties"]["password"],
        schemas["PasswordChangeRequest"]["properties"]["new_password"],
    ]
    new_passwords += [
        schemas[ref["$ref"].rsplit("/", 1)[1]]["properties"]["new_password"]
        for ref in schemas["ResetConfirmRequest"]["oneOf"]
    ]
    for field in new_passwords:
        assert (field["minLength"], field["maxLength"]) == (settings.PASSWORD_MIN_LENGTH, settings.PASSWORD_MAX_LENGTH)
    # Existing passwords are only checked against the hash: any length up to the cap.
    current = schemas["PasswordChangeRequest"]["properties"]["current_password"]
    assert (current["minLength"], current["maxLength"]) == (1, settings.PASSWORD_MAX_LENGTH)


def test_a_too_short_password_keeps_the_password_rules_message(client):
    response = client.post("/api/auth/register/", {"email": EMAIL, "password": SHORT}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"]["password"] == [
        f"This password is too short. It must contain at least {settings.PASSWORD_MIN_LENGTH} characters."
    ]


def test_login_and_reset_name_their_two_request_shapes(openapi):
    schemas = openapi["components"]["schemas"]
    shapes = {
        name: [ref["$ref"].rsplit("/", 1)[1] for ref in schemas[name]["oneOf"]]
        for name in ("LoginRequest", "ResetVerifyRequest", "ResetConfirmRequest")
    }
    assert shapes == {
        "LoginRequest": ["EmailLoginRequest", "UsernameLoginRequest"],
        "ResetVerifyRequest": ["ResetLinkRequest", "ResetCodeRequest"],
        "ResetConfirmRequest": ["ResetConfirmLinkRequest", "ResetConfirmCodeRequest"],
    }
    for path in ("/api/auth/login/", "/api/auth/password/reset/verify/", "/api/auth/password/reset/confirm/"):
        assert openapi["paths"][path]["post"]["requestBody"]["required"] is True, path
    assert set(schemas["EmailLoginRequest"]["required"]) == {"email", "password"}
    assert set(schemas["ResetCodeRequest"]["required"]) == {"email", "code"}


def test_blank_username_in_a_profile_edit_clears_it(client, make_user):
    make_user(username="ada")
    response = client.patch("/api/auth/me/", {"username": ""}, format="json", **auth(login_token(client)))
    assert response.status_code == 200 and response.json()["username"] is None


@pytest.mark.parametrize(
    "body, well_formed",
    [
        ({"roles": ["member"]}, True),
        ({"roles": ["admin", "member"]}, True),
        ({"roles": []}, True),
        ({"is_active": False}, True),
        ({"roles": ["boss"]}, False),
        ({"roles": ["auditors"]}, False),  # a group made in the Django admin is not a role
        ({"roles": "admin"}, False),
        ({"roles": ["mem\x00ber"]}, False),
        ({"is_active": "yes"}, False),
    ],
)
def test_admin_user_edits_agree_with_the_schema(openapi, client, make_user, body, well_formed):
    # Found by the admin fuzz run: any string was a valid role name in the schema.
    from django.contrib.auth.models import Group, Permission

    Group.objects.get_or_create(name="member")
    Group.objects.get_or_create(name="auditors")
    role, _ = Group.objects.get_or_create(name="admin")
    role.permissions.set(
        Permission.objects.filter(content_type__app_label="accounts", codename__in=["view_user", "change_user"])
    )
    make_user(email="root@example.com").groups.add(role)
    target = make_user(email="bob@example.com")
    path = "/api/admin/users/{id}/"
    assert body_validator(openapi, "patch", path).is_valid(body) is well_formed, "schema"
    response = client.patch(
        path.format(id=target.pk), body, format="json", **auth(login_token(client, email="root@example.com"))
    )
    assert response.status_code < 500
    assert (response.status_code != 400) is well_formed, response.content
    # Answers list every group the user is in, roles or not: only requests are limited to roles.
    user_schema = openapi["components"]["schemas"]["AdminUser"]["properties"]["roles"]["items"]
    assert "enum" not in user_schema


@pytest.mark.parametrize(
    "body, well_formed",
    [
        ({"name": "Phone"}, True),
        ({"name": "a" * 64}, True),
        ({"name": "a" * 65}, False),
        ({"name": "Phone "}, False),
        ({"name": "Ph\u0085one"}, False),
        ({"name": None}, False),
        ({}, False),
    ],
)
def test_renaming_a_credential_agrees_with_the_schema(openapi, client, make_user, body, well_formed):
    from accounts.models import WebAuthnCredential

    user = make_user()
    token = login_token(client)
    credential = WebAuthnCredential.objects.create(user=user, credential_id=b"id", public_key=b"key", name="Old")
    path = "/api/auth/mfa/webauthn/{id}/"
    assert body_validator(openapi, "patch", path).is_valid(body) is well_formed, "schema"
    response = client.patch(path.format(id=credential.pk), body, format="json", **auth(token))
    assert response.status_code < 500
    assert (response.status_code == 200) is well_formed, response.content
