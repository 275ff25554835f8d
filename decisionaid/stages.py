"""The patient journey: its stages in order, and where a visit stands in it."""

from dataclasses import dataclass

from django.urls import reverse

from decisionaid import forms


@dataclass(frozen=True)
class Stage:
    slug: str
    title: str
    form_class: type | None = None

    @property
    def number(self):
        return SLUGS.index(self.slug) + 1

    @property
    def url(self):
        if self.slug == "welcome":
            return reverse("journey:resume")
        return reverse("journey:stage", kwargs={"stage": self.slug})


STAGES = (
    Stage("welcome", "Welcome"),
    Stage("safety", "Safety check", forms.SafetyForm),
    Stage("history", "About you", forms.HistoryForm),
    Stage("learn", "Learn about your options", forms.LearnForm),
    Stage("understanding", "Check your understanding", forms.UnderstandingForm),
    Stage("values", "What matters most to you", forms.ValuesForm),
    Stage("leaning", "Where are you leaning?", forms.LeaningForm),
    Stage("questions", "Questions for your doctor", forms.QuestionsForm),
    Stage("review", "Check your answers"),
)
SLUGS = [s.slug for s in STAGES]
BY_SLUG = {s.slug: s for s in STAGES}
ANSWERED_STAGES = [s for s in STAGES if s.form_class is not None]


class Progress:
    """Which stages a visit has answered, worked out from its saved answers."""

    def __init__(self, answers):
        self.answers = {a.item: a for a in answers}
        self.done = {item.split(":", 1)[0] for item in self.answers}

    def first_open(self):
        """The first stage not yet answered (the review stage once all are)."""
        for stage in ANSWERED_STAGES:
            if stage.slug not in self.done:
                return stage
        return BY_SLUG["review"]

    def can_open(self, stage):
        """A stage may be opened once every stage before it is answered."""
        return stage.number <= self.first_open().number

    def is_complete(self):
        return all(s.slug in self.done for s in ANSWERED_STAGES)

    def for_stage(self, slug):
        return sorted((a for a in self.answers.values() if a.stage == slug), key=lambda a: a.order)

    def summary(self, slug):
        """(question, answer) pairs as a person would read them back."""
        answers = self.for_stage(slug)
        if slug == "safety":
            ticked = [(a.prompt, "Yes") for a in answers if a.value == "yes"]
            return ticked or [("Warning signs", "None of these")]
        if slug == "questions":
            rows = [("Question to ask", a.prompt) for a in answers if a.value == "yes"]
            own = self.answers.get("questions:own")
            return rows + [("Your own questions", own.display if own else "")]
        if slug == "learn":
            return [("Options", "You read about the options")] if answers else []
        return [(a.prompt, a.display) for a in answers]
