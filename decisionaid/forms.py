"""One form per journey stage, built from the topic's content.

Each form turns its cleaned data into `AnswerData` rows: the value plus a copy of what the
patient saw (prompt, answer label, tailored message), so the sheet shows exactly that.
"""

from dataclasses import dataclass

from django import forms
from django.db.models import Prefetch

from topics.models import HistoryChoice
from topics.pack_schema import NONE_OF_THESE, NOT_SURE

OWN_QUESTION_LIMIT = 500

CHOOSE_ONE = "Choose one answer."

# The readiness check, in our own words (not the licensed Ottawa SURE wording). It covers
# certainty, knowing the options, knowing what matters to you, and support.
READINESS = (
    ("settled", "I feel settled about which option is right for me."),
    ("understand", "I understand the good points and the downsides of each option."),
    ("priorities", "I know which of those good points and downsides matter most to me."),
    ("support", "I have the help and advice I need to choose."),
)
READINESS_CHOICES = (("yes", "Yes"), ("no", "No, or not sure"))


@dataclass
class AnswerData:
    item: str
    value: str
    prompt: str = ""
    display: str = ""
    outcome: str = ""
    message: str = ""
    message_option: str = ""
    sheet_note: str = ""


class StageForm(forms.Form):
    stage = ""

    def __init__(self, *args, topic, **kwargs):
        self.topic = topic
        super().__init__(*args, **kwargs)

    @classmethod
    def content(cls, topic):
        """The topic content this stage needs, fetched in a constant number of queries."""
        return {}

    @classmethod
    def initial_from(cls, answers):
        """Initial form data from this stage's saved answers (a dict keyed by item)."""
        prefix = f"{cls.stage}:"
        return {
            item[len(prefix) :]: a.value for item, a in answers.items() if item.startswith(prefix)
        }

    def answers(self):
        return []

    def visit_updates(self):
        return {}

    def error_links(self):
        """(anchor, message) pairs for the error summary at the top of the page."""
        links = []
        for name, errors in self.errors.items():
            if name == "__all__":
                first = next(iter(self.fields), "")
                anchor = self._anchor(first)
            else:
                anchor = self._anchor(name)
            links.extend((anchor, str(e)) for e in errors)
        return links

    def _anchor(self, name):
        field = self.fields.get(name)
        if field is not None and isinstance(
            field.widget, forms.RadioSelect | forms.CheckboxSelectMultiple
        ):
            return f"id_{name}_0"
        return f"id_{name}"

    def _answer(self, key, **kwargs):
        return AnswerData(item=f"{self.stage}:{key}", **kwargs)


def radio(label, choices, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=help_text,
        error_messages={
            "required": CHOOSE_ONE,
            "invalid_choice": "Choose one of the answers shown.",
        },
    )


class SafetyForm(StageForm):
    stage = "safety"
    flags = forms.MultipleChoiceField(
        label="Do any of these apply to you now?",
        help_text="Tick all that apply.",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={
            "required": 'Tick any that apply to you, or tick "None of these".',
            "invalid_choice": "Choose only from the list shown.",
        },
    )

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, **kwargs)
        self.red_flags = content["red_flags"]
        self.fields["flags"].choices = [(f.key, f.text) for f in self.red_flags] + [
            (NONE_OF_THESE, "None of these")
        ]

    @classmethod
    def content(cls, topic):
        return {"red_flags": list(topic.red_flags.all())}

    @classmethod
    def initial_from(cls, answers):
        ticked = [
            item.split(":", 1)[1]
            for item, a in answers.items()
            if item.startswith("safety:") and a.value == "yes"
        ]
        if not ticked and any(item.startswith("safety:") for item in answers):
            ticked = [NONE_OF_THESE]
        return {"flags": ticked}

    def clean_flags(self):
        flags = self.cleaned_data["flags"]
        if NONE_OF_THESE in flags and len(flags) > 1:
            raise forms.ValidationError(
                'You ticked "None of these" and a symptom. Tick the symptoms that apply, '
                'or only "None of these".'
            )
        return flags

    def answers(self):
        ticked = set(self.cleaned_data["flags"])
        return [
            self._answer(
                f.key,
                prompt=f.text,
                value="yes" if f.key in ticked else "no",
                display="Yes" if f.key in ticked else "No",
                outcome="flag" if f.key in ticked else "",
            )
            for f in self.red_flags
        ]


class HistoryForm(StageForm):
    stage = "history"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = content["questions"]
        for q in self.questions:
            self.fields[q.key] = radio(q.text, [(c.key, c.label) for c in q.choices.all()], q.help)

    @classmethod
    def content(cls, topic):
        choices = HistoryChoice.objects.select_related("tailoring_option")
        return {
            "questions": list(
                topic.history_questions.prefetch_related(Prefetch("choices", queryset=choices))
            )
        }

    def answers(self):
        rows = []
        for q in self.questions:
            choice = next(c for c in q.choices.all() if c.key == self.cleaned_data[q.key])
            rows.append(
                self._answer(
                    q.key,
                    prompt=q.text,
                    value=choice.key,
                    display=choice.label,
                    message=choice.tailoring,
                    message_option=choice.tailoring_option.key if choice.tailoring_option else "",
                    sheet_note=choice.sheet_note,
                )
            )
        return rows


