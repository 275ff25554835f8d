from django import forms
from django.db.models.functions import Coalesce, Now
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid.stages.base import AnswerData, FlagItem, Outcome, Stage, flag_group
from topics.models import NONE_OF_THESE, RedFlag

OUTCOMES = {RedFlag.Tier.EMERGENCY: Outcome.EMERGENCY, RedFlag.Tier.SOON: Outcome.FLAG}


class SafetyStage(Stage):
    """The topic's warning signs, in two tiers. An emergency sign leads to "Get help now";
    any other to "before you decide on any treatment, tell your doctor"."""

    slug = "safety"
    title = gettext_lazy("Safety check")
    template = "decisionaid/stage_safety.html"
    visit_fields = ("emergency_at",)

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.red_flags = content["red_flags"]
        # Built here, not declared: `flags` is also the name of this stage's sheet flags.
        self.fields["flags"] = forms.MultipleChoiceField(
            label=_("Do any of these apply to you now?"),
            help_text=_("Tick all that apply."),
            choices=[(f.key, f.text) for f in self.red_flags]
            + [(NONE_OF_THESE, _("None of these"))],
            widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
            error_messages={
                "required": _('Tick any that apply to you, or tick "None of these".'),
                "invalid_choice": _("Choose only from the list shown."),
            },
        )

    @classmethod
    def content(cls, topic):
        return {
            "red_flags": list(topic.red_flags.all()),
            "sources": list(topic.safety_citations.all()),
        }

    def page_context(self, progress):
        return {"sources": self.content["sources"]}

    @classmethod
    def initial_from(cls, answers):
        ticked = [a.key for a in answers if a.value == "yes"]
        return {"flags": ticked or ([NONE_OF_THESE] if answers else [])}

    def clean_flags(self):
        flags = self.cleaned_data["flags"]
        if NONE_OF_THESE in flags and len(flags) > 1:
            raise forms.ValidationError(
                _(
                    'You ticked "None of these" and a symptom. Tick the symptoms that apply, '
                    'or only "None of these".'
                )
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
                display=_("Yes") if f.key in ticked else _("No"),
                outcome=OUTCOMES[f.tier] if f.key in ticked else Outcome.NONE,
            )
            for f in self.red_flags
        ]

    def visit_updates(self):
        """The first time an emergency sign is ticked; kept if the patient unticks it later."""
        if any(a.outcome == Outcome.EMERGENCY for a in self.answers()):
            return {"emergency_at": Coalesce("emergency_at", Now())}
        return {}

    def next_url(self, answers, following):
        outcomes = {a.outcome for a in answers}
        if Outcome.EMERGENCY in outcomes:
            return reverse("journey:emergency")
        if Outcome.FLAG in outcomes:
            return reverse("journey:safety_alert")
        return following

    @classmethod
    def summary(cls, answers, topic):
        ticked = [(a.prompt, _("Yes")) for a in answers if a.value == "yes"]
        return ticked or [(_("Warning signs"), _("None of these"))]

    @classmethod
    def flags(cls, answers, visit):
        emergency = [FlagItem(a.prompt) for a in answers if a.outcome == Outcome.EMERGENCY]
        if visit.emergency_at and not emergency:
            when = timezone.localtime(visit.emergency_at).strftime("%H:%M")
            emergency = [
                FlagItem(
                    _("Ticked an emergency sign at %(time)s, then unticked it.") % {"time": when}
                )
            ]
        soon = [FlagItem(a.prompt) for a in answers if a.outcome == Outcome.FLAG]
        return [
            *flag_group(0, "emergency", _("EMERGENCY sign"), "⚠", emergency),
            *flag_group(1, "red-flag", _("See a doctor soon"), "⚠", soon),
        ]
