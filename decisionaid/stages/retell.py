"""A visit's answers as they read in another language: the clinic's, for the sheet.

Answers are stored by key, the same in every language, with a copy of the words the patient saw.
To show them in another language, each stage's form is built again from the topic in that
language, filled in with the saved values, and asked for its answers: the words come from the
same place as when the patient answered, so nothing is translated twice or by hand.
"""

from decisionaid.models import Answer
from decisionaid.stages import STAGES, Progress

WORDS = ("prompt", "display", "message", "sheet_note", "sheet_label")


def retold(answers, topic):
    """The answers (Answer rows) with their words as `topic` has them, unsaved. Values,
    outcomes and order stay as saved; an answer the topic no longer asks keeps its words."""
    answers = list(answers)
    progress = Progress(answers)
    words = {}
    for stage in STAGES:
        saved = progress.answers_for(stage.slug)
        if saved:
            words |= {(stage.slug, a.key): a for a in _stage_answers(stage, saved, topic)}
    return [_with_words(a, words.get((a.stage, a.key))) for a in answers]


def _stage_answers(stage, saved, topic):
    """The stage's answers, built again from `topic` with the saved values, screen by screen:
    what each screen records when first shown (Learn's "opened"), then what it saves."""
    content = stage.content(topic)
    data = stage.initial_from(saved)
    for screen in range(1, stage.screen_count(content) + 1):
        yield from stage(topic=topic, content=content, screen=screen).on_view()
        form = stage(data, topic=topic, content=content, screen=screen, saved=saved)
        if form.is_valid():
            yield from form.answers()


def _with_words(answer, built):
    if built is None:
        return answer
    copy = Answer(
        visit_id=answer.visit_id,
        stage=answer.stage,
        key=answer.key,
        order=answer.order,
        value=answer.value,
        outcome=answer.outcome,
        message_option=answer.message_option,
        points_toward=answer.points_toward,
        answered_at=answer.answered_at,
    )
    for name in WORDS:
        setattr(copy, name, str(getattr(built, name)))
    return copy
