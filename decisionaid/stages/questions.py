from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid.stages.base import AnswerData, Stage
from topics.models import OWN_QUESTIONS

OWN_QUESTION_LIMIT = 500


class QuestionsStage(Stage):
    """Suggested questions for the doctor to tick, and the patient's own words."""

    slug = "questions"
    title = gettext_lazy("Questions for your doctor")
    template = "decisionaid/stage_questions.html"

    suggested = forms.MultipleChoiceField(
        label=gettext_lazy("Which of these would you like to ask your doctor?"),
        help_text=gettext_lazy("Tick any you want. You can skip this."),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Choose only from the list shown.")},
    )
    own = forms.CharField(
        label=gettext_lazy("Your own questions or worries (optional)"),
        required=False,
        max_length=OWN_QUESTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": gettext_lazy(
                "Your questions are too long. Please use %(limit_value)d characters or fewer "
                "(you used %(show_value)d)."
            )
        },
    )

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.doctor_questions = content["doctor_questions"]
        self.fields["suggested"].choices = [(q.key, q.text) for q in self.doctor_questions]
        self.fields["own"].help_text = _(
            "Up to %(limit)d characters. Please do not write your name."
        ) % {"limit": OWN_QUESTION_LIMIT}

    @classmethod
    def content(cls, topic):
        return {"doctor_questions": list(topic.doctor_questions.all())}

    @classmethod
    def initial_from(cls, answers):
        own = cls.own_words(answers)
        return {
            "suggested": [a.key for a in answers if a.key != OWN_QUESTIONS and a.value == "yes"],
            "own": own.value if own else "",
        }

    def answers(self):
        ticked = set(self.cleaned_data["suggested"])
        rows = [
            AnswerData(
                key=q.key,
                prompt=q.text,
                value="yes" if q.key in ticked else "no",
                display=_("Yes") if q.key in ticked else _("No"),
            )
            for q in self.doctor_questions
        ]
        own = self.cleaned_data["own"]
        label = str(self.fields["own"].label)
        return [*rows, AnswerData(key=OWN_QUESTIONS, prompt=label, value=own, display=own)]

    @staticmethod
    def own_words(answers):
        """The saved own-words answer, or None."""
        return next((a for a in answers if a.key == OWN_QUESTIONS), None)

    @staticmethod
    def ticked(answers):
        return [a for a in answers if a.key != OWN_QUESTIONS and a.value == "yes"]

    @classmethod
    def summary(cls, answers, topic):
        own = cls.own_words(answers)
        rows = [(_("Question to ask"), a.prompt) for a in cls.ticked(answers)]
        return [*rows, (_("Your own questions"), own.display if own else "")]
