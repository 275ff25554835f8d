"""The patient journey: its stages in order, and where a visit stands in it.

Welcome is step 1 and "Check your answers" the last step; the stages between them are the
classes in STAGES, each in its own module. Everything else reads this list, so a new stage is
one class (see `base.Stage`), one template, and one line here.
"""

from collections import defaultdict

from django.urls import reverse
from django.utils.translation import gettext_lazy

from decisionaid.stages.base import FlagGroup, FlagItem, Stage

__all__ = ["STAGES", "FlagGroup", "FlagItem", "Progress", "Stage"]
from decisionaid.stages.history import HistoryStage
from decisionaid.stages.leaning import LeaningStage
from decisionaid.stages.learn import LearnStage
from decisionaid.stages.questions import QuestionsStage
from decisionaid.stages.safety import SafetyStage
from decisionaid.stages.understanding import UnderstandingStage
from decisionaid.stages.values import ValuesStage

STAGES = [
    SafetyStage,
    HistoryStage,
    LearnStage,
    UnderstandingStage,
    ValuesStage,
    LeaningStage,
    QuestionsStage,
]
REVIEW_TITLE = gettext_lazy("Check your answers")


def by_slug(slug):
    """The stage with this slug, or None."""
    return next((s for s in STAGES if s.slug == slug), None)


def total_steps():
    return len(STAGES) + 2


def step(stage):
    """The step number of a stage: Welcome is 1."""
    return STAGES.index(stage) + 2


def following_url(stage):
    """Where the journey goes after a stage: the next stage, or "Check your answers"."""
    position = STAGES.index(stage)
    if position + 1 < len(STAGES):
        return STAGES[position + 1].url()
    return reverse("journey:review")


def previous_url(stage, topic):
    position = STAGES.index(stage)
    if position:
        return STAGES[position - 1].url()
    return reverse("journey:welcome", kwargs={"slug": topic.slug})


class Progress:
    """Which stages a visit has answered, worked out from its saved answers."""

    def __init__(self, answers):
        self.by_stage = defaultdict(list)
        for answer in sorted(answers, key=lambda a: a.order):
            self.by_stage[answer.stage].append(answer)

    def answers_for(self, slug):
        return self.by_stage.get(slug, [])

    def is_done(self, stage):
        return stage.is_done(self.answers_for(stage.slug))

    def first_open(self):
        """The first stage not yet answered, or None once all are."""
        return next((s for s in STAGES if not self.is_done(s)), None)

    def first_open_url(self):
        stage = self.first_open()
        if stage is None:
            return reverse("journey:review")
        return stage.url(stage.resume_screen(self.answers_for(stage.slug)))

    def can_open(self, stage):
        """A stage may be opened once every stage before it is answered."""
        return all(self.is_done(s) for s in STAGES[: STAGES.index(stage)])

    def is_complete(self):
        return self.first_open() is None

    def summary(self, topic):
        """(stage, rows) for every stage, as "Check your answers" reads them back."""
        return [(s, s.summary(self.answers_for(s.slug), topic)) for s in STAGES]

    def flags(self, visit):
        """Every stage's sheet flags, the most urgent first."""
        groups = [g for s in STAGES for g in s.flags(self.answers_for(s.slug), visit)]
        return sorted(groups, key=lambda g: g.rank)
