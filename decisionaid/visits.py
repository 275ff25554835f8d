"""Reading one visit for a patient page: the visit, its topic and its answers.

Every patient page needs all three. Built through the ORM, the two querysets (the visit joined to
its topic, then its answers) cost more to construct, compile and turn into objects than the
database took to answer them: about a third of a journey page's server time (bench/RESULTS.md).
This reads the same rows with two plain SQL queries and builds the same model instances with
`Model.from_db`, as the ORM does. The column lists come from the models, so a new field is read
here with no change. tests/test_visits.py checks the result against the ORM's.
"""

from functools import cache

from django.db import connections, router

from decisionaid.models import Answer, Visit
from topics.models import Topic


class _Select:
    """One SELECT of a model's concrete columns, and which of them need the ORM's converters.

    Converters turn what the driver returns into what the field holds (SQLite, for one, returns
    datetimes as text). Which columns need them depends only on the database, so that is worked
    out once; the converters themselves are bound to a connection (one per thread), so they are
    looked up on the connection in use, once per read.
    """

    def __init__(self, connection, fields, alias):
        self.names = [f.attname for f in fields]
        self.columns = [f"{alias}.{connection.ops.quote_name(f.column)}" for f in fields]
        self.convertible = []
        for position, field in enumerate(fields):
            col = field.get_col(alias)
            if connection.ops.get_db_converters(col) + col.get_db_converters(connection):
                self.convertible.append((position, col))

    def reader(self, connection):
        """A function from one fetched row to the field values, for this connection."""
        ops = connection.ops
        converters = [
            (position, col, ops.get_db_converters(col) + col.get_db_converters(connection))
            for position, col in self.convertible
        ]
        if not converters:
            return tuple

        def read(row):
            row = list(row)
            for position, col, functions in converters:
                for function in functions:
                    row[position] = function(row[position], col, connection)
            return row

        return read


class _Queries:
    def __init__(self, connection):
        quote = connection.ops.quote_name
        self.visit = _Select(connection, Visit._meta.concrete_fields, "v")
        self.topic = _Select(connection, Topic._meta.concrete_fields, "t")
        self.answer = _Select(connection, Answer._meta.concrete_fields, "a")
        self.visit_sql = (
            f"SELECT {', '.join(self.visit.columns + self.topic.columns)}"
            f" FROM {quote(Visit._meta.db_table)} v"
            f" INNER JOIN {quote(Topic._meta.db_table)} t"
            f" ON t.{quote(Topic._meta.pk.column)} = v.{quote(Visit.topic.field.column)}"
            f" WHERE v.{quote(Visit._meta.pk.column)} = %s"
        )
        self.answers_sql = (
            f"SELECT {', '.join(self.answer.columns)} FROM {quote(Answer._meta.db_table)} a"
            f" WHERE a.{quote(Answer.visit.field.column)} = %s"
            f" ORDER BY a.{quote(Answer._meta.get_field('order').column)}"
        )


@cache
def _queries(alias):
    return _Queries(connections[alias])


def visit_with_answers(visit_id):
    """(visit, answers) for the visit with this id, or (None, []) if there is none.

    `visit.topic` is loaded, and each answer's `visit` is this visit, so reading either never
    queries again. Answers are in their stage's order.
    """
    alias = router.db_for_read(Visit)
    connection = connections[alias]
    queries = _queries(alias)
    with connection.cursor() as cursor:
        cursor.execute(queries.visit_sql, [visit_id])
        row = cursor.fetchone()
        if row is None:
            return None, []
        cursor.execute(queries.answers_sql, [visit_id])
        rows = cursor.fetchall()
    split = len(queries.visit.names)
    visit = Visit.from_db(alias, queries.visit.names, queries.visit.reader(connection)(row[:split]))
    visit.topic = Topic.from_db(
        alias, queries.topic.names, queries.topic.reader(connection)(row[split:])
    )
    read_answer = queries.answer.reader(connection)
    answers = []
    for answer_row in rows:
        answer = Answer.from_db(alias, queries.answer.names, read_answer(answer_row))
        answer.visit = visit
        answers.append(answer)
    return visit, answers