class LearnForm(StageForm):
    """The Learn stage has nothing to answer; Continue records that it was seen."""

    stage = "learn"

    def __init__(self, *args, content=None, **kwargs):
        super().__init__(*args, **kwargs)

    def answers(self):
        return [self._answer("seen", prompt="Read about the options", value="yes", display="Yes")]


class UnderstandingForm(StageForm):
    stage = "understanding"
    CHOICES = (("true", "True"), ("false", "False"), (NOT_SURE, "Not sure"))

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = content["knowledge"]
        for k in self.statements:
            self.fields[k.key] = radio(k.statement, self.CHOICES)

    @classmethod
    def content(cls, topic):
        return {"knowledge": list(topic.knowledge.all())}

    def answers(self):
        labels = dict(self.CHOICES)
        rows = []
        for k in self.statements:
            value = self.cleaned_data[k.key]
            if value == NOT_SURE:
                outcome = "unsure"
            else:
                outcome = "correct" if (value == "true") == k.answer else "wrong"
            rows.append(
                self._answer(
                    k.key,
                    prompt=k.statement,
                    value=value,
                    display=labels[value],
                    outcome=outcome,
                    message=k.explanation,
                    sheet_note="True" if k.answer else "False",
                )
            )
        return rows


class ValuesForm(StageForm):
    stage = "values"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, **kwargs)
        self.statements = content["values"]
        for v in self.statements:
            choices = [
                ("1", f"1 – {v.low_label}"),
                ("2", "2"),
                ("3", "3"),
                ("4", "4"),
                ("5", f"5 – {v.high_label}"),
            ]
            field = radio(v.statement, choices)
            field.low_label, field.high_label = v.low_label, v.high_label
            self.fields[v.key] = field

    @classmethod
    def content(cls, topic):
        return {"values": list(topic.values.all())}

    def answers(self):
        rows = []
        for v in self.statements:
            value = self.cleaned_data[v.key]
            rows.append(
                self._answer(
                    v.key,
                    prompt=v.statement,
                    value=value,
                    display=f"{value} out of 5 ({v.low_label} = 1, {v.high_label} = 5)",
                )
            )
        return rows


class LeaningForm(StageForm):
    stage = "leaning"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, **kwargs)
        self.options = content["options"]
        self.fields["choice"] = radio(
            "Which option are you leaning toward right now?",
            [(o.key, o.title) for o in self.options] + [(NOT_SURE, "I'm not sure yet")],
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
        titles = {o.key: o.title for o in self.options} | {NOT_SURE: "I'm not sure yet"}
        choice = self.cleaned_data["choice"]
        rows = [
            self._answer(
                "choice",
                prompt=self.fields["choice"].label,
                value=choice,
                display=titles[choice],
                outcome="unsure" if choice == NOT_SURE else "",
            )
        ]
        labels = dict(READINESS_CHOICES)
        for key, text in READINESS:
            value = self.cleaned_data[f"ready-{key}"]
            rows.append(
                self._answer(f"ready-{key}", prompt=text, value=value, display=labels[value])
            )
        return rows

    def visit_updates(self):
        score = sum(self.cleaned_data[f"ready-{key}"] == "yes" for key, _ in READINESS)
        return {"readiness_score": score}


class QuestionsForm(StageForm):
    stage = "questions"
    suggested = forms.MultipleChoiceField(
        label="Which of these would you like to ask your doctor?",
        help_text="Tick any you want. You can skip this.",
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        required=False,
        error_messages={"invalid_choice": "Choose only from the list shown."},
    )
    # "own" is reserved in topics.pack_schema.RESERVED_KEYS: no suggested question may use it.
    own = forms.CharField(
        label="Your own questions or worries (optional)",
        help_text=f"Up to {OWN_QUESTION_LIMIT} characters. Please do not write your name.",
        required=False,
        max_length=OWN_QUESTION_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "max_length": "Your questions are too long. Please use %(limit_value)d characters "
            "or fewer (you used %(show_value)d)."
        },
    )

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, **kwargs)
        self.doctor_questions = content["doctor_questions"]
        self.fields["suggested"].choices = [(q.key, q.text) for q in self.doctor_questions]

    @classmethod
    def content(cls, topic):
        return {"doctor_questions": list(topic.doctor_questions.all())}

    @classmethod
    def initial_from(cls, answers):
        return {
            "suggested": [
                item.split(":", 1)[1]
                for item, a in answers.items()
                if item.startswith("questions:") and item != "questions:own" and a.value == "yes"
            ],
            "own": answers["questions:own"].value if "questions:own" in answers else "",
        }

    def answers(self):
        ticked = set(self.cleaned_data["suggested"])
        rows = [
            self._answer(
                q.key,
                prompt=q.text,
                value="yes" if q.key in ticked else "no",
                display="Yes" if q.key in ticked else "No",
            )
            for q in self.doctor_questions
        ]
        own = self.cleaned_data["own"]
        rows.append(self._answer("own", prompt=self.fields["own"].label, value=own, display=own))
        return rows
