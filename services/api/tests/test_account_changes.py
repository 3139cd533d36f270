import pytest
from django.contrib.auth.models import Group

from accounts.models import AuthToken, User
from tests.conftest import PASSWORD, auth, link_key, login_token, queued_payloads, relay_round

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ada(make_user):
    return make_user(username="ada")


def test_email_change_confirms_the_new_address_and_tells_the_old(client, ada):
    token = login_token(client)
    response = client.post(
        "/api/auth/email/change/",
        {"new_email": "Ada.New@Example.com", "password": PASSWORD},
        format="json",
        **auth(token),
    )
    assert response.status_code == 202
    sent = {p["kind"]: p for p in queued_payloads()}
    assert sent["confirm_email_change"]["to"] == "ada.new@example.com"
    assert sent["email_change_requested"]["to"] == "ada@example.com"
    assert User.objects.get().email == "ada@example.com"  # unchanged until confirmed
    key = link_key(sent["confirm_email_change"], "confirm-email")
    assert client.post("/api/auth/email/confirm/", {"key": key}, format="json").status_code == 200
    assert User.objects.get().email == "ada.new@example.com"
    assert queued_payloads()[-1]["kind"] == "email_changed" and queued_payloads()[-1]["to"] == "ada@example.com"
    assert client.post("/api/auth/email/confirm/", {"key": key}, format="json").status_code == 400


