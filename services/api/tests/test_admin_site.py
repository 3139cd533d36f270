"""The Django admin: superusers only, its login on the API's password-check budget, and a user
without a username can be saved."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from accounts.models import User
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


def admin_login(client, email, password=PASSWORD, otp_code=None, **extra):
    client.get("/admin/login/")
    form = {"username": email, "password": password, **({"otp_code": otp_code} if otp_code else {})}
    return client.post("/admin/login/?next=/admin/", form, **extra)


@pytest.fixture
def role_admin(make_user):
    """What promote_admin made before: the admin role and is_staff."""
    user = make_user(email="role@example.com", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name="admin")[0])
    return user


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser(email="root@example.com", password=PASSWORD)


def test_the_admin_role_does_not_reach_the_django_admin(role_admin, make_user):
    client = Client()
    response = admin_login(client, "role@example.com")
    assert response.status_code == 200 and "sessionid" not in response.cookies
    victim = make_user(email="victim@example.com")
    client.force_login(role_admin)  # even with a session it had before
    for path in (
        "/admin/",
        f"/admin/accounts/user/{role_admin.pk}/change/",
        f"/admin/accounts/user/{victim.pk}/password/",
    ):
        assert client.get(path).status_code == 302, path
    response = client.post(
        f"/admin/accounts/user/{role_admin.pk}/change/",
        {"email": "role@example.com", "is_superuser": "on", "is_staff": "on"},
    )
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")
    response = client.post(
        f"/admin/accounts/user/{victim.pk}/password/",
        {"password1": "taken over passphrase", "password2": "taken over passphrase"},
    )
    assert response.status_code == 302
    role_admin.refresh_from_db()
    victim.refresh_from_db()
    assert not role_admin.is_superuser and victim.check_password(PASSWORD)


def test_a_superuser_logs_in_to_the_django_admin(superuser):
    client = Client()
    response = admin_login(client, "ROOT@example.com")
    assert response.status_code == 302 and client.get("/admin/").status_code == 200


def test_admin_login_spends_the_accounts_login_budget(superuser, settings, client):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "3/15m", "login_ip": "1000/m"}
    browser = Client()
    for i in range(2):
        assert "sessionid" not in admin_login(browser, "root@example.com", f"wrong guess {i}").cookies
    assert (
        client.post(
            "/api/auth/login/", {"email": "root@example.com", "password": "wrong again!!"}, format="json"
        ).status_code
        == 400
    )
    response = admin_login(browser, "root@example.com")
    assert response.status_code == 200 and "Too many attempts" in response.content.decode()
    assert "sessionid" not in response.cookies


def test_admin_login_is_limited_per_client_address(superuser, make_user, settings):
    settings.THROTTLE_RATES = {**settings.THROTTLE_RATES, "login_account": "100/15m", "login_ip": "3/10m"}
    browser = Client(REMOTE_ADDR="10.7.7.7")
    for i in range(3):
        admin_login(browser, f"someone{i}@example.com", "a wrong guess")
    assert "Too many attempts" in admin_login(browser, "root@example.com").content.decode()


def test_a_user_without_a_username_can_be_saved_in_the_admin(superuser, make_user):
    user = make_user(email="plain@example.com", username="plain")
    client = Client()
    client.force_login(superuser)
    form = {
        "email": "plain@example.com",
        "username": "",
        "first_name": "",
        "last_name": "",
        "is_active": "on",
        "email_confirmed": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2026-01-01",
        "date_joined_1": "00:00:00",
    }
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    user.refresh_from_db()
    assert user.username is None
    # A second account without a username is fine too (NULL is not a duplicate).
    other = make_user(email="other@example.com")
    response = client.post(f"/admin/accounts/user/{other.pk}/change/", {**form, "email": "other@example.com"})
    assert response.status_code == 302
    User.objects.filter(pk=superuser.pk).update(username="root")
    taken = client.post(
        f"/admin/accounts/user/{other.pk}/change/", {**form, "email": "other@example.com", "username": "ROOT"}
    )
    assert taken.status_code == 200 and "This username is taken." in taken.content.decode()


def test_a_superuser_adds_a_user_without_a_username(superuser):
    client = Client()
    client.force_login(superuser)
    for email in ("new@example.com", "other@example.com"):  # two without a username: no conflict
        response = client.post(
            "/admin/accounts/user/add/",
            {
                "email": email,
                "password1": "a fine passphrase x",
                "password2": "a fine passphrase x",
                "usable_password": "true",
            },
        )
        assert response.status_code == 302
    assert list(User.objects.filter(username=None).values_list("email", flat=True).order_by("id")) == [
        "root@example.com",
        "new@example.com",
        "other@example.com",
    ]


@pytest.mark.parametrize("email", ['"quoted"@example.com', "ada@[127.0.0.1]", "ada@localhost"])
def test_the_admin_refuses_addresses_the_mailer_would_refuse(superuser, email):
    client = Client()
    client.force_login(superuser)
    response = client.post(
        "/admin/accounts/user/add/",
        {
            "email": email,
            "password1": "a fine passphrase x",
            "password2": "a fine passphrase x",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200 and not User.objects.filter(email=email.lower()).exists()


def test_a_superuser_with_an_authenticator_app_needs_its_code(superuser):
    import pyotp

    from accounts import secret_box
    from accounts.models import TOTPDevice

    secret = pyotp.random_base32()
    TOTPDevice.objects.create(
        user=superuser, encrypted_secret=secret_box.encrypt(secret), confirmed_at=superuser.date_joined
    )
    password_only = admin_login(Client(), "root@example.com")
    assert password_only.status_code == 200 and "sessionid" not in password_only.cookies
    assert "Enter the current code from your authenticator app." in password_only.content.decode()
    wrong = admin_login(
        Client(), "root@example.com", otp_code=str((int(pyotp.TOTP(secret).now()) + 1) % 10**6).zfill(6)
    )
    assert "sessionid" not in wrong.cookies
    code = pyotp.TOTP(secret).now()
    client = Client()
    client.get("/admin/login/")
    right = client.post(
        "/admin/login/?next=/admin/", {"username": "root@example.com", "password": PASSWORD, "otp_code": code}
    )
    assert right.status_code == 302 and "sessionid" in right.cookies
    replayed = Client()
    replayed.get("/admin/login/")
    again = replayed.post(
        "/admin/login/?next=/admin/", {"username": "root@example.com", "password": PASSWORD, "otp_code": code}
    )
    assert again.status_code == 200 and "sessionid" not in again.cookies  # a code works once


def test_a_django_admin_sign_in_and_a_wrong_password_are_in_the_log(superuser):
    from accounts import security_log
    from accounts.models import SecurityEvent

    client = Client()
    assert admin_login(client, "root@example.com", HTTP_USER_AGENT="Mozilla/5.0 Firefox/133.0").status_code == 302
    event = SecurityEvent.objects.get(user=superuser, kind="signed_in")
    assert event.details == {"method": "password", "second_factor": "", "new_device": False, "site": "django_admin"}
    admin_login(Client(), "root@example.com", password="wrong")
    admin_login(Client(), "nobody@example.com", password="wrong")
    security_log.count_sign_in_failures()
    assert SecurityEvent.objects.get(user=superuser, kind="sign_in_failed").count == 1


def test_this_wasnt_me_blocks_the_django_admins_password_too(superuser):
    """The block is on the password, wherever it is typed: not only the API's login."""
    User.objects.filter(pk=superuser.pk).update(password_login_blocked_at="2027-01-01T00:00:00Z")
    client = Client()
    response = admin_login(client, "root@example.com")
    assert response.status_code == 200 and b"blocked until you reset it" in response.content
    assert client.get("/admin/").status_code == 302  # still the login page
