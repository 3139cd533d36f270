"""accounts/token_lookup.py: the hand-written authentication query gives what the ORM would."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from knox.settings import CONSTANTS

from accounts.models import AuthToken, User
from accounts.token_lookup import token_lookup_sql, tokens_with_key
from tests.conftest import login_token

pytestmark = pytest.mark.django_db


def fields_of(instance):
    return {field.attname: getattr(instance, field.attname) for field in type(instance)._meta.concrete_fields}


def test_the_instances_are_the_ones_the_orm_loads(client, make_user):
    user = make_user(username="ada", first_name="Ada")
    user.groups.set([Group.objects.get_or_create(name=name)[0] for name in ("support", "admin")])
    token = login_token(client, HTTP_USER_AGENT="Firefox/1")
    with CaptureQueriesContext(connection) as queries:
        ((found, roles),) = tokens_with_key(token[: CONSTANTS.TOKEN_KEY_LENGTH])
        found_user = found.user  # no second query: the user came with the token
    assert len(queries.captured_queries) == 1
    stored = AuthToken.objects.get()
    assert fields_of(found) == fields_of(stored) and found.pk == stored.pk
    assert fields_of(found_user) == fields_of(User.objects.get(pk=user.pk))
    assert sorted(roles) == ["admin", "support"]
    # Loaded from the database like any ORM instance: saving updates, it does not insert.
    assert not found._state.adding and found._state.db == "default" and not found_user._state.adding
    found.user_agent = "changed"
    found.save(update_fields=["user_agent"])
    assert AuthToken.objects.get().user_agent == "changed" and AuthToken.objects.count() == 1


def test_a_user_without_roles_has_an_empty_list(client, make_user):
    make_user()
    token = login_token(client)
    ((_, roles),) = tokens_with_key(token[: CONSTANTS.TOKEN_KEY_LENGTH])
    assert roles == []


def test_every_token_sharing_the_key_is_returned(client, make_user):
    make_user()
    login_token(client)
    login_token(client)
    shared = AuthToken.objects.first().token_key
    AuthToken.objects.update(token_key=shared)  # a key collision: the digest tells them apart
    found = tokens_with_key(shared)
    assert sorted(token.digest for token, _ in found) == sorted(AuthToken.objects.values_list("digest", flat=True))


@pytest.mark.parametrize("key", ["", "no-such-key", "' OR '1'='1", "x'); DELETE FROM accounts_authtoken; --"])
def test_the_key_is_a_parameter_not_sql(client, make_user, key):
    make_user()
    login_token(client)
    assert tokens_with_key(key) == []
    assert AuthToken.objects.count() == 1


def test_the_statement_reads_every_column_of_both_models_by_their_names():
    sql = token_lookup_sql(connection)
    quote = connection.ops.quote_name
    for model in (AuthToken, User):
        table = quote(model._meta.db_table)
        for field in model._meta.concrete_fields:
            assert f"{table}.{quote(field.column)}" in sql
    assert sql.count("%s") == 1 and sql.endswith(f"{quote('accounts_authtoken')}.{quote('token_key')} = %s")
