"""Django's database sessions, with the read that every request makes done in one plain query.

The ORM's `Session.objects.get(...)` costs more to build and compile than the database takes to
answer it, and it runs on every page a patient or a member of staff opens (bench/RESULTS.md).
Everything else (saving, creating keys, flushing, clearing expired sessions) is Django's own.
"""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone

from decisionaid.rawread import Columns


@cache
def _query(model, alias):
    """The row's columns and the SELECT of an unexpired session by key, for this database."""
    quote = connections[alias].ops.quote_name
    columns = Columns(model, alias, "s")
    column = {f.name: f"s.{quote(f.column)}" for f in model._meta.concrete_fields}
    sql = (
        f"SELECT {columns.sql} FROM {quote(model._meta.db_table)} s"
        f" WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
    )
    return columns, sql


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The unexpired session row for this key, or None (and forget the key), as Django's."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        columns, sql = _query(self.model, alias)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        return columns.builder()(row)
