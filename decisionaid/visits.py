"""Reading one visit for a patient page: the visit, its topic and its answers.

Every patient page needs all three. Built through the ORM, the two querysets (the visit joined to
its topic, then its answers) cost more to construct, compile and turn into objects than the
database took to answer them: about a third of a journey page's server time (bench/RESULTS.md).
This reads the same rows with two plain SQL queries and builds the same model instances
(decisionaid/rawread.py). The column lists come from the models, so a new field is read here with
no change. tests/test_visits.py checks the result against the ORM's.
"""

from functools import cache

from django.db import connections, router

from decisionaid.models import Answer, Visit
from decisionaid.rawread import Columns
from topics.models import Topic


class _Queries:
    def __init__(self, alias):
        quote = connections[alias].ops.quote_name
        self.visit = Columns(Visit, alias, "v")
        self.topic = Columns(Topic, alias, "t")
        self.answer = Columns(Answer, alias, "a")
        self.visit_sql = (
            f"SELECT {self.visit.sql}, {self.topic.sql}"
            f" FROM {quote(Visit._meta.db_table)} v"
            f" INNER JOIN {quote(Topic._meta.db_table)} t"
            f" ON t.{quote(Topic._meta.pk.column)} = v.{quote(Visit.topic.field.column)}"
            f" WHERE v.{quote(Visit._meta.pk.column)} = %s"
        )
        self.answers_sql = (
            f"SELECT {self.answer.sql} FROM {quote(Answer._meta.db_table)} a"
            f" WHERE a.{quote(Answer.visit.field.column)} = %s"
            f" ORDER BY a.{quote(Answer._meta.get_field('order').column)}"
        )


@cache
def _queries(alias):
    return _Queries(alias)


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
    split = len(queries.visit)
    visit = queries.visit.builder()(row[:split])
    visit.topic = queries.topic.builder()(row[split:])
    build_answer = queries.answer.builder()
    answers = []
    for answer_row in rows:
        answer = build_answer(answer_row)
        answer.visit = visit
        answers.append(answer)
    return visit, answers
