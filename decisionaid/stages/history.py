from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from decisionaid.stages.base import STAGE_DONE, AnswerData, FlagItem, Stage, flag_group, radio
from topics.models import HistoryChoice, HistoryQuestion

TEXT_LIMIT = 200
SCALE = range(0, 11)


class HistoryStage(Stage):
    """Questions about the patient's condition and what they have tried, over one or more
    screens. Some answers tailor what Learn shows them; all go on the sheet."""

    slug = "history"
    title = gettext_lazy("About you")
    template = "decisionaid/stage_history.html"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.questions = _screens(content["questions"], self.topic)[self.screen - 1][1]
        for q in self.questions:
            self.fields[q.key] = FIELDS[q.kind](q)

    @classmethod
    def heading(cls, topic):
        return topic.history_heading

    @classmethod
    def content(cls, topic):
        choices = HistoryChoice.objects.select_related("tailoring_option")
        questions = topic.history_questions.prefetch_related(Prefetch("choices", queryset=choices))
        return {"questions": list(questions)}

    @classmethod
    def screen_count(cls, content):
        return len(_screens(content["questions"], None))

    def screen_heading(self):
        return _screens(self.content["questions"], self.topic)[self.screen - 1][0]

    def answers(self):
        rows = [_answer(q, self.cleaned_data[q.key]) for q in self.questions]
        if self._first_unanswered({a.key for a in [*self.saved, *rows]}) is None:
            rows.append(
                AnswerData(key=STAGE_DONE, value="yes", order=len(self.content["questions"]))
            )
        return rows

    def next_url(self, answers, following):
        if self.screen < self.screen_count(self.content):
            return self.url(self.screen + 1)
        missing = self._first_unanswered({a.key for a in [*self.saved, *answers]})
        return self.url(missing) if missing else following

    def _first_unanswered(self, answered):
        """The first screen with a question not yet answered, or None."""
        for number, (_heading, questions) in enumerate(
            _screens(self.content["questions"], None), 1
        ):
            if any(q.key not in answered for q in questions):
                return number
        return None

    @classmethod
    def is_done(cls, answers):
        return any(a.key == STAGE_DONE for a in answers)

    @classmethod
    def summary(cls, answers, topic):
        return [(a.prompt, a.display) for a in answers if a.key != STAGE_DONE]

    @classmethod
    def flags(cls, answers, visit):
        """A note for each answer that showed the patient tailored advice."""
        items = [
            FlagItem(f"{a.sheet_label or a.prompt}: {a.sheet_note or a.display}")
            for a in answers
            if a.message
        ]
        return flag_group(6, "note", _("Note"), "✎", items, note=_("Advice shown:"))


def _screens(questions, topic):
    """[(heading, questions)] in order: questions with the same screen heading share one."""
    screens = []
    for q in questions:
        heading = q.screen or (topic.history_heading if topic else "")
        if not screens or screens[-1][0] != heading:
            screens.append((heading, []))
        screens[-1][1].append(q)
    return screens or [("", [])]


def _choice_field(question):
    return radio(question.text, [(c.key, c.label) for c in question.choices.all()], question.help)


def _scale_field(question):
    field = radio(question.text, [(str(n), str(n)) for n in SCALE], question.help)
    field.ends = (f"0 = {question.low_label}", f"10 = {question.high_label}")  # numbers: no words
    return field


def _text_field(question):
    return forms.CharField(
        label=question.text,
        help_text=question.help
        or _("Up to %(limit)d characters. You can leave this empty.") % {"limit": TEXT_LIMIT},
        required=False,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={
            "max_length": gettext_lazy(
                "Please use %(limit_value)d characters or fewer (you used %(show_value)d)."
            )
        },
    )


FIELDS = {
    HistoryQuestion.Kind.CHOICE: _choice_field,
    HistoryQuestion.Kind.SCALE: _scale_field,
    HistoryQuestion.Kind.TEXT: _text_field,
}


def _answer(question, value):
    """The answer to one question, with what it tailors and its line on the sheet."""
    common = {
        "key": question.key,
        "prompt": question.text,
        "sheet_label": question.sheet_label,
        # Its place in the whole stage, whichever screen it is on.
        "order": question.order,
    }
    if question.kind == HistoryQuestion.Kind.SCALE:
        return AnswerData(
            value=value, display=_("%(value)s out of 10") % {"value": value}, **common
        )
    if question.kind == HistoryQuestion.Kind.TEXT:
        return AnswerData(value=value, display=value, **common)
    choice = next(c for c in question.choices.all() if c.key == value)
    return AnswerData(
        value=choice.key,
        display=choice.label,
        message=choice.tailoring,
        message_option=choice.tailoring_option.key if choice.tailoring_option else "",
        sheet_note=choice.sheet_note,
        **common,
    )
