"""accounts/token_lookup.py, run on the database: the statement it writes returns the token, its
user and every role name whole.

The statement is built once per process, so a request only ever runs the first one built; these
tests run the text token_lookup_sql gives now.
"""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from knox.settings import CONSTANTS

from accounts.models import AuthToken, User
from accounts.token_lookup import ROLE_SEPARATOR, token_lookup_sql, tokens_with_key
from tests.conftest import auth, login_token

pytestmark = pytest.mark.django_db

ROLES = ["admin", "support staff"]  # Django's admin accepts group names with spaces


@pytest.fixture
def ada(make_user):
    user = make_user(username="ada")
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in ROLES])
    return user


def test_the_statement_returns_the_token_its_user_and_the_role_names(client, ada, make_user):
    make_user(email="bob@example.com").groups.set([Group.objects.get_or_create(name="member")[0]])
    token = login_token(client)
    login_token(client, email="bob@example.com")
    with connection.cursor() as cursor:
        cursor.execute(token_lookup_sql(connection), [token[: CONSTANTS.TOKEN_KEY_LENGTH]])
        (row,) = cursor.fetchall()
    token_fields = [field.attname for field in AuthToken._meta.concrete_fields]
    user_fields = [field.attname for field in User._meta.concrete_fields]
    assert len(row) == len(token_fields) + len(user_fields) + 1
    stored = AuthToken.objects.get(user=ada)
    token_values = dict(zip(token_fields, row[: len(token_fields)], strict=True))
    user_values = dict(zip(user_fields, row[len(token_fields) : -1], strict=True))
    assert token_values["digest"] == stored.digest and token_values["user_id"] == ada.pk
    assert user_values["id"] == ada.pk and user_values["email"] == "ada@example.com"
    assert sorted(row[-1].split(ROLE_SEPARATOR)) == ROLES


def test_role_names_come_back_whole(client, ada):
    token = login_token(client)
    assert client.get("/api/auth/me/", **auth(token)).json()["roles"] == ROLES


def test_the_user_is_loaded_like_the_orm_loads_it(client, ada):
    token = login_token(client)
    ((found, _),) = tokens_with_key(token[: CONSTANTS.TOKEN_KEY_LENGTH])
    orm_user = User.objects.get(pk=ada.pk)
    assert found.user._state.db == orm_user._state.db and not found.user._state.adding
