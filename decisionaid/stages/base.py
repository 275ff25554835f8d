"""What every journey stage has in common.

A stage is a form (its questions, built from the topic's content) that also decides everything
else about itself: which template shows it, what it saves, where Continue leads, how it reads back
on "Check your answers", and which flags it raises on the clinician's sheet. Adding a stage means
writing one such class and one template, and listing the class in `decisionaid.stages.STAGES`.
"""

from dataclasses import dataclass, field

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid.models import Answer

Outcome = Answer.Outcome
CHOOSE_ONE = gettext_lazy("Choose one answer.")
# The answer a stage of several screens saves once all of them are answered. No content key
# can take this form (keys are lowercase letters, digits and hyphens).
STAGE_DONE = "_done"


@dataclass
class AnswerData:
    """One answer as a stage builds it: the value, plus a copy of what the patient saw."""

    key: str
    value: str
    prompt: str = ""
    display: str = ""
    outcome: str = Outcome.NONE
    message: str = ""
    message_option: str = ""
    sheet_note: str = ""
    sheet_label: str = ""
    points_toward: list = field(default_factory=list)
    # Its place among the stage's answers; by default, its place in what the form returns.
    order: int | None = None


@dataclass(frozen=True)
class FlagItem:
    text: str
    detail: str = ""


@dataclass(frozen=True)
class FlagGroup:
    """One kind of flag on the sheet, with the answers that raised it.

    Labels carry the meaning, not colour. `rank` orders the groups on the sheet, most urgent
    (lowest) first.
    """

    rank: int
    kind: str
    label: str
    icon: str
    items: tuple[FlagItem, ...]
    note: str = ""

    @property
    def summary(self):
        """A short label for the staff list, e.g. "Red flag (2)"."""
        if self.kind == "readiness" or len(self.items) == 1:
            return self.label
        return f"{self.label} ({len(self.items)})"


def flag_group(rank, kind, label, icon, items, note=""):
    """A list with the group, or an empty list when nothing raised it."""
    return [FlagGroup(rank, kind, label, icon, tuple(items), note)] if items else []


def radio(label, choices, help_text=""):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
        help_text=help_text,
        error_messages={
            "required": CHOOSE_ONE,
            "invalid_choice": gettext_lazy("Choose one of the answers shown."),
        },
    )


class Stage(forms.Form):
    slug = ""
    title = ""
    template = "decisionaid/stage_form.html"
    # The Visit fields this stage's answers may set (services.save_stage refuses any other).
    visit_fields = ()

    def __init__(self, *args, topic, content, screen=1, saved=(), **kwargs):
        """`screen` is which of the stage's screens this is (from 1); `saved` are the answers
        the stage has saved so far."""
        self.topic, self.content, self.screen, self.saved = topic, content, screen, list(saved)
        super().__init__(*args, **kwargs)

    # --- the page ---

    @classmethod
    def url(cls, screen=1):
        if screen == 1:
            return reverse("journey:stage", kwargs={"stage": cls.slug})
        return reverse("journey:stage_screen", kwargs={"stage": cls.slug, "screen": screen})

    @classmethod
    def resume_screen(cls, answers):
        """The screen to come back to after a break: the first, unless a stage knows better."""
        return 1

    @classmethod
    def heading(cls, topic):
        return cls.title

    @classmethod
    def screen_count(cls, content):
        """How many screens the stage takes; most take one."""
        return 1

    def screen_heading(self):
        return self.heading(self.topic)

    def on_view(self):
        """AnswerData to save when the screen is shown, e.g. that it was opened."""
        return []

    def screen_note(self):
        """Where the patient is inside the stage, e.g. "Part 2 of 3"; empty for one screen."""
        count = self.screen_count(self.content)
        if count == 1:
            return ""
        return _("Part %(screen)d of %(count)d") % {"screen": self.screen, "count": count}

    def done_fraction(self):
        """How far through the stage this screen is, for the progress bar: 1 on its last."""
        return self.screen / self.screen_count(self.content)

    def back_url(self, previous_stage_url):
        return self.url(self.screen - 1) if self.screen > 1 else previous_stage_url

    @classmethod
    def content(cls, topic):
        """The topic content this stage needs, fetched in a constant number of queries."""
        return {}

    @classmethod
    def initial_from(cls, answers):
        """Initial form data from this stage's saved answers."""
        return {a.key: a.value for a in answers}

    def page_context(self, progress):
        """Anything more the template needs, e.g. from earlier stages' answers."""
        return {}

    def error_links(self):
        """(anchor, message) pairs for the error summary at the top of the page."""
        links = []
        for name, errors in self.errors.items():
            field = self[name if name in self.fields else next(iter(self.fields))]
            grouped = field.widget_type in ("radioselect", "checkboxselectmultiple")
            anchor = f"{field.auto_id}_0" if grouped else field.auto_id
            links.extend((anchor, str(e)) for e in errors)
        return links

    # --- what Continue saves, and where it leads ---

    def answers(self):
        """This stage's answers, as AnswerData, in the order they are shown."""
        return []

    def visit_updates(self):
        """Values for `visit_fields`, worked out from the answers."""
        return {}

    @classmethod
    def is_done(cls, answers):
        return bool(answers)

    def next_url(self, answers, following):
        """Where Continue leads after saving these answers; `following` is the next stage."""
        if self.screen < self.screen_count(self.content):
            return self.url(self.screen + 1)
        return following

    # --- reading the answers back ---

    @classmethod
    def summary(cls, answers, topic):
        """(question, answer) pairs for "Check your answers"."""
        return [(a.prompt, a.display) for a in answers]

    @classmethod
    def flags(cls, answers, visit):
        """FlagGroups for the clinician's sheet."""
        return []
