"""Django's PostgreSQL backend, plus a cursor whose statements are prepared on the server.

Django's own cursors bind parameters on the client, so PostgreSQL parses and plans every query
again. `prepared_cursor()` gives a server-side binding cursor instead: psycopg prepares each of
its statements once per connection (OPTIONS["prepare_threshold"], set from
DATABASE_PREPARED_STATEMENTS in config/settings.py) and later runs skip parsing and planning.
Only the authentication query uses it (accounts/token_lookup.py); every other query keeps Django's
default. Without the setting (for PgBouncer in transaction mode before 1.21), it is an ordinary
server-side binding cursor and nothing is prepared.
"""

from django.db.backends.postgresql import base, operations
from psycopg.errors import DataError


class DatabaseOperations(operations.DatabaseOperations):
    def last_executed_query(self, cursor, sql, params):
        # The SQL that query logging and CaptureQueriesContext show: Django's own cursors know it;
        # for a server-side binding cursor it is composed here, as Django does when every cursor
        # binds on the server.
        if isinstance(cursor, base.ServerBindingCursor):  # type: ignore[attr-defined]  # psycopg 3 only
            try:
                return self.compose_sql(sql, params)
            except DataError:
                return None
        return super().last_executed_query(cursor, sql, params)


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations

    def prepared_cursor(self):
        # What BaseDatabaseWrapper.cursor() does (health check, connection, error wrapping, the
        # debug wrapper that counts queries), with the other cursor class.
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(base.ServerBindingCursor(self.connection))  # type: ignore[attr-defined]
