"""Reading a visit for a patient page gives exactly what the ORM would, in two queries."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from decisionaid.models import Answer, Visit
from decisionaid.visits import visit_with_answers
from topics.models import Topic


def _values(instance):
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_the_visit_its_topic_and_its_answers_match_the_orms(journey):
    visit = journey.through("leaning")
    Visit.objects.filter(pk=visit.pk).update(readiness_score=3)

    with CaptureQueriesContext(connection) as queries:
        loaded, answers = visit_with_answers(visit.pk)
        assert loaded.topic.slug  # already loaded: no query
        assert all(a.visit is loaded for a in answers)  # likewise
    assert len(queries) == 2

    assert _values(loaded) == _values(Visit.objects.get(pk=visit.pk))
    assert _values(loaded.topic) == _values(Topic.objects.get(pk=visit.topic_id))
    expected = Answer.objects.filter(visit=visit).order_by("order", "id")
    assert [a.item for a in answers] != []
    assert {a.item: _values(a) for a in answers} == {a.item: _values(a) for a in expected}
    assert loaded.started_at.tzinfo is not None  # aware, as the ORM gives on every database
    assert loaded.is_expired is False and loaded.expires_at > timezone.now()


def test_answers_come_in_their_stage_order(journey):
    visit = journey.through("history")
    _, answers = visit_with_answers(visit.pk)
    history = [a for a in answers if a.stage == "history"]
    assert [a.order for a in history] == sorted(a.order for a in history)
    assert [a.item for a in history][:2] == ["history:pain-duration", "history:tried-exercise"]


def test_a_visit_with_no_answers_yet_and_a_missing_visit(journey):
    visit = journey.start()
    loaded, answers = visit_with_answers(visit.pk)
    assert loaded.pk == visit.pk and loaded.code == visit.code
    assert answers == []
    assert visit_with_answers(visit.pk + 1000) == (None, [])
