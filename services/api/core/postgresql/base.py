"""Django's PostgreSQL backend, plus a cursor whose statements are prepared on the server.

Django's own cursors bind parameters on the client, so PostgreSQL parses and plans every query
again. `prepared_cursor()` gives a server-side binding cursor instead: psycopg prepares each of
its statements once per connection (OPTIONS["prepare_threshold"], set from
DATABASE_PREPARED_STATEMENTS in config/settings.py) and later runs skip parsing and planning.
Only the authentication query uses it (accounts/token_lookup.py); every other query keeps Django's
default. Without the setting (for PgBouncer in transaction mode before 1.21), it is an ordinary
server-side binding cursor and nothing is prepared.
"""

from django.db import DatabaseError
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

    def fetch_prepared(self, sql, params):
        """The rows of a read on the prepared cursor, standing in for the connection's health check.

        With CONN_HEALTH_CHECKS, Django pings a persistent connection (`SELECT 1`) before the first
        query of each request: a round trip on every authenticated request. When this read is the
        request's first statement, it is the check: if the connection died since the last request
        (a database restart), the read fails, the connection is closed, and the read runs again once
        on a new one, as it would have after a failed check. A read outside a transaction has
        changed nothing, so running it again is safe. A failure of a connection that still works is
        the query's own, and is raised.
        """
        checking = (
            self.health_check_enabled  # type: ignore[attr-defined]  # Django's, not in the stubs
            and not self.health_check_done  # type: ignore[has-type]
            and self.connection is not None
            and not self.in_atomic_block
        )
        if checking:
            self.health_check_done = True  # this read is the check: no SELECT 1 before it
            try:
                return self._fetch_prepared(sql, params)
            except DatabaseError:
                if self.is_usable():
                    raise
                self.close()  # dead since the last request: a new connection, as after a failed check
        return self._fetch_prepared(sql, params)

    def _fetch_prepared(self, sql, params):
        with self.prepared_cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def prepared_cursor(self):
        # What BaseDatabaseWrapper.cursor() does (health check, connection, error wrapping, the
        # debug wrapper that counts queries), with the other cursor class.
        self.close_if_health_check_failed()
        self.ensure_connection()
        with self.wrap_database_errors:
            return self._prepare_cursor(base.ServerBindingCursor(self.connection))  # type: ignore[attr-defined]
