from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid.stages.base import AnswerData, FlagItem, Outcome, Stage, flag_group, radio
from topics.models import NOT_SURE

# The readiness check, in our own words (not the licensed Ottawa SURE wording). It covers
# certainty, knowing the options, knowing what matters to you, and support.
READINESS = (
    ("settled", gettext_lazy("I feel settled about which option is right for me.")),
    ("understand", gettext_lazy("I understand the good points and the downsides of each option.")),
    (
        "priorities",
        gettext_lazy("I know which of those good points and downsides matter most to me."),
    ),
    ("support", gettext_lazy("I have the help and advice I need to choose.")),
)
READINESS_CHOICES = (("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No, or not sure")))
NOT_SURE_YET = gettext_lazy("I'm not sure yet")


class LeaningStage(Stage):
    """The option the patient leans toward (or not sure yet), and the readiness check."""

    slug = "leaning"
    title = gettext_lazy("Where are you leaning?")
    template = "decisionaid/stage_leaning.html"
    visit_fields = ("readiness_score",)

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.options = content["options"]
        self.fields["choice"] = radio(
            _("Which option are you leaning toward right now?"),
            [(o.key, o.title) for o in self.options] + [(NOT_SURE, NOT_SURE_YET)],
            _("You can change your mind later. This helps your doctor know where to start."),
        )
        for key, text in READINESS:
            self.fields[f"ready-{key}"] = radio(text, READINESS_CHOICES)

    @classmethod
    def content(cls, topic):
        return {"options": list(topic.options.all())}

    def readiness_fields(self):
        return [self[f"ready-{key}"] for key, _text in READINESS]

    def answers(self):
        titles = {o.key: o.title for o in self.options} | {NOT_SURE: NOT_SURE_YET}
        choice = self.cleaned_data["choice"]
        rows = [
            AnswerData(
                key="choice",
                prompt=str(self.fields["choice"].label),
                value=choice,
                display=str(titles[choice]),
                outcome=Outcome.UNSURE if choice == NOT_SURE else Outcome.NONE,
            )
        ]
        labels = dict(READINESS_CHOICES)
        for key, text in READINESS:
            value = self.cleaned_data[f"ready-{key}"]
            rows.append(
                AnswerData(
                    key=f"ready-{key}", prompt=str(text), value=value, display=str(labels[value])
                )
            )
        return rows

    def visit_updates(self):
        score = sum(self.cleaned_data[f"ready-{key}"] == "yes" for key, _text in READINESS)
        return {"readiness_score": score}

    @staticmethod
    def choice(answers):
        """The saved "leaning toward" answer, or None."""
        return next((a for a in answers if a.key == "choice"), None)

    @classmethod
    def flags(cls, answers, visit):
        score = visit.readiness_score
        groups = []
        if score is not None and score < len(READINESS):
            not_ready = [
                FlagItem(a.prompt)
                for a in answers
                if a.key.startswith("ready-") and a.value != "yes"
            ]
            label = _("Readiness %(score)d of %(count)d") % {
                "score": score,
                "count": len(READINESS),
            }
            groups += flag_group(4, "readiness", label, "◐", not_ready, _("Said no or not sure:"))
        choice = cls.choice(answers)
        if choice and choice.outcome == Outcome.UNSURE:
            items = [FlagItem(_("Has not chosen an option yet."))]
            groups += flag_group(5, "not-sure", _("Not sure yet"), "…", items)
        return groups
