from decisionaid.stages.base import AnswerData, FlagItem, Outcome, Stage, flag_group, radio
from topics.models import NOT_SURE

# The readiness check, in our own words (not the licensed Ottawa SURE wording). It covers
# certainty, knowing the options, knowing what matters to you, and support.
READINESS = (
    ("settled", "I feel settled about which option is right for me."),
    ("understand", "I understand the good points and the downsides of each option."),
    ("priorities", "I know which of those good points and downsides matter most to me."),
    ("support", "I have the help and advice I need to choose."),
)
READINESS_CHOICES = (("yes", "Yes"), ("no", "No, or not sure"))
NOT_SURE_YET = "I'm not sure yet"


class LeaningStage(Stage):
    """The option the patient leans toward (or not sure yet), and the readiness check."""

    slug = "leaning"
    title = "Where are you leaning?"
    template = "decisionaid/stage_leaning.html"
    visit_fields = ("readiness_score",)

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.options = content["options"]
        self.fields["choice"] = radio(
            "Which option are you leaning toward right now?",
            [(o.key, o.title) for o in self.options] + [(NOT_SURE, NOT_SURE_YET)],
            "You can change your mind later. This helps your doctor know where to start.",
        )
        for key, text in READINESS:
            self.fields[f"ready-{key}"] = radio(text, READINESS_CHOICES)

    @classmethod
    def content(cls, topic):
        return {"options": list(topic.options.all())}

    def readiness_fields(self):
        return [self[f"ready-{key}"] for key, _ in READINESS]

    def answers(self):
        titles = {o.key: o.title for o in self.options} | {NOT_SURE: NOT_SURE_YET}
        choice = self.cleaned_data["choice"]
        rows = [
            AnswerData(
                key="choice",
                prompt=self.fields["choice"].label,
                value=choice,
                display=titles[choice],
                outcome=Outcome.UNSURE if choice == NOT_SURE else Outcome.NONE,
            )
        ]
        labels = dict(READINESS_CHOICES)
        for key, text in READINESS:
            value = self.cleaned_data[f"ready-{key}"]
            rows.append(
                AnswerData(key=f"ready-{key}", prompt=text, value=value, display=labels[value])
            )
        return rows

    def visit_updates(self):
        score = sum(self.cleaned_data[f"ready-{key}"] == "yes" for key, _ in READINESS)
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
            label = f"Readiness {score} of {len(READINESS)}"
            groups += flag_group(4, "readiness", label, "◐", not_ready, "Said no or not sure:")
        choice = cls.choice(answers)
        if choice and choice.outcome == Outcome.UNSURE:
            items = [FlagItem("Has not chosen an option yet.")]
            groups += flag_group(5, "not-sure", "Not sure yet", "…", items)
        return groups
