from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid.stages.base import AnswerData, FlagItem, Outcome, Stage, flag_group, radio
from topics.models import NOT_SURE

CHOICES = (
    ("true", gettext_lazy("True")),
    ("false", gettext_lazy("False")),
    (NOT_SURE, gettext_lazy("Not sure")),
)


class UnderstandingStage(Stage):
    """True, false or not sure, for a few statements; each answer gets feedback next."""

    slug = "understanding"
    title = gettext_lazy("Check your understanding")
    template = "decisionaid/stage_understanding.html"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.statements = content["knowledge"]
        for k in self.statements:
            self.fields[k.key] = radio(k.statement, CHOICES)

    @classmethod
    def content(cls, topic):
        return {"knowledge": list(topic.knowledge.all())}

    def answers(self):
        labels = dict(CHOICES)
        rows = []
        for k in self.statements:
            value = self.cleaned_data[k.key]
            if value == NOT_SURE:
                outcome = Outcome.UNSURE
            elif (value == "true") == k.answer:
                outcome = Outcome.CORRECT
            else:
                outcome = Outcome.WRONG
            rows.append(
                AnswerData(
                    key=k.key,
                    prompt=k.statement,
                    value=value,
                    display=str(labels[value]),
                    outcome=outcome,
                    message=k.explanation,
                    sheet_note=_("True") if k.answer else _("False"),
                )
            )
        return rows

    def next_url(self, answers, following):
        return reverse("journey:feedback")

    @classmethod
    def flags(cls, answers, visit):
        wrong = [
            FlagItem(
                a.prompt,
                _("Said: %(said)s. It is %(truth)s.")
                % {"said": a.display, "truth": a.sheet_note.lower()},
            )
            for a in answers
            if a.outcome == Outcome.WRONG
        ]
        unsure = [
            FlagItem(a.prompt, _("It is %(truth)s.") % {"truth": a.sheet_note.lower()})
            for a in answers
            if a.outcome == Outcome.UNSURE
        ]
        return [
            *flag_group(2, "knowledge", _("Misunderstood"), "✗", wrong, _("Answered wrongly:")),
            *flag_group(3, "unsure", _("Not sure about"), "?", unsure),
        ]
