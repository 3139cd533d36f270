"""The one query of an authenticated request: the tokens with a key, their user, the user's roles.

The statement is written once per database (from the models' own table and column names) instead
of being built and compiled as an ORM queryset on every request: compiling that queryset cost
more than running it (about 0.5 ms against 0.2 ms per request on PostgreSQL). On PostgreSQL it also
runs on the backend's prepared cursor (core/postgresql/base.py), so the server parses and plans it
once per connection, not once per request. Rows become model instances with Model.from_db, the
way the ORM makes them, after the backend's value converters.
"""

from dataclasses import dataclass
from functools import cache

from django.contrib.auth.models import Group
from django.db import connections, router
from django.db.models import Field, Model

from accounts.models import AuthToken, User

# Role names never contain it (the admin API takes slugs); it joins them in one column.
ROLE_SEPARATOR = "\x1f"
ROLE_AGGREGATE = {"postgresql": "STRING_AGG({}, chr(31))", "sqlite": "GROUP_CONCAT({}, char(31))"}


@dataclass(frozen=True)
class Statement:
    sql: str
    token_columns: int
    user_columns: int
    converters: tuple  # (column index, its expression, the converter functions)


def token_lookup_sql(connection):
    """SELECT every token column, every user column, and the role names, WHERE token_key = %s."""
    quote = connection.ops.quote_name
    token, user, group = AuthToken._meta, User._meta, Group._meta
    groups = User.groups.field  # the many-to-many field, typed
    through = quote(User.groups.through._meta.db_table)
    user_column = f"{through}.{quote(groups.m2m_column_name())}"
    group_column = f"{through}.{quote(groups.m2m_reverse_name())}"
    group_table = quote(group.db_table)
    token_table, user_table = quote(token.db_table), quote(user.db_table)
    token_user = f"{token_table}.{quote(token.get_field('user').column)}"
    aggregate = ROLE_AGGREGATE[connection.vendor].format(f"{group_table}.{quote(group.get_field('name').column)}")
    # Only names from the models' metadata, quoted by the backend, go into the text; the token key
    # is the one parameter.
    role_names = " ".join(
        (
            f"(SELECT {aggregate} FROM {group_table}",  # noqa: S608  # nosec B608
            f"INNER JOIN {through} ON {group_table}.{quote(group.pk.column)} = {group_column}",
            f"WHERE {user_column} = {token_user})",
        )
    )
    columns = [f"{token_table}.{quote(field.column)}" for field in token.concrete_fields]
    columns += [f"{user_table}.{quote(field.column)}" for field in user.concrete_fields]
    return " ".join(
        (
            "SELECT",
            ", ".join([*columns, role_names]),
            f"FROM {token_table} INNER JOIN {user_table} ON {token_user} = {user_table}.{quote(user.pk.column)}",
            f"WHERE {token_table}.{quote(token.get_field('token_key').column)} = %s",
        )
    )


@cache
def statement(alias, vendor):
    connection = connections[alias]
    fields: list[tuple[type[Model], Field]] = [(AuthToken, field) for field in AuthToken._meta.concrete_fields]
    fields += [(User, field) for field in User._meta.concrete_fields]
    converters = []
    for index, (model, field) in enumerate(fields):
        expression = field.get_col(model._meta.db_table)
        functions = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        if functions:
            converters.append((index, expression, tuple(functions)))
    return Statement(
        token_lookup_sql(connection),
        len(AuthToken._meta.concrete_fields),
        len(User._meta.concrete_fields),
        tuple(converters),
    )


def tokens_with_key(token_key):
    """[(AuthToken with its .user, the user's role names)] for every token with this key."""
    alias = router.db_for_read(AuthToken)
    connection = connections[alias]
    query = statement(alias, connection.vendor)
    fetch = getattr(connection, "fetch_prepared", None)  # PostgreSQL: core/postgresql/base.py
    if fetch is not None:
        rows = fetch(query.sql, [token_key])
    else:
        with connection.cursor() as cursor:
            cursor.execute(query.sql, [token_key])
            rows = cursor.fetchall()
    found = []
    for row in rows:
        values = list(row)
        for index, expression, functions in query.converters:
            for function in functions:
                values[index] = function(values[index], expression, connection)
        # field_names=None: the values are every concrete field, in order (Django accepts it).
        token = AuthToken.from_db(alias, None, values[: query.token_columns])
        user = User.from_db(
            alias,
            None,  # type: ignore[arg-type]
            values[query.token_columns : query.token_columns + query.user_columns],
        )
        AuthToken.user.field.set_cached_value(token, user)  # token.user without another query
        names = values[-1]
        found.append((token, names.split(ROLE_SEPARATOR) if names else []))
    return found
