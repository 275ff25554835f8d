"""Django's database sessions, with the read that every request makes done in one plain query.

The ORM's `Session.objects.get(...)` costs more to build and compile than the database takes to
answer it, and it runs on every page a patient or a member of staff opens (bench/RESULTS.md).
Everything else (saving, creating keys, flushing, clearing expired sessions) is Django's own.
"""

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


class SessionStore(db.SessionStore):
    def _get_session_from_db(self):
        """The unexpired session row for this key, or None (and forget the key), as Django's."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        quote = connection.ops.quote_name
        column = {f.name: quote(f.column) for f in model._meta.concrete_fields}
        sql = (
            f"SELECT {column['session_data']}, {column['expire_date']}"
            f" FROM {quote(model._meta.db_table)}"
            f" WHERE {column['session_key']} = %s AND {column['expire_date']} > %s"
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return None
        session_data, expire_date = row
        col = model._meta.get_field("expire_date").get_col(model._meta.db_table)
        for convert in connection.ops.get_db_converters(col):  # SQLite gives datetimes as text
            expire_date = convert(expire_date, col, connection)
        return model(
            session_key=self.session_key, session_data=session_data, expire_date=expire_date
        )