def test_email_change_needs_the_password(client, ada):
    response = client.post(
        "/api/auth/email/change/",
        {"new_email": "x@example.com", "password": "wrong one here"},
        format="json",
        **auth(login_token(client)),
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid_password"
    assert queued_payloads() == []


def test_email_change_to_a_taken_address_answers_the_same_and_sends_it_nothing(client, ada, make_user):
    make_user(email="bob@example.com")
    token = login_token(client)
    taken = client.post(
        "/api/auth/email/change/", {"new_email": "bob@example.com", "password": PASSWORD}, format="json", **auth(token)
    )
    free = client.post(
        "/api/auth/email/change/", {"new_email": "free@example.com", "password": PASSWORD}, format="json", **auth(token)
    )
    assert taken.status_code == free.status_code == 202 and taken.content == free.content
    assert "bob@example.com" not in [p["to"] for p in queued_payloads()]


def test_old_signup_key_cannot_undo_an_email_change(client, make_user):
    client.post("/api/auth/register/", {"email": "ada@example.com", "password": PASSWORD}, format="json")
    signup_key = link_key(queued_payloads()[0], "confirm-email")
    User.objects.update(email="moved@example.com")
    assert client.post("/api/auth/email/confirm/", {"key": signup_key}, format="json").status_code == 400
    assert User.objects.get().email == "moved@example.com"


def test_profile_edit(client, ada):
    token = login_token(client)
    response = client.patch(
        "/api/auth/me/",
        {"first_name": "Ada", "last_name": "Lovelace", "username": "countess"},
        format="json",
        **auth(token),
    )
    assert response.status_code == 200
    assert response.json()["first_name"] == "Ada" and response.json()["username"] == "countess"
    cleared = client.patch("/api/auth/me/", {"username": None}, format="json", **auth(token))
    assert cleared.json()["username"] is None


@pytest.mark.parametrize(
    "body, field",
    [({"username": "a b"}, "username"), ({"first_name": ["x"]}, "first_name"), ({"last_name": "x" * 151}, "last_name")],
)
def test_profile_bad_input(client, ada, body, field):
    response = client.patch("/api/auth/me/", body, format="json", **auth(login_token(client)))
    assert response.status_code == 400 and field in response.json()["fields"]


def test_profile_taken_username(client, ada, make_user):
    make_user(email="bob@example.com", username="bob")
    response = client.patch("/api/auth/me/", {"username": "BOB"}, format="json", **auth(login_token(client)))
    assert response.status_code == 400 and response.json()["fields"] == {"username": ["This username is taken."]}


def test_profile_ignores_fields_it_does_not_own(client, ada):
    token = login_token(client)
    client.patch(
        "/api/auth/me/",
        {"email": "evil@example.com", "is_staff": True, "email_confirmed": False},
        format="json",
        **auth(token),
    )
    user = User.objects.get()
    assert user.email == "ada@example.com" and not user.is_staff and user.email_confirmed


def test_delete_account_needs_the_password_and_says_goodbye(client, ada):
    token = login_token(client)
    wrong = client.delete("/api/auth/me/", {"password": "not the password!"}, format="json", **auth(token))
    assert wrong.status_code == 400 and wrong.json()["code"] == "invalid_password"
    assert client.delete("/api/auth/me/", {"password": PASSWORD}, format="json", **auth(token)).status_code == 204
    assert User.objects.count() == 0 and AuthToken.objects.count() == 0
    assert queued_payloads()[-1]["kind"] == "account_deleted"
    assert client.get("/api/auth/me/", **auth(token)).status_code == 401


def test_resend_is_identical_for_any_address_and_mails_only_unconfirmed(client, make_user):
    client.post("/api/auth/register/", {"email": "new@example.com", "password": PASSWORD}, format="json")
    make_user(email="done@example.com")
    first_key = link_key(queued_payloads()[0], "confirm-email")
    responses = [
        client.post("/api/auth/email/resend/", {"email": e}, format="json")
        for e in ("new@example.com", "done@example.com", "nobody@example.com")
    ]
    assert relay_round() == 3
    assert {r.status_code for r in responses} == {202}
    assert len({r.content for r in responses}) == 1
    assert [p["to"] for p in queued_payloads()] == ["new@example.com", "new@example.com"]
    # The newest link works; the old one was replaced.
    assert client.post("/api/auth/email/confirm/", {"key": first_key}, format="json").status_code == 400
    new_key = link_key(queued_payloads()[1], "confirm-email")
    assert client.post("/api/auth/email/confirm/", {"key": new_key}, format="json").status_code == 200


def test_admin_lists_searches_and_paginates(client, admin, make_user):
    for i in range(25):
        make_user(email=f"user{i}@example.com")
    token = login_token(client, email="root@example.com")
    page = client.get("/api/admin/users/", **auth(token)).json()
    assert page["count"] == 26 and len(page["results"]) == 20 and page["next"]
    found = client.get("/api/admin/users/?search=user12", **auth(token)).json()
    assert [u["email"] for u in found["results"]] == ["user12@example.com"]
    assert set(found["results"][0]) == {
        "id",
        "email",
        "username",
        "first_name",
        "last_name",
        "is_active",
        "email_confirmed",
        "date_joined",
        "last_login",
        "roles",
        "mfa_enabled",
    }
    assert found["results"][0]["mfa_enabled"] is False


def test_admin_deactivates_a_user_and_their_tokens_die_at_once(client, admin, ada):
    victim = login_token(client)
    token = login_token(client, email="root@example.com")
    response = client.patch(f"/api/admin/users/{ada.pk}/", {"is_active": False}, format="json", **auth(token))
    assert response.status_code == 200 and response.json()["is_active"] is False
    assert client.get("/api/auth/me/", **auth(victim)).status_code == 401
    assert AuthToken.objects.filter(user=ada).count() == 0


def test_admin_sets_roles(client, admin, ada):
    token = login_token(client, email="root@example.com")
    response = client.patch(f"/api/admin/users/{ada.pk}/", {"roles": ["admin", "member"]}, format="json", **auth(token))
    assert response.status_code == 200 and sorted(response.json()["roles"]) == ["admin", "member"]
    bad = client.patch(f"/api/admin/users/{ada.pk}/", {"roles": ["wizard"]}, format="json", **auth(token))
    assert bad.status_code == 400 and "roles" in bad.json()["fields"]


def test_setting_roles_leaves_the_groups_the_admin_api_does_not_assign(client, admin, ada):
    """A group made in the Django admin is not a role of this API: setting roles keeps it."""
    token = login_token(client, email="root@example.com")
    ada.groups.add(Group.objects.create(name="beta-testers"), Group.objects.get(name="admin"))
    response = client.patch(f"/api/admin/users/{ada.pk}/", {"roles": ["member"]}, format="json", **auth(token))
    assert response.status_code == 200 and sorted(response.json()["roles"]) == ["beta-testers", "member"]
    assert sorted(ada.groups.values_list("name", flat=True)) == ["beta-testers", "member"]


@pytest.mark.parametrize("roles", [{}, {"admin": True}, "admin", None, 1, [1], [None], ["mem\x00ber"], [["admin"]]])
def test_admin_roles_must_be_a_list(client, admin, ada, roles):
    token = login_token(client, email="root@example.com")
    ada.groups.add(Group.objects.get(name="member"))
    response = client.patch(f"/api/admin/users/{ada.pk}/", {"roles": roles}, format="json", **auth(token))
    assert response.status_code == 400 and "roles" in response.json()["fields"]
    assert list(ada.groups.values_list("name", flat=True)) == ["member"]


@pytest.mark.parametrize("query", ["?page=", "?page=abc", "?page=0", "?page=99", "?page=-1"])
def test_admin_list_refuses_invalid_pages(client, admin, query):
    token = login_token(client, email="root@example.com")
    response = client.get(f"/api/admin/users/{query}", **auth(token))
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_admin_search_with_hostile_characters_is_not_an_error(client, admin):
    token = login_token(client, email="root@example.com")
    for term in ["%", "_", "\\", "'; DROP TABLE accounts_user; --", "\u00e9", "a" * 500]:
        response = client.get("/api/admin/users/", {"search": term}, **auth(token))
        assert response.status_code == 200 and response.json()["count"] == 0, term
    response = client.get("/api/admin/users/", {"search": "a\x00b"}, **auth(token))
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


def test_admin_cannot_lock_themself_out(client, admin):
    token = login_token(client, email="root@example.com")
    me = f"/api/admin/users/{admin.pk}/"
    assert client.patch(me, {"is_active": False}, format="json", **auth(token)).status_code == 400
    assert client.patch(me, {"roles": ["member"]}, format="json", **auth(token)).status_code == 400
    assert client.patch(me, {"is_active": "false"}, format="json", **auth(token)).status_code == 400


def test_members_and_anonymous_cannot_use_the_admin_api(client, ada):
    token = login_token(client)
    assert client.get("/api/admin/users/", **auth(token)).json()["code"] == "permission_denied"
    assert (
        client.patch(f"/api/admin/users/{ada.pk}/", {"is_active": False}, format="json", **auth(token)).status_code
        == 403
    )
    assert client.get("/api/admin/users/").status_code == 401
    assert User.objects.get(pk=ada.pk).is_active


def test_promote_admin_command(ada):
    from django.core.management import call_command

    call_command("promote_admin", "ADA@example.com")
    user = User.objects.get(pk=ada.pk)
    # The role is the admin API's; the Django admin is for superusers only.
    assert "admin" in user.roles and not user.is_staff


@pytest.fixture
def email_change_rates(settings):
    settings.THROTTLE_RATES = {
        **settings.THROTTLE_RATES,
        "email_change_account": "3/h",
        "email_address": "2/h",
        "email_ip": "100/h",
    }


def request_change(client, token, new_email, **extra):
    return client.post(
        "/api/auth/email/change/", {"new_email": new_email, "password": PASSWORD}, format="json", **auth(token), **extra
    )


def test_email_change_is_limited_per_account(client, make_user, email_change_rates):
    make_user()
    token = login_token(client)
    codes = [request_change(client, token, f"outsider{i}@example.com").status_code for i in range(5)]
    assert codes == [202, 202, 202, 429, 429]
    confirmations = [p for p in queued_payloads() if p["kind"] == "confirm_email_change"]
    assert len(confirmations) == 3


def test_email_change_is_limited_per_new_address_across_accounts(client, make_user, email_change_rates):
    for name in ("ada", "bob", "cy"):
        make_user(email=f"{name}@example.com")
    codes = [
        request_change(client, login_token(client, email=f"{name}@example.com"), "victim@example.com").status_code
        for name in ("ada", "bob", "cy")
    ]
    assert codes == [202, 202, 429]
    assert [p["to"] for p in queued_payloads() if p["kind"] == "confirm_email_change"] == ["victim@example.com"] * 2


def test_email_change_is_limited_per_client_address(client, make_user, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "email_change_account": "100/h", "email_ip": "2/h"}
    make_user()
    make_user(email="bob@example.com")
    tokens = [login_token(client), login_token(client, email="bob@example.com")]
    codes = [
        request_change(client, tokens[i % 2], f"x{i}@example.com", REMOTE_ADDR="10.3.3.3").status_code for i in range(3)
    ]
    assert codes == [202, 202, 429]


def test_the_admin_role_cannot_change_a_superuser(client, admin, make_user):
    """Attack: an API admin deactivated a superuser (their token died, their login failed)."""
    superuser = User.objects.create_superuser(email="owner@example.com", password=PASSWORD)
    token = login_token(client, email="root@example.com")
    for body in ({"is_active": False}, {"roles": ["member"]}):
        response = client.patch(f"/api/admin/users/{superuser.pk}/", body, format="json", **auth(token))
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
    assert client.get(f"/api/admin/users/{superuser.pk}/", **auth(token)).status_code == 200
    superuser.refresh_from_db()
    assert superuser.is_active and login_token(client, email="owner@example.com")
    # A superuser with the role may manage superusers.
    superuser.groups.add(*User.objects.get(email="root@example.com").groups.all())
    owner = login_token(client, email="owner@example.com")
    other = User.objects.create_superuser(email="second@example.com", password=PASSWORD)
    assert (
        client.patch(f"/api/admin/users/{other.pk}/", {"is_active": False}, format="json", **auth(owner)).status_code
        == 200
    )
