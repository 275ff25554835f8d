from django import forms
from django.urls import reverse

from decisionaid.stages.base import AnswerData, FlagItem, Outcome, Stage, flag_group
from topics.models import NONE_OF_THESE


class SafetyStage(Stage):
    """The topic's warning signs. Any one ticked shows the "tell the front desk" page next."""

    slug = "safety"
    title = "Safety check"
    template = "decisionaid/stage_safety.html"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.red_flags = content["red_flags"]
        # Built here, not declared: `flags` is also the name of this stage's sheet flags.
        self.fields["flags"] = forms.MultipleChoiceField(
            label="Do any of these apply to you now?",
            help_text="Tick all that apply.",
            choices=[(f.key, f.text) for f in self.red_flags] + [(NONE_OF_THESE, "None of these")],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            error_messages={
                "required": 'Tick any that apply to you, or tick "None of these".',
                "invalid_choice": "Choose only from the list shown.",
            },
        )

    @classmethod
    def content(cls, topic):
        return {"red_flags": list(topic.red_flags.all())}

    @classmethod
    def initial_from(cls, answers):
        ticked = [a.key for a in answers if a.value == "yes"]
        return {"flags": ticked or ([NONE_OF_THESE] if answers else [])}

    def clean_flags(self):
        flags = self.cleaned_data["flags"]
        if NONE_OF_THESE in flags and len(flags) > 1:
            raise forms.ValidationError(
                'You ticked "None of these" and a symptom. Tick the symptoms that apply, '
                'or only "None of these".'
            )
        return flags

    def answers(self):
        """Every sign, ticked or not: the sheet can show what was asked."""
        ticked = set(self.cleaned_data["flags"])
        return [
            AnswerData(
                key=f.key,
                prompt=f.text,
                value="yes" if f.key in ticked else "no",
                display="Yes" if f.key in ticked else "No",
                outcome=Outcome.FLAG if f.key in ticked else Outcome.NONE,
            )
            for f in self.red_flags
        ]

    @classmethod
    def next_url(cls, answers, following):
        if any(a.outcome == Outcome.FLAG for a in answers):
            return reverse("journey:safety_alert")
        return following

    @classmethod
    def summary(cls, answers):
        ticked = [(a.prompt, "Yes") for a in answers if a.value == "yes"]
        return ticked or [("Warning signs", "None of these")]

    @classmethod
    def flags(cls, answers, visit):
        items = [FlagItem(a.prompt) for a in answers if a.outcome == Outcome.FLAG]
        return flag_group(0, "red-flag", "Red flag", "⚠", items)
