from django.db.models import Prefetch

from decisionaid.stages.base import AnswerData, FlagItem, Stage, flag_group, radio
from topics.models import HistoryChoice


class HistoryStage(Stage):
    """Questions about the patient's condition; some answers tailor what Learn shows them."""

    slug = "history"
    title = "About you"
    template = "decisionaid/stage_history.html"

    def __init__(self, *args, content, **kwargs):
        super().__init__(*args, content=content, **kwargs)
        self.questions = content["questions"]
        for q in self.questions:
            self.fields[q.key] = radio(q.text, [(c.key, c.label) for c in q.choices.all()], q.help)

    @classmethod
    def heading(cls, topic):
        return topic.history_heading

    @classmethod
    def content(cls, topic):
        choices = HistoryChoice.objects.select_related("tailoring_option")
        questions = topic.history_questions.prefetch_related(Prefetch("choices", queryset=choices))
        return {"questions": list(questions)}

    def answers(self):
        rows = []
        for q in self.questions:
            choice = next(c for c in q.choices.all() if c.key == self.cleaned_data[q.key])
            rows.append(
                AnswerData(
                    key=q.key,
                    prompt=q.text,
                    value=choice.key,
                    display=choice.label,
                    message=choice.tailoring,
                    message_option=choice.tailoring_option.key if choice.tailoring_option else "",
                    sheet_note=choice.sheet_note,
                )
            )
        return rows

    @classmethod
    def flags(cls, answers, visit):
        """A note for each answer that showed the patient tailored advice."""
        items = [FlagItem(a.sheet_note or f"{a.prompt} {a.display}") for a in answers if a.message]
        return flag_group(4, "note", "Note", "✎", items, note="Advice shown:")
